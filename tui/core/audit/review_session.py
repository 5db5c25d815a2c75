"""The state of one audit review session, without Textual: the plan, where the auditor is,
which task line each planned item is, the auditor's active time, and recording verdicts.

The review screen (tui/screens/audit_review.py) shows what this holds and calls record();
record() returns only once the audit line is appended and fsynced by AuditWriter. The
navigation, the location of task lines and the timed save are ReviewQueue's
(tui/core/review_queue.py), shared with adjudication.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Unpack

from tui import __version__
from tui.core.audit import (
    AuditWriter,
    PlanItemStatus,
    PlanProgress,
    build_audit_record,
)
from tui.core.keymap import Keymap, build_keymap
from tui.core.records import AuditRecord, utc_now
from tui.core.review_queue import REVIEW_APP_IDS, KeymapLayers, ReviewQueue
from tui.core.task_type import TaskType

# The app.* ids the review screen acts on (keys from keymaps/default.toml and its layers).
AUDIT_APP_IDS = REVIEW_APP_IDS


def build_audit_keymap(task_type: TaskType, **layers: Unpack[KeymapLayers]) -> Keymap:
    """The labeling keymap with the audit.* bindings first (keymaps/default.toml [audit])."""
    return build_keymap(task_type, audit=True, **layers)


def clock_key(status: PlanItemStatus) -> str:
    """The same task can be planned for two annotators: time is kept per (annotator, task)."""
    return f"{status.item.annotator}/{status.item.task_id}"


@dataclass(kw_only=True)
class AuditSession(ReviewQueue[PlanItemStatus, AuditRecord, AuditWriter]):
    progress: PlanProgress
    auditor: str
    statuses: list[PlanItemStatus] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.statuses:
            self.statuses = list(self.progress.statuses)
        self.start()

    # -- the plan --------------------------------------------------------------------------
    @property
    def entries(self) -> list[PlanItemStatus]:
        return self.statuses

    def entry_task_id(self, entry: PlanItemStatus) -> str:
        return entry.item.task_id

    def clock_key(self, entry: PlanItemStatus) -> str:
        return clock_key(entry)

    def verdict_counts(self) -> dict[str, int]:
        counts = {"pass": 0, "fail": 0, "corrected": 0}
        for status in self.statuses:
            if status.audit is not None:
                counts[status.audit.verdict] += 1
        return counts

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
        answer = status.answer
        started = self.shown_at()
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
            answer,
            submitted_at=started,
            active_ms=0,
            **kwargs,
        )
        position = self.position

        def write(ms: int, keys: int) -> AuditRecord:
            return self.writer.record(
                answer, submitted_at=utc_now(), active_ms=ms, keys=keys, **kwargs
            )

        def settle(record: AuditRecord) -> None:
            self.statuses[position] = replace(status, audit=record)

        return self.save(status, write, settle)
