"""An append-only JSONL file with one writer, durable appends and torn-line recovery.

Used for results/<annotator>.jsonl and audits/<auditor>.jsonl. The promises (DESIGN §3):
every append is flushed and fsynced before append() returns; a torn last line left by a crash
is moved aside into a side file and reported, never dropped; a second writer is refused.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tui.core.i18n import _
from tui.core.problems import Problem
from tui.core.records import iso_ms, utc_now
from tui.core.safe_files import (
    DIR_MODE,
    FILE_MODE,
    make_private_dirs,
    open_regular,
    read_all,
    same_file,
)
from tui.core.safe_files import UnsafeFileError as SafeFileError


class StoreLockedError(Exception):
    """Another labeldesk process holds this file open for writing."""


class StoreNotWritableError(Exception):
    """The file or its folder cannot be written (read-only folder, permissions)."""


class UnsafeFileError(StoreNotWritableError, SafeFileError):
    """A symlink, FIFO, folder or foreign file where labeldesk's own file belongs: refused,
    its target untouched. Also an OSError, and a StoreNotWritableError for the launcher."""

    def __str__(self) -> str:
        return str(self.strerror)


class StoreGoneError(OSError):
    """The answer was written and fsynced, but the file is no longer where it was: the
    batch folder or the results file was deleted or replaced while open. The answer is NOT
    saved anywhere anyone will find it. `record` is the line that was written."""

    def __init__(self, path: Path, record: dict[str, Any]) -> None:
        super().__init__(
            errno.ESTALE,
            f"NOT SAVED: {path} was removed or replaced while labeldesk had it open (the batch "
            f"folder deleted, moved or synced over?); the answer is NOT saved there. "
            "Nothing more is written to it; quit and reopen the batch, or keep the answer "
            "elsewhere.",
        )
        self.path = path
        self.record = record


@dataclass
class LoadedLines:
    records: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the line number of each record
    problems: list[Problem] = field(default_factory=list)
    torn_saved_to: Path | None = None


def _holder_note(lock_path: Path) -> str:
    try:
        return lock_path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def parse_jsonl_bytes(
    data: bytes,
) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, parsed object or None, error or None) for each non-blank line of the
    bytes read through the writer's own descriptor (readers use tui.core.result_lines)."""
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            yield number, None, _("not valid JSON: {reason}").format(reason=exc)
            continue
        if not isinstance(obj, dict):
            yield (
                number,
                None,
                _("expected a JSON object, got {kind}").format(kind=type(obj).__name__),
            )
            continue
        yield number, obj, None


class AppendOnlyJsonl:
    """Opens (and locks) a JSONL file for appending. Use as a context manager or call close()."""

    def __init__(
        self,
        path: Path,
        *,
        owner: str = "",
        file_mode: int = FILE_MODE,
        dir_mode: int = DIR_MODE,
    ) -> None:
        self.path = path
        self.owner = owner
        # Private (0600/0700) unless a team batch asks for group modes (issue 12).
        self.file_mode = file_mode
        self.dir_mode = dir_mode
        self._fd: int | None = None
        self._dirty = False
        self.loaded = LoadedLines()
        self.identity: tuple[int, int] | None = None  # (st_dev, st_ino) of the file opened
        self.gone = False

    # -- opening -------------------------------------------------------------------------
    def open(self) -> LoadedLines:
        folder = self.path.parent
        try:
            make_private_dirs(folder, self.dir_mode)
        except SafeFileError as exc:
            raise UnsafeFileError(exc.errno, exc.strerror) from None
        except OSError as exc:
            what = "is a file, not a folder" if folder.is_file() else (exc.strerror or str(exc))
            raise StoreNotWritableError(
                f"cannot create the folder {folder}: {what}. Your answers could not be saved "
                "there; choose a results folder with --results DIR."
            ) from exc
        # The data file itself carries the lock: deleting the .lock note lets nobody in.
        fd = self._open_own(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder_note(self.path.with_name(self.path.name + ".lock"))
            os.close(fd)
            raise StoreLockedError(
                f"{self.path} is already open for writing by another labeldesk"
                + (f" ({holder})" if holder else "")
                + ". Close that one first: two writers would interleave answers."
            ) from None
        self._fd = fd
        info = os.fstat(fd)
        self.identity = (info.st_dev, info.st_ino)
        if self.file_mode != FILE_MODE and stat.S_IMODE(info.st_mode) != self.file_mode:
            # A file made private before the batch became a team batch: colleagues' stats,
            # audit and merge must read it now (it is ours: open_regular checked).
            os.fchmod(fd, self.file_mode)
        try:
            self._write_lock_note()
            self.loaded = self._recover_and_load()
        except SafeFileError as exc:
            self.close()
            raise UnsafeFileError(exc.errno, exc.strerror) from None
        except StoreNotWritableError:
            self.close()
            raise
        except OSError as exc:
            self.close()
            raise StoreNotWritableError(
                f"cannot read {self.path}: {exc.strerror or exc}. Choose a results folder "
                "with --results DIR."
            ) from exc
        return self.loaded

    def _open_own(self, path: Path, flags: int) -> int:
        """One of our files in the shared folder: never a symlink, a FIFO or someone else's."""
        try:
            fd, _ = open_regular(path, flags, mode=self.file_mode, owned=True)
        except SafeFileError as exc:
            raise UnsafeFileError(exc.errno, exc.strerror) from None
        except IsADirectoryError as exc:
            raise StoreNotWritableError(
                f"cannot read {path}: it is a folder, not a file. Choose a results folder "
                "with --results DIR."
            ) from exc
        except PermissionError as exc:
            if path.exists():
                raise StoreNotWritableError(
                    f"cannot write {path}: the file is read-only for you (permission denied). "
                    "Nothing was changed; fix its permissions or choose another results "
                    "folder with --results DIR."
                ) from exc
            raise StoreNotWritableError(
                f"cannot write in {path.parent}: {exc.strerror or exc}. "
                "Your answers could not be saved there; choose a writable results folder "
                "(--results DIR) or fix the folder's permissions."
            ) from exc
        except OSError as exc:
            raise StoreNotWritableError(
                f"cannot write in {path.parent}: {exc.strerror or exc} ({path}). "
                "Your answers could not be saved there; choose a writable results folder "
                "(--results DIR) or fix the folder's permissions."
            ) from exc
        return fd

    def _write_lock_note(self) -> None:
        """Who holds the file, for the message a second instance shows (a note only: the
        lock itself is on the data file)."""
        note = self.path.with_name(self.path.name + ".lock")
        lock_fd = self._open_own(note, os.O_RDWR | os.O_CREAT)
        try:
            os.ftruncate(lock_fd, 0)
            os.write(lock_fd, f"pid {os.getpid()} since {iso_ms(utc_now())}\n".encode())
        finally:
            os.close(lock_fd)

    def _recover_and_load(self) -> LoadedLines:
        loaded = LoadedLines()
        assert self._fd is not None
        data = read_all(self._fd)
        if not data:
            return loaded
        cut = len(data)
        tail = b""
        if not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            tail = data[cut:]
        if tail.strip():
            # A crash mid-write leaves a partial last line: keep it aside, never drop it.
            stamp = iso_ms(utc_now()).replace(":", "")
            side, fd = self._new_side_file(stamp)
            try:
                os.write(fd, tail)
                os.fsync(fd)
            finally:
                os.close(fd)
            line_no = data.count(b"\n", 0, cut) + 1
            loaded.torn_saved_to = side
            loaded.problems.append(
                Problem(
                    self.path,
                    _(
                        "the last line was torn (incomplete, {size} bytes), probably by a "
                        "crash; it was moved to {side} and the file was cut back to its last "
                        "complete line"
                    ).format(size=len(tail), side=side.name),
                    line_no,
                    severity="warning",
                )
            )
        if cut != len(data):
            # Through our own descriptor: the file checked above, never a symlink's target.
            os.ftruncate(self._fd, cut)
            os.fsync(self._fd)
        for number, obj, error in parse_jsonl_bytes(data[:cut]):
            if obj is None:
                loaded.problems.append(Problem(self.path, error or _("bad line"), number))
            else:
                loaded.records.append(obj)
                loaded.numbers.append(number)
        return loaded

    def _new_side_file(self, stamp: str) -> tuple[Path, int]:
        """A side file that exists nowhere yet: never overwrite an earlier torn line."""
        for n in range(1000):
            suffix = f".torn-{stamp}" + (f"-{n}" if n else "")
            side = self.path.with_name(self.path.name + suffix)
            try:
                fd, _ = open_regular(side, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                return side, fd
            except FileExistsError:
                continue
        raise StoreNotWritableError(f"cannot find a free name for the torn line of {self.path}")

    # -- writing -------------------------------------------------------------------------
    def append(self, record: dict[str, Any]) -> None:
        """Append one line; returns only once it is on disk (flushed and fsynced)."""
        if self.gone:
            raise StoreGoneError(self.path, record)
        if self._fd is None:
            raise RuntimeError("store is not open")
        line = orjson.dumps(record) + b"\n"
        if self._dirty:
            # An earlier failed write may have left part of a line: end it, so this line
            # stays whole (the fragment is then reported as a bad line on the next open).
            line = b"\n" + line
        start = os.fstat(self._fd).st_size
        try:
            view = memoryview(line)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fsync(self._fd)
        except OSError:
            # Disk full, quota, I/O error: take back what was written, so the next answer
            # does not join a fragment of this one.
            try:
                os.ftruncate(self._fd, start)
                self._dirty = False
            except OSError:
                self._dirty = True
            raise
        self._dirty = False
        if not same_file(self._fd, self.path):
            # Written to an inode nobody can find (rm -rf of the batch, a sync tool's
            # rename): saying "saved" now would be a lie. Stop writing there.
            fd, self._fd = self._fd, None
            os.close(fd)
            self.gone = True
            raise StoreGoneError(self.path, record)

    def present(self) -> bool:
        """Whether the path still names the file this store opened (also after close()): a
        deleted batch folder or a file replaced by rename means what was written is lost."""
        if self.gone or self.identity is None:
            return not self.gone and self.identity is None
        try:
            info = os.stat(self.path, follow_symlinks=False)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self.identity

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> AppendOnlyJsonl:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
