"""One annotator working through one batch: position, answers, undo, skip, flag, timing.

The Textual screen is a thin layer over this class: every decision about what is saved and
which item comes next is made here, in plain Python, and tested without a terminal.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from tui import __version__
from tui.core.active_clock import ActiveClock
from tui.core.batch import Batch, Item
from tui.core.jsonl_store import StoreGoneError
from tui.core.kpi.tally import AnswerTally
from tui.core.records import AnswerKind, Flag, FlagReason, ResultRecord, utc_now
from tui.core.results import ResultsStore
from tui.core.safe_files import make_private_dirs, open_regular

if TYPE_CHECKING:
    from tui.core.kpi.live import LiveFigures
    from tui.core.team.queue import TeamQueue  # team batches only: imported by their worker


class SubmitRefusedError(ValueError):
    """The answer cannot be saved as it is (invalid value); the message says why."""


class LabelingSession:
    def __init__(
        self,
        batch: Batch,
        store: ResultsStore,
        clock: ActiveClock | None = None,
        now: Callable[[], datetime] = utc_now,
        team: TeamQueue | None = None,
    ) -> None:
        self.batch = batch
        # Team mode (issue 12): the next item is the next claimed task, not the next
        # unanswered one; a worker feeds the queue from the Coordinator.
        self.team = team
        self.store = store
        self.clock = clock or ActiveClock()
        self._now = now
        self.session_id = uuid.uuid4().hex
        self.position = 0
        self.invalid: set[int] = set()
        self.records: list[ResultRecord] = []  # this session's lines, in order
        # (task_id, index, the item's latest line before this session's answer)
        self._undo_stack: list[tuple[str, int, dict[str, Any] | None]] = []
        self._shown_at = now()
        self._item: Item | None = None
        self._taken = (0, 0)  # what the last _record() took from the clock
        self._unsaved: list[dict[str, Any]] = []  # refused with StoreGoneError
        # (task id, revision) of lost lines already written by rescue(): not written twice.
        self._rescued: set[tuple[object, object]] = set()
        self.last_answered: Item | None = None
        # Team mode: the queue arrives from a worker (team_expected until then); PgUp and
        # PgDn walk the items answered in this session, not the file (others' tasks).
        self.team_expected = team is not None
        self._trail: list[int] = []
        # Running KPI tallies: O(1) per answer, so the live figures never rescan files.
        self.batch_tally = AnswerTally(store.latest.values())
        self.session_tally = AnswerTally()

    def live_figures(self) -> LiveFigures:
        # Imported here: the live figures are first shown after the first item (start-up).
        from tui.core.kpi.live import live_figures_from_clock

        config = self.batch.config
        return live_figures_from_clock(
            self.session_tally,
            self.batch_tally,
            self.total,
            config.target_per_hour,
            self.clock,
            min_seconds=config.min_seconds,
        )

    def _remember(self, record: ResultRecord) -> None:
        self.records.append(record)
        self.batch_tally.add(record)
        self.session_tally.add(record)

    # -- position --------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.batch)

    @property
    def done(self) -> bool:
        return self.position >= self.total

    def answered_count(self) -> int:
        return self.store.answered_count()

    def remaining(self) -> int:
        return max(0, self.total - self.batch_tally.items)

    def is_answered_at(self, index: int) -> bool:
        return self.store.is_answered(self.batch.task_id_at(index))

    def first_unanswered(self, start: int = 0) -> int | None:
        index = start
        while True:
            while index < self.total:
                if not self.is_answered_at(index):
                    return index
                index += 1
            # Only the first lines may be indexed yet: never call a batch done before the
            # whole file has been looked at.
            if self.batch.fully_indexed:
                break
            self.batch.index.scan(max_lines=50_000)
        for index in range(0, min(start, self.total)):
            if not self.is_answered_at(index):
                return index
        return None

    def resume(self) -> int:
        """Go to the first unanswered item (the end when every item is answered). In team
        mode: the first claimed task (the end while the queue is empty)."""
        found = self.team.next_index() if self.team is not None else self.first_unanswered(0)
        self._go(self.total if found is None else found)
        return self.position

    def _go(self, index: int) -> None:
        self.position = index
        self._item = None
        self._shown_at = self._now()
        self.clock.focus(None if self.done else self.current().task_id)

    def current(self) -> Item:
        if self.done:
            raise IndexError("every item is answered")
        if self._item is None or self._item.index != self.position:
            self._item = self.batch.item(self.position)
        return self._item

    def current_valid(self) -> bool:
        return not self.done and self.position not in self.invalid and self.current().valid

    def previous_value(self) -> dict[str, Any] | None:
        """The latest saved value of the current item, for editing an earlier answer."""
        if self.done:
            return None
        record = self.store.latest.get(self.current().task_id)
        if record is None or record.get("answer") == "undone":
            return None
        value = record.get("value")
        return value if isinstance(value, dict) else None

    def previous_answer(self) -> str | None:
        """The kind of the current item's latest saved answer (None: unanswered, undone)."""
        if self.done:
            return None
        record = self.store.latest.get(self.current().task_id)
        answer = record.get("answer") if record is not None else None
        return answer if isinstance(answer, str) and answer != "undone" else None

    @property
    def team_mode(self) -> bool:
        return self.team is not None or self.team_expected

    def wait_for_team(self) -> None:
        """Team mode before the worker has opened the plan and taken claims: no item."""
        self.team_expected = True
        self._go(self.total)

    def back(self) -> bool:
        if self.team_mode:
            trail = self._trail
            here = trail.index(self.position) if self.position in trail else len(trail)
            if here == 0:
                return False
            self._go(trail[here - 1])
            return True
        if self.position == 0:
            return False
        self._go(self.position - 1)
        return True

    def jump(self, index: int) -> bool:
        """Go to item `index` (0-based), answered or not: the history panel's "go to"."""
        if not 0 <= index < self.total:
            return False
        self._go(index)
        return True

    def forward(self) -> bool:
        """Move on through answered items, up to the first unanswered one (team mode: through
        this session's answers, then the next claimed task)."""
        if self.team_mode and not self.done:
            if self.position not in self._trail:
                return False
            here = self._trail.index(self.position)
            if here + 1 < len(self._trail):
                self._go(self._trail[here + 1])
                return True
            nxt = self.team.next_index() if self.team is not None else None
            self._go(self.total if nxt is None else nxt)
            return True
        if self.done or not self.is_answered_at(self.position):
            return False
        self._go(self.position + 1)
        return True

    # -- answering -------------------------------------------------------------------------
    def submit(
        self,
        answer: AnswerKind,
        value: Mapping[str, Any] | None = None,
        flag: Flag | None = None,
        shown_ms: int | None = None,
    ) -> ResultRecord:
        """Save an answer for the current item (durably), then move to the next unanswered.
        `shown_ms`: how long the item had been painted on screen (the UI knows)."""
        item = self.current()
        checked: dict[str, Any] | None = None
        if value is not None:
            try:
                checked = self.batch.task_type.parse_answer(value).model_dump(mode="json")
            except ValueError as exc:
                from tui.core.pydantic_text import refusal_text

                raise SubmitRefusedError(refusal_text(exc)) from exc
        before = self.store.latest.get(item.task_id)
        record = self._record(item.task_id, answer, checked, flag, item)
        if shown_ms is not None:
            record = record.model_copy(update={"shown_ms": shown_ms})
        self._append(record)  # flushed and fsynced before we move on
        self._remember(record)
        self._undo_stack.append((item.task_id, item.index, before))
        self.last_answered = item  # the item this answer was for (gold feedback shows it)
        if self.team_mode:
            if item.index in self._trail:
                self._trail.remove(item.index)
            self._trail.append(item.index)
        if self.team is not None:
            self.team.answered(record.to_json_dict())
            nxt = self.team.next_index()
        else:
            nxt = self.first_unanswered(item.index + 1)
        self._go(self.total if nxt is None else nxt)
        return record

    @property
    def waiting_for_claims(self) -> bool:
        """Team mode with nothing claimed to show: the worker is taking claims (or the
        pool is empty: the coordinator's status says which)."""
        return self.team_mode and self.done

    def claims_arrived(self) -> bool:
        """After the worker added claims to the queue: show the first if nothing is shown.
        True when the item changed."""
        if self.team is None or not self.done:
            return False
        nxt = self.team.next_index()
        if nxt is None:
            return False
        self._go(nxt)
        return True

    def skip(self) -> ResultRecord:
        return self.submit("skip")

    def flag(self, reason: FlagReason, note: str = "") -> ResultRecord:
        return self.submit("flag", flag=Flag(reason=reason, note=note))

    def undo(self) -> ResultRecord | None:
        """Withdraw this session's last answer and show that item again. If the item had an
        answer before (an edit of an earlier answer), that answer is restored by a new line;
        otherwise an `undone` line withdraws it. Nothing is ever rewritten."""
        while self._undo_stack:
            task_id, index, before = self._undo_stack[-1]
            if not self.store.is_answered(task_id):
                self._undo_stack.pop()
                continue
            item = self.batch.item(index)
            focus = self.clock.focus_id
            self.clock.reassign(task_id)  # the time spent undoing belongs to that item
            if before is not None and before.get("answer") not in (None, "undone"):
                flag = Flag.model_validate(before["flag"]) if before.get("flag") else None
                record = self._record(task_id, before["answer"], before.get("value"), flag, item)
                record = record.model_copy(update={"restored_revision": before.get("revision")})
            else:
                record = self._record(task_id, "undone", None, None, item)
            try:
                self._append(record)
            except OSError:
                # Nothing changed: the stack keeps the entry (the next undo withdraws the
                # same answer), the screen's item keeps the focus, the item keeps its time.
                self.clock.focus(focus)
                raise
            self._undo_stack.pop()
            self._remember(record)
            self._go(index)
            return record
        return None

    def _append(self, record: ResultRecord) -> None:
        """Write the line; on failure the clock gets back the time and keys the line took.
        StoreGoneError (the results file was removed or replaced): the line is kept in
        memory, see lost_lines() and rescue()."""
        try:
            self.store.append(record)
        except OSError as exc:
            ms, keys = self._taken
            self.clock.give_back(record.task_id, ms, keys)
            if isinstance(exc, StoreGoneError):
                self._unsaved.append(exc.record)
            raise

    def lost_lines(self) -> list[dict[str, Any]]:
        """This session's lines that are in no results file anyone will find: the ones
        refused with StoreGoneError and, when the file is gone, the ones written to it. A
        retried answer (same task and revision) is kept once, the latest; lines already
        written by rescue() are not listed again."""
        lines = [] if self.store.present() else [r.to_json_dict() for r in self.records]
        lines += self._unsaved
        latest: dict[tuple[object, object], dict[str, Any]] = {}
        for line in lines:
            key = (line.get("task_id"), line.get("revision"))
            latest.pop(key, None)
            latest[key] = line
        return [line for key, line in latest.items() if key not in self._rescued]

    def rescue(self, path: Path) -> int:
        """Write lost_lines() to a new file at `path` (never an existing one, never through a
        symlink; 0600; fsynced), for the annotator to hand over. Returns the line count."""
        lines = self.lost_lines()
        make_private_dirs(path.parent)
        fd, _ = open_regular(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            os.write(fd, b"".join(orjson.dumps(line) + b"\n" for line in lines))
            os.fsync(fd)
        finally:
            os.close(fd)
        self._rescued.update((line.get("task_id"), line.get("revision")) for line in lines)
        return len(lines)

    def _record(
        self,
        task_id: str,
        answer: AnswerKind,
        value: dict[str, Any] | None,
        flag: Flag | None,
        item: Item,
    ) -> ResultRecord:
        ms, keys = self.clock.take(task_id)
        self._taken = (ms, keys)
        self.batch.refresh_guidelines()  # record the guidelines as they are now
        gold_correct = None
        if item.task is not None and item.task.gold is not None and answer in ("accept", "reject"):
            full = dict(value or {})
            gold_correct = self.batch.task_type.gold_matches(full, item.task.gold)
        return ResultRecord(
            task_id=task_id,
            batch_id=self.batch.id,
            annotator=self.store.annotator,
            task_type=self.batch.task_type.name,
            answer=answer,
            value=value,
            flag=flag,
            session_id=self.session_id,
            started_at=self._shown_at,
            submitted_at=self._now(),
            active_ms=self.store.previous_active_ms(task_id) + ms,
            keys=keys,
            revision=self.store.next_revision(task_id),
            guidelines_sha256=self.batch.guidelines_sha256,
            app_version=__version__,
            gold_correct=gold_correct,
        )
