"""Opening a batch for labeling: everything between the command line and the app."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from tui.core.active_clock import ActiveClock
from tui.core.batch import Batch
from tui.core.i18n import _
from tui.core.jsonl_store import StoreLockedError, StoreNotWritableError
from tui.core.keymap import Keymap, build_keymap
from tui.core.problems import BatchError
from tui.core.results import ResultsStore
from tui.core.safe_text import echo
from tui.core.session import LabelingSession
from tui.core.user_config import load_user_config, resolve_annotator, user_keymap_file


class LaunchError(Exception):
    """Why a batch cannot be opened, in words for the annotator."""


@dataclass
class Prepared:
    session: LabelingSession
    keymap: Keymap


def prepare(
    path: Path,
    *,
    annotator: str | None = None,
    task_type: str | None = None,
    labels: list[str] | None = None,
    results_dir: Path | None = None,
    keymap_name: str | None = None,
) -> Prepared:
    config, config_problems = load_user_config()
    for problem in config_problems:
        echo(_("warning: {problem}").format(problem=problem), file=sys.stderr)
    try:
        name = resolve_annotator(annotator, config)
    except ValueError as exc:
        raise LaunchError(str(exc)) from None
    try:
        batch = Batch.open(path, task_type=task_type, labels=labels, results_dir=results_dir)
    except BatchError as exc:
        raise LaunchError(
            _("cannot open the batch:\n") + "\n".join(f"  {p}" for p in exc.problems)
        ) from None
    if batch.config.team is not None:
        store = _team_store(batch, name)
    else:
        store = ResultsStore(batch.results_dir, name, batch.id)
    try:
        store.open()
    except (StoreLockedError, StoreNotWritableError) as exc:
        raise LaunchError(str(exc)) from None
    keymap = build_keymap(
        batch.task_type,
        chosen=keymap_name or config.keymap,
        user_file=user_keymap_file(),
        batch_table=batch.config.keymap,
        batch_file=batch.folder / "batch.toml",
    )
    session = LabelingSession(batch, store, ActiveClock(config.idle_threshold_s))
    if batch.config.team is not None:
        # The plan, the ledger and the first claims come from the screen's worker.
        session.wait_for_team()
    else:
        session.resume()
    return Prepared(session, keymap)


def _team_store(batch: Batch, annotator: str) -> ResultsStore:
    """A team batch: the folder must work for a team (group modes, locks that hold across
    processes) before anything is written; results files are group-readable."""
    from tui.core.team.engine import check_team_batch, team_results_store

    try:
        if batch.config.team is not None and batch.config.team.database is None:
            problems = check_team_batch(batch)
            if problems:
                raise BatchError(problems)
        return team_results_store(batch, annotator)
    except BatchError as exc:
        raise LaunchError(
            _("cannot work on this team batch:\n") + "\n".join(f"  {p}" for p in exc.problems)
        ) from None
