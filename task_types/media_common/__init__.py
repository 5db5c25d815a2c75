"""Shared parts of the media task types (image, video, audio): the cheap path check done
when a task line is read, the segment model and the time cursor/segment editor (no Textual),
and in view.py the Textual widgets they share. Not a task type itself (no TASK_TYPE)."""

from __future__ import annotations

import os
from pathlib import PurePosixPath, PureWindowsPath

from task_types.base import TaskTypeError
from tui.core.i18n import _


def check_media_path(value: str, field: str) -> None:
    """The lexical half of tui.core.media.paths.resolve_media_path, without touching the
    disk (check() runs for every task line): relative, no NUL, no '..' out of the folder.
    Symlinks leading out are refused when the view resolves the path."""
    if not value.strip():
        raise TaskTypeError(
            _("{field} is empty: expected a path relative to the batch folder").format(field=field),
            field,
        )
    if "\x00" in value:
        raise TaskTypeError(_("{field} contains a NUL character").format(field=field), field)
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute():
        raise TaskTypeError(
            _("{field} {value!r} is absolute; write it relative to the batch folder").format(
                field=field, value=value
            ),
            field,
        )
    normal = os.path.normpath(value.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        raise TaskTypeError(
            _(
                "{field} {value!r}: '..' leads outside the batch folder; media must stay inside it"
            ).format(field=field, value=value),
            field,
        )
