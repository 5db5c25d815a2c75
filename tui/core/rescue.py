"""Where answers that are in no results file go (the batch folder deleted, the results file
replaced): a new 0600 file in the data folder by default, or a path the annotator gives in the
app (F8). Textual-free: used by the labeling screen and by the exit summary."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path


def rescue_folder() -> Path:
    override = os.environ.get("LABELDESK_DATA_DIR")
    if override:
        return Path(override) / "rescued"
    from platformdirs import user_data_dir

    return Path(user_data_dir("labeldesk", appauthor=False)) / "rescued"


def default_rescue_path(batch_id: str, annotator: str, now: datetime | None = None) -> Path:
    """A new file name per rescue: batch, annotator and UTC time, reduced to safe characters
    (ids come from files and may hold anything)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S")
    name = f"{batch_id}-{annotator}-{stamp}.jsonl"
    return rescue_folder() / "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
