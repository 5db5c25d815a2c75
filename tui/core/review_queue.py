"""What a review session holds whatever it decides, without Textual: a list of entries to
decide (an audit plan, an adjudication queue), where the reviewer is, which task line each
entry is, the reviewer's active time per entry, and saving one decision.

AuditSession (tui/core/audit/review_session.py) and AdjudicationSession
(tui/core/merge/adjudication_session.py) are this with their own entries and records; the
review screens (tui/screens/review.py) drive both the same way.

Saving: `save()` returns only once the writer has appended and fsynced the line and checked
that the file still names what it wrote (AppendOnlyJsonl.append: "saved" means findable).
A write that fails changes nothing: the entry stays open, the position stays, and its
active time is kept for the next attempt.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, Protocol, TypedDict, TypeVar, Unpack

from tui.core.active_clock import ActiveClock
from tui.core.batch import Batch, Item, task_id_of
from tui.core.keymap import Keymap
from tui.core.problems import Problem
from tui.core.records import utc_now
from tui.core.task_type import TaskType

# The app.* ids the review screens act on (keys from keymaps/default.toml and its layers).
REVIEW_APP_IDS: tuple[str, ...] = (
    "app.submit",
    "app.skip",
    "app.back",
    "app.forward",
    "app.guidelines",
    "app.help",
    "app.reveal",
    "app.quit",
)


class Decidable(Protocol):
    """An entry of a review: decided once a record of the reviewer's is on it."""

    @property
    def done(self) -> bool: ...


class ReviewWriter(Protocol):
    """The file a review appends to (held open and locked for the session)."""

    @property
    def path(self) -> Path: ...

    def open(self) -> list[Problem]: ...

    def close(self) -> None: ...


class KeymapLayers(TypedDict, total=False):
    """The layers over keymaps/default.toml (build_keymap's arguments of the same names)."""

    chosen: str | None
    user_file: Path | None
    batch_table: Mapping[str, Any] | None
    batch_file: Path | str


class KeymapBuilder(Protocol):
    """build_audit_keymap / build_adjudicate_keymap: the review keymap with a batch's layers."""

    def __call__(self, task_type: TaskType, **layers: Unpack[KeymapLayers]) -> Keymap: ...


EntryT = TypeVar("EntryT", bound=Decidable)
RecordT = TypeVar("RecordT")
WriterT = TypeVar("WriterT", bound=ReviewWriter)


@dataclass(kw_only=True)
class ReviewQueue(ABC, Generic[EntryT, RecordT, WriterT]):
    batch: Batch
    writer: WriterT
    keymap: Keymap
    clock: ActiveClock
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    position: int = 0
    finished: bool = False
    recorded: list[RecordT] = field(default_factory=list)
    # task id -> line index in tasks.jsonl, for the reviewed ids only.
    task_index: dict[str, int] = field(default_factory=dict)
    located_all: bool = False
    _scanned: int = 0
    _shown_at: dict[int, datetime] = field(default_factory=dict)
    # Time of a decision that could not be written (disk error): added to the next attempt.
    _carry: dict[str, tuple[int, int]] = field(default_factory=dict)

    # -- what a review says about its entries -----------------------------------------------
    @property
    @abstractmethod
    def entries(self) -> list[EntryT]:
        """The entries in review order (the plan, the queue)."""

    @abstractmethod
    def entry_task_id(self, entry: EntryT) -> str:
        """The task id of an entry."""

    def clock_key(self, entry: EntryT) -> str:
        """Under which name the entry's active time is kept."""
        return self.entry_task_id(entry)

    def start(self) -> None:
        """From __post_init__: the first open entry, and the task lines indexed so far."""
        self._wanted = {self.entry_task_id(entry) for entry in self.entries}
        first = self.next_open(-1)
        self.finished = first is None
        self.position = first if first is not None else 0
        self.locate(limit=len(self.batch))

    # -- the entries -----------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def done(self) -> int:
        return sum(1 for entry in self.entries if entry.done)

    def current(self) -> EntryT | None:
        if self.finished or not self.entries:
            return None
        return self.entries[self.position]

    def next_open(self, after: int, *, exclude: int | None = None) -> int | None:
        """The position of the first undecided entry after `after`, wrapping."""
        entries = self.entries
        count = len(entries)
        for step in range(1, count + 1):
            pos = (after + step) % count
            if pos != exclude and not entries[pos].done:
                return pos
        return None

    def show(self) -> None:
        """The current entry is on screen: its active time starts counting."""
        entry = self.current()
        if entry is None:
            self.clock.focus(None)
            return
        self.clock.focus(self.clock_key(entry))
        self._shown_at.setdefault(self.position, utc_now())

    def shown_at(self) -> datetime:
        """When the current entry was first shown (now if it was not)."""
        return self._shown_at.get(self.position, utc_now())

    def go(self, position: int) -> None:
        self.finished = False
        self.position = position

    def back(self) -> bool:
        if self.finished and self.entries:
            self.go(len(self.entries) - 1)
            return True
        if self.position == 0:
            return False
        self.go(self.position - 1)
        return True

    def forward(self) -> bool:
        if self.finished or self.position + 1 >= len(self.entries):
            return False
        self.go(self.position + 1)
        return True

    def skip(self) -> bool:
        """Leave the current entry undecided for now and go to the next undecided one."""
        if self.finished:
            return False
        target = self.next_open(self.position, exclude=self.position)
        if target is None:
            return False
        self.go(target)
        return True

    # -- task lines ------------------------------------------------------------------------
    def locate(self, limit: int | None = None) -> None:
        """Map the reviewed task ids to line indexes over the lines indexed so far (or
        `limit`)."""
        end = len(self.batch) if limit is None else min(limit, len(self.batch))
        while self._scanned < end and len(self.task_index) < len(self._wanted):
            line_no, raw, _ = self.batch.raw_line(self._scanned)
            if raw is not None:
                task_id = task_id_of(raw, line_no)
                if task_id in self._wanted:
                    self.task_index.setdefault(task_id, self._scanned)
            self._scanned += 1
        if len(self.task_index) == len(self._wanted) or (
            self.batch.fully_indexed and self._scanned >= len(self.batch)
        ):
            self.located_all = True

    def locate_rest(self) -> None:
        """Index the whole tasks file and finish the id map (for a worker thread)."""
        self.batch.index_rest()
        self.locate()

    def item_of(self, entry: EntryT) -> Item | None:
        index = self.task_index.get(self.entry_task_id(entry))
        return self.batch.item(index) if index is not None else None

    # -- saving ----------------------------------------------------------------------------
    def save(
        self,
        entry: EntryT,
        write: Callable[[int, int], RecordT],
        settle: Callable[[RecordT], None],
    ) -> RecordT:
        """Write the decision on the current entry with its active time (`write(active_ms,
        keys)` returns once the line is on disk), mark it decided (`settle`), then move on to
        the next undecided entry (or the end). What `write` raises leaves all as it was."""
        key = self.clock_key(entry)
        ms, keys = self.clock.take(key)
        carried_ms, carried_keys = self._carry.pop(key, (0, 0))
        ms, keys = ms + carried_ms, keys + carried_keys
        try:
            record = write(ms, keys)
        except BaseException:
            self._carry[key] = (ms, keys)  # the time counts on the next attempt
            raise
        settle(record)
        self.recorded.append(record)
        self._shown_at.pop(self.position, None)
        target = self.next_open(self.position)
        if target is None:
            self.finished = True
        else:
            self.go(target)
        return record
