"""A byte-offset index over a JSONL file, so an item is read and parsed only when shown.

Scanning is incremental: the first lines are indexed synchronously (the first item appears at
once), the rest by a worker calling scan() until it reports completion. A file that grows
while open (tasks.jsonl may be appended to) is picked up by scanning again.
"""

from __future__ import annotations

import os
import threading
from array import array
from pathlib import Path

BOM = b"\xef\xbb\xbf"
_CHUNK = 8 * 1024 * 1024


class JsonlIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.offsets = array("Q")  # start of each non-blank line
        self.lengths = array("Q")  # its length without the line end
        self.line_numbers = array("Q")  # its 1-based line number in the file
        self.has_bom = False
        self.crlf = False
        self._scanned = 0  # bytes consumed up to the end of the last complete line
        self._line_no = 0
        self._open_tail = False  # the last indexed line had no line end yet
        self._seen = 0  # bytes looked at, an unterminated last line included
        self._fd: int | None = None
        # Readers (the UI) and the scanning worker share the arrays: the lock keeps a
        # reader from seeing them mid-update (three arrays, and the open tail's pop).
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self.offsets)

    @property
    def complete(self) -> bool:
        try:
            size = os.stat(self.path).st_size
        except OSError:
            return True
        return self._seen >= size

    def scan(self, max_lines: int | None = None) -> bool:
        """Index more lines; returns True when the whole file (as of now) is indexed."""
        with self._lock:
            return self._scan(max_lines)

    def _scan(self, max_lines: int | None) -> bool:
        if self._open_tail:
            # The unterminated last line may have been completed since; index it again.
            self.offsets.pop()
            self.lengths.pop()
            self.line_numbers.pop()
            self._line_no -= 1
            self._open_tail = False
        added = 0
        with self.path.open("rb") as fh:
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
                        self.lengths.append(end - start)
                        self.line_numbers.append(self._line_no)
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
                self.lengths.append(len(carry.rstrip(b"\r")))
                self.line_numbers.append(self._line_no)
                self._open_tail = True
            self._seen = self._scanned + len(carry)
            return True

    def entry(self, index: int) -> tuple[int, int, int]:
        """(offset, length, line number) of one indexed line, read consistently."""
        with self._lock:
            return self.offsets[index], self.lengths[index], self.line_numbers[index]

    def line(self, index: int) -> bytes:
        offset, length, _ = self.entry(index)
        if self._fd is None:
            # One descriptor for every read: opening the file per line cost 4/5 of the time
            # of looking a line up. pread needs no seek, so threads can share it.
            with self._lock:
                if self._fd is None:
                    self._fd = os.open(self.path, os.O_RDONLY)
        return os.pread(self._fd, length, offset)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def line_number(self, index: int) -> int:
        return self.entry(index)[2]
