"""Gold training: what to tell an annotator right after they answered a gold item.

`[gold] feedback = true` (or a list of annotator names) in batch.toml turns it on. The
session records `gold_correct` on every gold item anyway; this adds the words shown before the
next item: the verdict, their answer, the expected one and what differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.core.i18n import _
from tui.core.task_type import TaskType


@dataclass(frozen=True)
class GoldFeedback:
    task_id: str
    correct: bool
    yours: str
    expected: str
    differences: list[str] = field(default_factory=list)


def gold_feedback(
    task_type: TaskType,
    task_id: str,
    value: Mapping[str, Any] | None,
    gold: Mapping[str, Any],
    correct: bool,
) -> GoldFeedback:
    """The feedback for one answered gold item (`correct` as the session recorded it)."""
    return GoldFeedback(
        task_id=task_id,
        correct=correct,
        yours=task_type.summarize(value),
        expected=task_type.summarize(gold),
        differences=[] if correct else task_type.gold_difference(value, gold),
    )


@dataclass(frozen=True)
class GoldScore:
    right: int
    answered: int

    @property
    def text(self) -> str:
        """'gold 4/5 (80%)' for the KPI line; '' before the first gold item."""
        if not self.answered:
            return ""
        return _("gold {right}/{answered} ({percent}%)").format(
            right=self.right, answered=self.answered, percent=100 * self.right // self.answered
        )


def gold_score(verdicts: Iterable[bool | None]) -> GoldScore:
    """Right and answered gold items among this session's latest answers."""
    known = [v for v in verdicts if v is not None]
    return GoldScore(sum(known), len(known))
