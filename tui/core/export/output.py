"""Writing an export file: a temp file in the same folder, fsynced, then renamed over the
target, so a reader never sees half an export and a crash leaves the old file whole.

The target is never written through a symlink: a symlink (or anything but a regular file)
where the output belongs is refused, and the temp file is created with O_EXCL|O_NOFOLLOW.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from tui.core.i18n import N_, _
from tui.core.safe_files import FILE_MODE, UnsafeFileError, open_regular, refuse_symlink


def _check_target(path: Path) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise refuse_symlink(path, N_("file to write an export to"))
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFileError(
            0, _("{path} exists and is not a regular file; not overwritten").format(path=path)
        )


@contextlib.contextmanager
def atomic_output(path: Path, mode: int = FILE_MODE) -> Iterator[BinaryIO]:
    """A binary file object whose content replaces `path` when the block ends without an
    exception (and is removed otherwise)."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(
            2, _("{folder}: no such folder for the output").format(folder=folder)
        )
    _check_target(path)
    temp = folder / f".{path.name}.{os.getpid()}.tmp"
    fd, _created = open_regular(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_TRUNC, mode=mode)
    done = False
    try:
        with os.fdopen(fd, "wb", buffering=1024 * 1024) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _check_target(path)  # still not a symlink at the moment of the rename
        os.replace(temp, path)
        done = True
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(temp)


class TerminalSafeStdout(io.RawIOBase):
    """stdout for an export without -o. Into a pipe or file the bytes go as they are (that
    is data); on a terminal, controls, C1 codes and bidi overrides are escaped first
    (tui.core.safe_text.json_text: the same JSON, and a CSV that cannot drive the terminal)."""

    def __init__(self) -> None:
        super().__init__()
        self.raw = sys.stdout.buffer
        self.tty = sys.stdout.isatty()
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if self.tty:
            from tui.core.safe_text import json_text

            # The decoder keeps a UTF-8 sequence cut between two writes for the next one.
            self.raw.write(json_text(self._decoder.decode(chunk)).encode("utf-8"))
        else:
            self.raw.write(chunk)
        return len(chunk)

    def flush(self) -> None:
        if self.tty:
            from tui.core.safe_text import json_text

            self.raw.write(json_text(self._decoder.decode(b"", final=True)).encode("utf-8"))
        self.raw.flush()
