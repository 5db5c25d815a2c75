"""Whether a folder is a batch: `labeldesk FOLDER` opens a batch folder directly and a folder
of batch folders on the home screen."""

from __future__ import annotations

from pathlib import Path


def is_batch_folder(path: Path) -> bool:
    return path.is_dir() and (path / "batch.toml").is_file()
