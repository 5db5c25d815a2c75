"""A byte-offset index over a JSONL file, so an item is read and parsed only when shown.

Scanning is incremental: the first lines are indexed synchronously (the first item appears at
once), the rest by a worker calling scan() until it reports completion. A file that grows
while open (tasks.jsonl may be appended to) is picked up by scanning again.

Offsets only mean something in the file they were taken from, so every scan and every line
is read through one descriptor opened at the first scan. A file replaced by a rename (what
sync tools do) is noticed by its inode: the index keeps serving the file it opened, whole
and consistent, and `change` says "replaced" (reopen to see the new one). A file rewritten
in place (shrunk, or its indexed bytes changed) is indexed again from the start and
`change` says "rewritten".
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
from array import array
from collections.abc import Iterator
from pathlib import Path

BOM = b"\xef\xbb\xbf"
_CHUNK = 8 * 1024 * 1024
_PROBE = 64  # bytes before the end of the indexed part, compared on every scan
# Lengths and line numbers are 4-byte; a longer line is refused anyway (MAX_LINE_BYTES), so
# a capped length still says "too long".
_CAP = 0xFFFFFFFF


class _FdReader:
    """read()/seek() over os.pread: the shared descriptor's offset is never moved."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.pos = 0

    def seek(self, pos: int) -> None:
        self.pos = pos

    def read(self, size: int) -> bytes:
        data = os.pread(self.fd, size, self.pos)
        self.pos += len(data)
        return data


class JsonlIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        # 16 bytes per task: 1M tasks cost 16 MB, never a Python object per line.
        self.offsets = array("Q")  # start of each non-blank line
        self.lengths = array("I")  # its length without the line end (capped, see _CAP)
        self.line_numbers = array("I")  # its 1-based line number in the file (capped)
        self.has_bom = False
        self.crlf = False
        self._scanned = 0  # bytes consumed up to the end of the last complete line
        self._line_no = 0
        self._open_tail = False  # the last indexed line had no line end yet
        self._seen = 0  # bytes looked at, an unterminated last line included
        self._fd: int | None = None
        self._identity: tuple[int, int] | None = None
        self._probe = b""  # the last bytes of the indexed part, as they were read
        self._head = b""  # the first bytes of the file, as they were read
        self.change: str | None = None  # None, "replaced" or "rewritten"
        # Readers (the UI) and the scanning worker share the arrays: the lock keeps a
        # reader from seeing them mid-update (three arrays, and the open tail's pop).
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self.offsets)

    @property
    def complete(self) -> bool:
        try:
            size = os.fstat(self._fd).st_size if self._fd is not None else self.path.stat().st_size
        except OSError:
            return True
        return self._seen >= size

    def _descriptor(self) -> int:
        if self._fd is None:
            # Never blocks on a FIFO planted under the name; only a regular file is read.
            flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
            fd = os.open(self.path, flags)
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                os.close(fd)
                raise OSError(errno.EINVAL, f"{self.path} is not a regular file")
            os.set_blocking(fd, True)
            self._fd = fd
            self._identity = (info.st_dev, info.st_ino)
        return self._fd

    def _notice_changes(self, fd: int) -> None:
        """Say "replaced" when the path names another file now; start again from scratch
        when the file we read was rewritten in place (shrunk, or indexed bytes changed)."""
        try:
            info = os.stat(self.path)
            if (info.st_dev, info.st_ino) != self._identity:
                self.change = "replaced"
        except OSError:
            self.change = "replaced"  # deleted (or renamed away): the open file stays whole
        size = os.fstat(fd).st_size
        rewritten = size < self._seen
        if not rewritten and self._probe:
            at = self._scanned - len(self._probe)
            rewritten = os.pread(fd, len(self._probe), at) != self._probe
        if not rewritten and self._head:
            rewritten = os.pread(fd, len(self._head), 0) != self._head
        if rewritten:
            self.change = "rewritten"
            for arr in (self.offsets, self.lengths, self.line_numbers):
                del arr[:]
            self.has_bom = self.crlf = self._open_tail = False
            self._scanned = self._line_no = self._seen = 0
            self._probe = self._head = b""

    def reopen(self) -> None:
        """Forget everything and index the file now at the path from the start."""
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
            self._fd = None
            for arr in (self.offsets, self.lengths, self.line_numbers):
                del arr[:]
            self.has_bom = self.crlf = self._open_tail = False
            self._scanned = self._line_no = self._seen = 0
            self._probe = self._head = b""
            self.change = None

    def scan(self, max_lines: int | None = None) -> bool:
        """Index more lines; returns True when the whole file (as of now) is indexed."""
        with self._lock:
            return self._scan(max_lines)

    def _scan(self, max_lines: int | None) -> bool:
        fresh = self._fd is None
        fd = self._descriptor()
        if not fresh:
            self._notice_changes(fd)
        try:
            return self._scan_from(fd, max_lines)
        finally:
            if self._scanned:
                start = max(0, self._scanned - _PROBE)
                self._probe = os.pread(fd, self._scanned - start, start)
                self._head = os.pread(fd, min(_PROBE, self._scanned), 0)

    def _scan_from(self, fd: int, max_lines: int | None) -> bool:
        if self._open_tail:
            # The unterminated last line may have been completed since; index it again.
            self.offsets.pop()
            self.lengths.pop()
            self.line_numbers.pop()
            self._line_no -= 1
            self._open_tail = False
        added = 0
        fh = _FdReader(fd)
        if self._scanned == 0:
            head = fh.read(3)
            if head == BOM:
                self.has_bom = True
                self._scanned = 3
        fh.seek(self._scanned)
        pos = self._scanned
        carry = b""
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            buf = carry + chunk
            base = pos - len(carry)
            start = 0
            find = buf.find
            while True:
                nl = find(b"\n", start)
                if nl < 0:
                    break
                self._line_no += 1
                end = nl
                if end > start and buf[end - 1] == 13:  # CR of a CRLF
                    end -= 1
                    self.crlf = True
                if end > start and buf[start:end].strip():
                    self.offsets.append(base + start)
                    self.lengths.append(min(end - start, _CAP))
                    self.line_numbers.append(min(self._line_no, _CAP))
                    added += 1
                start = nl + 1
                if max_lines is not None and added >= max_lines:
                    self._scanned = self._seen = base + start
                    return False
            carry = buf[start:]
            pos = base + len(buf)
            self._scanned = pos - len(carry)
            self._seen = self._scanned
        if carry.strip():
            # A last line without a line end: index it, but look at it again next scan.
            self._line_no += 1
            self.offsets.append(self._scanned)
            self.lengths.append(min(len(carry.rstrip(b"\r")), _CAP))
            self.line_numbers.append(min(self._line_no, _CAP))
            self._open_tail = True
        self._seen = self._scanned + len(carry)
        return True

    def entry(self, index: int) -> tuple[int, int, int]:
        """(offset, length, line number) of one indexed line, read consistently."""
        with self._lock:
            return self.offsets[index], self.lengths[index], self.line_numbers[index]

    def line(self, index: int) -> bytes:
        offset, length, _ = self.entry(index)
        # One descriptor for every read (opening the file per line cost 4/5 of the time of
        # looking a line up), and the same one the offsets were taken from. pread needs no
        # seek, so threads can share it.
        with self._lock:
            fd = self._descriptor()
        return os.pread(fd, length, offset)

    def iter_lines(self, chunk: int = _CHUNK) -> Iterator[tuple[int, int, bytes]]:
        """(index, line number, bytes) of every indexed line, read in large chunks through
        the one descriptor: a pass over a 1M-line file without a pread per line."""
        with self._lock:
            fd = self._descriptor()
            count = len(self.offsets)
        index = 0
        while index < count:
            with self._lock:
                first = self.offsets[index]
                stop = index + 1
                end = first + self.lengths[index]
                while stop < count and self.offsets[stop] + self.lengths[stop] - first <= chunk:
                    end = self.offsets[stop] + self.lengths[stop]
                    stop += 1
                spans = [
                    (self.offsets[k] - first, self.lengths[k], self.line_numbers[k])
                    for k in range(index, stop)
                ]
            data = os.pread(fd, end - first, first)
            for k, (start, length, line_no) in enumerate(spans):
                yield index + k, line_no, data[start : start + length]
            index = stop

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __del__(self) -> None:
        # The descriptor is held from the first scan: do not leak it with the index.
        fd = getattr(self, "_fd", None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def line_number(self, index: int) -> int:
        return self.entry(index)[2]
