"""Editing a text in the annotator's own editor ($VISUAL / $EDITOR) through a private temp file."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from tui.core.i18n import _

FALLBACK_EDITORS = ("nano", "vi")


class ExternalEditorError(Exception):
    """Why the external editor gave no text back, in words for the annotator."""


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    """$VISUAL, then $EDITOR (both may carry arguments: "code --wait"), then nano or vi."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            return shlex.split(value)
    for fallback in FALLBACK_EDITORS:
        if shutil.which(fallback):
            return [fallback]
    raise ExternalEditorError(_("no editor: set $EDITOR (for example EDITOR=nano)"))


def edit_text(command: list[str], text: str) -> str:
    """Run the editor on a temp file holding `text`; the file's text when the editor exits 0.

    The temp file is created readable by its owner only (the work is confidential) and is
    removed afterwards whatever happens.
    """
    fd, name = tempfile.mkstemp(prefix="labeldesk-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") or not text else text + "\n")
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise ExternalEditorError(
                _("cannot run {command!r}: {error}").format(
                    command=command[0], error=exc.strerror or exc
                )
            ) from None
        if done.returncode != 0:
            raise ExternalEditorError(
                _("{command} exited with status {status}: the text is unchanged").format(
                    command=command[0], status=done.returncode
                )
            )
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ExternalEditorError(
                _("the editor saved the file in another encoding than UTF-8: the text is unchanged")
            ) from None
    finally:
        path.unlink(missing_ok=True)
