"""The first line of every task id, for validation's duplicate check, in flat int arrays.

A dict of a million task ids keeps every id string alive (~200 MB at the peak for a 1M-task
batch), and glibc does not give most of it back afterwards: the batch then stays ~60 MB
heavier for the rest of the day. Here an open-addressing table holds only each id's hash,
its item index and its line number, in three `array('q')`s (24 bytes per slot, at most half
full). Arrays that large are mapped pages of their own, returned to the system the moment the
table is dropped. Two ids with the same hash are told apart by reading the earlier id back
(`id_at`), so a hash collision never reports a false duplicate.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable


class FirstSeen:
    def __init__(self, expected: int, id_at: Callable[[int], str]) -> None:
        size = 8
        while size < 2 * max(expected, 1):
            size *= 2
        self._mask = size - 1
        self._hashes = array("q", [0]) * size
        self._indexes = array("q", [0]) * size  # item index + 1; 0 marks an empty slot
        self._lines = array("q", [0]) * size
        self._id_at = id_at
        self._count = 0

    def first_line(self, task_id: str, index: int, line_no: int) -> int:
        """The line the id was first seen on; records it (with this line) when it is new."""
        if 2 * (self._count + 1) > self._mask + 1:
            self._grow()
        hashed = hash(task_id)
        slot = hashed & self._mask
        while self._indexes[slot]:
            if self._hashes[slot] == hashed and self._id_at(self._indexes[slot] - 1) == task_id:
                return self._lines[slot]
            slot = (slot + 1) & self._mask
        self._put(slot, hashed, index, line_no)
        return line_no

    def _put(self, slot: int, hashed: int, index: int, line_no: int) -> None:
        self._hashes[slot] = hashed
        self._indexes[slot] = index + 1
        self._lines[slot] = line_no
        self._count += 1

    def _grow(self) -> None:
        """More ids than expected (the file grew while validating): double the table."""
        old = zip(self._hashes, self._indexes, self._lines, strict=True)
        size = 2 * (self._mask + 1)
        self._mask = size - 1
        hashes, indexes, lines = (array("q", [0]) * size for _ in range(3))
        self._hashes, self._indexes, self._lines = hashes, indexes, lines
        self._count = 0
        for hashed, index_plus_one, line_no in old:
            if index_plus_one:
                slot = hashed & self._mask
                while self._indexes[slot]:
                    slot = (slot + 1) & self._mask
                self._put(slot, hashed, index_plus_one - 1, line_no)
