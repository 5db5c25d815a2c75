"""The state of one audit review session, without Textual: the plan, where the auditor is,
which task line each planned item is, the auditor's active time, and recording verdicts.

The review screen (tui/screens/audit_review.py) shows what this holds and calls record();
record() returns only once the audit line is appended and fsynced by AuditWriter.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tui import __version__
from tui.core.active_clock import ActiveClock
from tui.core.audit import (
    AuditWriter,
    PlanItemStatus,
    PlanProgress,
    build_audit_record,
)
from tui.core.batch import Batch, Item, task_id_of
from tui.core.keymap import Keymap, build_keymap
from tui.core.records import AuditRecord, utc_now
from tui.core.task_type import TaskType

# The app.* ids the review screen acts on (keys from keymaps/default.toml and its layers).
AUDIT_APP_IDS: tuple[str, ...] = (
    "app.submit",
    "app.skip",
    "app.back",
    "app.forward",
    "app.guidelines",
    "app.help",
    "app.reveal",
    "app.quit",
)


def build_audit_keymap(
    task_type: TaskType,
    *,
    chosen: str | None = None,
    user_file: Path | None = None,
    batch_table: Mapping[str, Any] | None = None,
    batch_file: Path | str = "batch.toml",
) -> Keymap:
    """The labeling keymap with the audit.* bindings first (keymaps/default.toml [audit])."""
    return build_keymap(
        task_type,
        chosen=chosen,
        user_file=user_file,
        batch_table=batch_table,
        batch_file=batch_file,
        audit=True,
    )


def clock_key(status: PlanItemStatus) -> str:
    """The same task can be planned for two annotators: time is kept per (annotator, task)."""
    return f"{status.item.annotator}/{status.item.task_id}"


@dataclass
class AuditSession:
    batch: Batch
    progress: PlanProgress
    writer: AuditWriter
    keymap: Keymap
    clock: ActiveClock
    auditor: str
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    statuses: list[PlanItemStatus] = field(default_factory=list)
    position: int = 0
    finished: bool = False
    recorded: list[AuditRecord] = field(default_factory=list)
    # task id -> line index in tasks.jsonl, for the planned ids only.
    task_index: dict[str, int] = field(default_factory=dict)
    located_all: bool = False
    _scanned: int = 0
    _shown_at: dict[int, datetime] = field(default_factory=dict)
    # Time of a verdict that could not be written (disk error): added to the next attempt.
    _carry: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.statuses:
            self.statuses = list(self.progress.statuses)
        self._wanted = {s.item.task_id for s in self.statuses}
        first = self.next_open(-1)
        self.finished = first is None
        self.position = first if first is not None else 0
        self.locate(limit=len(self.batch))

    # -- the plan --------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def done(self) -> int:
        return sum(1 for s in self.statuses if s.done)

    def verdict_counts(self) -> dict[str, int]:
        counts = {"pass": 0, "fail": 0, "corrected": 0}
        for status in self.statuses:
            if status.audit is not None:
                counts[status.audit.verdict] += 1
        return counts

    def current(self) -> PlanItemStatus | None:
        if self.finished or not self.statuses:
            return None
        return self.statuses[self.position]

    def next_open(self, after: int, *, exclude: int | None = None) -> int | None:
        """The plan position of the first item not audited after `after`, wrapping."""
        count = len(self.statuses)
        for step in range(1, count + 1):
            pos = (after + step) % count
            if pos != exclude and not self.statuses[pos].done:
                return pos
        return None

    def show(self) -> None:
        """The current item is on screen: its active time starts counting."""
        status = self.current()
        if status is None:
            self.clock.focus(None)
            return
        self.clock.focus(clock_key(status))
        self._shown_at.setdefault(self.position, utc_now())

    def go(self, position: int) -> None:
        self.finished = False
        self.position = position

    def back(self) -> bool:
        if self.finished and self.statuses:
            self.go(len(self.statuses) - 1)
            return True
        if self.position == 0:
            return False
        self.go(self.position - 1)
        return True

    def forward(self) -> bool:
        if self.finished or self.position + 1 >= len(self.statuses):
            return False
        self.go(self.position + 1)
        return True

    def skip(self) -> bool:
        """Leave the current item unaudited for now and go to the next unaudited one."""
        if self.finished:
            return False
        target = self.next_open(self.position, exclude=self.position)
        if target is None:
            return False
        self.go(target)
        return True

    # -- task lines ------------------------------------------------------------------------
    def locate(self, limit: int | None = None) -> None:
        """Map planned task ids to line indexes over the lines indexed so far (or `limit`)."""
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

    def item_of(self, status: PlanItemStatus) -> Item | None:
        index = self.task_index.get(status.item.task_id)
        return self.batch.item(index) if index is not None else None

    # -- verdicts --------------------------------------------------------------------------
    def record(
        self,
        verdict: str,
        *,
        errors: Sequence[str] = (),
        corrected_value: Mapping[str, Any] | None = None,
        comment: str = "",
    ) -> AuditRecord:
        """Validate, append and fsync the verdict on the current item, then move on to the
        next unaudited item (or the end). Raises AuditInputError, or OSError from the disk."""
        status = self.current()
        if status is None or status.answer is None:
            raise ValueError("there is no answer here to audit")
        started = self._shown_at.get(self.position, utc_now())
        kwargs: dict[str, Any] = {
            "verdict": verdict,
            "errors": errors,
            "corrected_value": corrected_value,
            "comment": comment,
            "session_id": self.session_id,
            "started_at": started,
            "app_version": __version__,
        }
        # Check first, so a refused verdict keeps its time for the next attempt.
        build_audit_record(
            self.writer.batch,
            self.auditor,
            status.answer,
            submitted_at=started,
            active_ms=0,
            **kwargs,
        )
        key = clock_key(status)
        ms, keys = self.clock.take(key)
        carried_ms, carried_keys = self._carry.pop(key, (0, 0))
        ms, keys = ms + carried_ms, keys + carried_keys
        try:
            record = self.writer.record(
                status.answer, submitted_at=utc_now(), active_ms=ms, keys=keys, **kwargs
            )
        except BaseException:
            self._carry[key] = (ms, keys)
            raise
        self.statuses[self.position] = replace(status, audit=record)
        self.recorded.append(record)
        self._shown_at.pop(self.position, None)
        target = self.next_open(self.position)
        if target is None:
            self.finished = True
        else:
            self.position = target
        return record
