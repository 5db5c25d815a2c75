"""The state of one adjudication session, without Textual: the queue of items whose
annotators disagree, where the adjudicator is, which task line each item is, which answer
the view shows, the adjudicator's active time, and recording decisions.

Like AuditSession (tui/core/audit/review_session.py) it is a ReviewQueue
(tui/core/review_queue.py): the same plan-like navigation (skip, back, forward, the first
undecided item next), the same lazy location of task lines, the same rule that a decision
returns only once the line is appended and fsynced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Unpack

from tui import __version__
from tui.core.keymap import Keymap, build_keymap
from tui.core.merge.adjudications import Adjudication, AdjudicationWriter, BasedOn
from tui.core.merge.merge import Group, MergedRecord, Vote
from tui.core.records import utc_now
from tui.core.review_queue import REVIEW_APP_IDS, KeymapLayers, ReviewQueue
from tui.core.task_type import TaskType

# The app.* ids the adjudication screen acts on, as on the audit review screen.
ADJUDICATE_APP_IDS = REVIEW_APP_IDS


def build_adjudicate_keymap(task_type: TaskType, **layers: Unpack[KeymapLayers]) -> Keymap:
    """The audit review keymap with the adjudicate.* bindings first."""
    return build_keymap(task_type, adjudicate=True, **layers)


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


@dataclass(kw_only=True)
class AdjudicationSession(ReviewQueue[QueueItem, Adjudication, AdjudicationWriter]):
    items: list[QueueItem]
    adjudicator: str
    # Which of the current item's distinct answers the view shows (0: the most voted).
    shown_choice: int = 0

    def __post_init__(self) -> None:
        self.start()

    # -- the queue -------------------------------------------------------------------------
    @property
    def entries(self) -> list[QueueItem]:
        return self.items

    def entry_task_id(self, entry: QueueItem) -> str:
        return entry.task_id

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

    def go(self, position: int) -> None:
        if position != self.position:
            self.shown_choice = 0
        super().go(position)

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
        def write(ms: int, keys: int) -> Adjudication:
            return self.writer.record(
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

        def settle(record: Adjudication) -> None:
            item.decision = record

        return self.save(item, write, settle)
