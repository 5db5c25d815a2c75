"""Media paths in task lines are relative to the batch folder and must stay inside it.

A batch folder comes from someone else; a task line pointing at /etc/shadow or
../../home/x/.ssh must not make the workstation show or send that file anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from tui.core.i18n import _
from tui.core.media.errors import MediaError


def resolve_media_path(batch_dir: Path, value: object, field: str = "path") -> Path:
    """The absolute, symlink-resolved path of a task's media `value`, checked to lie inside
    `batch_dir`. Does not check that the file exists (probing reports that precisely)."""
    if not isinstance(value, str):
        raise MediaError(
            f"<{field}>",
            _("expected a path relative to the batch folder, got {kind}").format(
                kind=type(value).__name__
            ),
        )
    shown = value if len(value) <= 120 else value[:117] + "..."
    if not value.strip():
        raise MediaError(f"<{field}>", _("expected a path relative to the batch folder, got ''"))
    if "\x00" in value:
        raise MediaError(shown.replace("\x00", "\\0"), _("path contains a NUL character"))
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute():
        raise MediaError(
            shown, _("absolute paths are not allowed; write it relative to the batch folder")
        )
    root = batch_dir.resolve()
    lexical = Path(os.path.normpath(root / value))
    if not lexical.is_relative_to(root):
        raise MediaError(
            shown,
            _("'..' leads outside the batch folder {root}; media must stay inside it").format(
                root=root
            ),
        )
    try:
        real = lexical.resolve()
    except (OSError, RuntimeError) as exc:  # symlink loops
        raise MediaError(shown, _("cannot resolve the path ({error})").format(error=exc)) from None
    if not real.is_relative_to(root):
        raise MediaError(
            shown,
            _(
                "is a symlink to {target}, outside the batch folder {root}; media must stay "
                "inside it"
            ).format(target=real, root=root),
        )
    return real
