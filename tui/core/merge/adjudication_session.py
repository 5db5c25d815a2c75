"""The state of one adjudication session, without Textual: the queue of items whose
annotators disagree, where the adjudicator is, which task line each item is, which answer
the view shows, the adjudicator's active time, and recording decisions.

It mirrors AuditSession (tui/core/audit/review_session.py): the same plan-like navigation
(skip, back, forward, the first undecided item next), the same lazy location of task lines,
the same rule that record() returns only once the line is appended and fsynced.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tui import __version__
from tui.core.active_clock import ActiveClock
from tui.core.batch import Batch, Item, task_id_of
from tui.core.keymap import Keymap, build_keymap
from tui.core.merge.adjudications import Adjudication, AdjudicationWriter, BasedOn
from tui.core.merge.merge import Group, MergedRecord, Vote
from tui.core.records import utc_now
from tui.core.task_type import TaskType

# The app.* ids the adjudication screen acts on, as on the audit review screen.
ADJUDICATE_APP_IDS: tuple[str, ...] = (
    "app.submit",
    "app.skip",
    "app.back",
    "app.forward",
    "app.guidelines",
    "app.help",
    "app.reveal",
    "app.quit",
)


def build_adjudicate_keymap(
    task_type: TaskType,
    *,
    chosen: str | None = None,
    user_file: Path | None = None,
    batch_table: Mapping[str, Any] | None = None,
    batch_file: Path | str = "batch.toml",
) -> Keymap:
    """The audit review keymap with the adjudicate.* bindings first."""
    return build_keymap(
        task_type,
        chosen=chosen,
        user_file=user_file,
        batch_table=batch_table,
        batch_file=batch_file,
        adjudicate=True,
    )


@dataclass
class QueueItem:
    record: MergedRecord
    decision: Adjudication | None = None

    @property
    def task_id(self) -> str:
        return self.record.task_id

    @property
    def done(self) -> bool:
        return self.decision is not None

    @property
    def choices(self) -> tuple[Group, ...]:
        """The distinct answers, most votes first: answer N is picked with key N."""
        return self.record.groups

    def based_on(self) -> list[BasedOn]:
        return [BasedOn(v.annotator, v.revision) for v in self.record.votes]


@dataclass
class AdjudicationSession:
    batch: Batch
    items: list[QueueItem]
    writer: AdjudicationWriter
    keymap: Keymap
    clock: ActiveClock
    adjudicator: str
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    position: int = 0
    finished: bool = False
    # Which of the current item's distinct answers the view shows (0: the most voted).
    shown_choice: int = 0
    recorded: list[Adjudication] = field(default_factory=list)
    task_index: dict[str, int] = field(default_factory=dict)
    located_all: bool = False
    _scanned: int = 0
    _shown_at: dict[int, datetime] = field(default_factory=dict)
    _carry: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._wanted = {item.task_id for item in self.items}
        first = self.next_open(-1)
        self.finished = first is None
        self.position = first if first is not None else 0
        self.locate(limit=len(self.batch))

    # -- the queue -------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.done)

    def current(self) -> QueueItem | None:
        if self.finished or not self.items:
            return None
        return self.items[self.position]

    def shown_vote(self) -> Vote | None:
        """The answer the view shows: the first annotator of the shown distinct answer."""
        item = self.current()
        if item is None or not item.choices:
            return None
        return item.choices[self.shown_choice % len(item.choices)].first

    def show_next_choice(self) -> bool:
        item = self.current()
        if item is None or len(item.choices) < 2:
            return False
        self.shown_choice = (self.shown_choice + 1) % len(item.choices)
        return True

    def next_open(self, after: int, *, exclude: int | None = None) -> int | None:
        count = len(self.items)
        for step in range(1, count + 1):
            pos = (after + step) % count
            if pos != exclude and not self.items[pos].done:
                return pos
        return None

    def show(self) -> None:
        item = self.current()
        if item is None:
            self.clock.focus(None)
            return
        self.clock.focus(item.task_id)
        self._shown_at.setdefault(self.position, utc_now())

    def go(self, position: int) -> None:
        self.finished = False
        if position != self.position:
            self.shown_choice = 0
        self.position = position

    def back(self) -> bool:
        if self.finished and self.items:
            self.go(len(self.items) - 1)
            return True
        if self.position == 0:
            return False
        self.go(self.position - 1)
        return True

    def forward(self) -> bool:
        if self.finished or self.position + 1 >= len(self.items):
            return False
        self.go(self.position + 1)
        return True

    def skip(self) -> bool:
        if self.finished:
            return False
        target = self.next_open(self.position, exclude=self.position)
        if target is None:
            return False
        self.go(target)
        return True

    # -- task lines ------------------------------------------------------------------------
    def locate(self, limit: int | None = None) -> None:
        """Map queued task ids to line indexes over the lines indexed so far (or `limit`)."""
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

    def item_of(self, queued: QueueItem) -> Item | None:
        index = self.task_index.get(queued.task_id)
        return self.batch.item(index) if index is not None else None

    # -- decisions -------------------------------------------------------------------------
    def pick(self, n: int) -> Adjudication:
        """Answer n (1-based) of the current item's distinct answers is right."""
        item = self.current()
        if item is None:
            raise ValueError("there is no item here to decide")
        if not 1 <= n <= len(item.choices):
            raise ValueError(f"there is no answer {n} here (1 to {len(item.choices)})")
        group = item.choices[n - 1]
        return self._record(
            item, "pick", group.first.answer, group.first.value, chosen=group.annotators
        )

    def correct(self, answer: str, value: dict[str, Any] | None) -> Adjudication:
        """The adjudicator's own answer (edited in the task's view) is right."""
        item = self.current()
        if item is None:
            raise ValueError("there is no item here to decide")
        task_type = self.batch.task_type
        task_type.parse_answer(value or {})  # pydantic ValidationError if not
        key = (answer, task_type.answer_key(value))
        for group in item.choices:
            if group.key == key:
                # The "correction" is one of the answers: recorded as picking it, so the
                # record says whose answer it is.
                return self._record(item, "pick", answer, value, chosen=group.annotators)
        return self._record(item, "correct", answer, value, chosen=[])

    def _record(
        self,
        item: QueueItem,
        decision: str,
        answer: str,
        value: dict[str, Any] | None,
        *,
        chosen: list[str],
    ) -> Adjudication:
        key = item.task_id
        ms, keys = self.clock.take(key)
        carried_ms, carried_keys = self._carry.pop(key, (0, 0))
        ms, keys = ms + carried_ms, keys + carried_keys
        try:
            record = self.writer.record(
                task_id=item.task_id,
                decision=decision,
                answer=answer,
                value=value,
                chosen=chosen,
                based_on=item.based_on(),
                submitted_at=utc_now(),
                active_ms=ms,
                keys=keys,
                session_id=self.session_id,
                app_version=__version__,
            )
        except BaseException:
            self._carry[key] = (ms, keys)  # the time counts on the next attempt
            raise
        item.decision = record
        self.recorded.append(record)
        self._shown_at.pop(self.position, None)
        target = self.next_open(self.position)
        if target is None:
            self.finished = True
        else:
            self.go(target)
        return record
