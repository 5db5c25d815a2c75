"""Shared parts of the media task types (image, video, audio): the cheap path check done
when a task line is read, the segment model and the time cursor/segment editor (no Textual),
and in view.py the Textual widgets they share. Not a task type itself (no TASK_TYPE)."""

from __future__ import annotations

import os
from pathlib import PurePosixPath, PureWindowsPath

from task_types.base import TaskTypeError


def check_media_path(value: str, field: str) -> None:
    """The lexical half of tui.core.media.paths.resolve_media_path, without touching the
    disk (check() runs for every task line): relative, no NUL, no '..' out of the folder.
    Symlinks leading out are refused when the view resolves the path."""
    if not value.strip():
        raise TaskTypeError(
            f"{field} is empty: expected a path relative to the batch folder", field
        )
    if "\x00" in value:
        raise TaskTypeError(f"{field} contains a NUL character", field)
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute():
        raise TaskTypeError(
            f"{field} {value!r} is absolute; write it relative to the batch folder", field
        )
    normal = os.path.normpath(value.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        raise TaskTypeError(
            f"{field} {value!r}: '..' leads outside the batch folder; media must stay inside it",
            field,
        )
