"""The latest answer per task, kept up to date one line at a time.

The labeling screen refreshes its figures after every answer; rebuilding them from a batch of
a million lines each time would stall the keystroke, so the batch side is an incremental
tally: add() is O(1) and every count stays consistent when an answer is edited or undone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from tui.core.result_lines import MAX_ACTIVE_MS

ANSWER_KINDS: tuple[str, ...] = ("accept", "reject", "skip", "flag", "undone")
ITEM_KINDS = frozenset({"accept", "reject", "skip", "flag"})
# Only these carry a labeling decision; a quick skip or flag is not a rushed answer.
DECISION_KINDS = frozenset({"accept", "reject"})


class JsonRecord(Protocol):
    """Anything that turns into an answer line, e.g. tui.core.records.ResultRecord."""

    def to_json_dict(self) -> dict[str, Any]: ...


Record = Mapping[str, Any] | JsonRecord


def as_mapping(record: Record) -> Mapping[str, Any]:
    if isinstance(record, Mapping):
        return record
    return record.to_json_dict()


def active_ms_of(record: Mapping[str, Any]) -> int:
    """active_ms of a line; a missing or malformed value counts as no time rather than
    crashing a live screen (stats reports such lines instead)."""
    value = record.get("active_ms")
    if type(value) is int and 0 <= value <= MAX_ACTIVE_MS:
        return value
    if type(value) is float and 0 <= value <= MAX_ACTIVE_MS:  # NaN and inf fail both tests
        return round(value)
    return 0


def is_flagged(line: Mapping[str, Any]) -> bool:
    """A flag alone, or an answer given with a flag (both count as flagged)."""
    return line.get("answer") == "flag" or line.get("flag") is not None


class AnswerTally:
    """Latest line per task_id of one annotator's answers (one batch or one session)."""

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self.latest: dict[str, Mapping[str, Any]] = {}
        self.counts: dict[str, int] = dict.fromkeys(ANSWER_KINDS, 0)
        self.active_ms = 0
        self.undos = 0
        self.lines = 0
        # Tasks whose latest line carries a flag: a flag alone or an answer with a flag.
        self.flagged = 0
        for record in records:
            self.add(record)

    def add(self, record: Record) -> None:
        line = as_mapping(record)
        answer = line.get("answer")
        task_id = line.get("task_id")
        # A list or dict here must not reach a dict lookup (unhashable): such a line is
        # reported by tui.core.result_lines where it is read, and simply not counted here.
        if type(answer) is not str or answer not in self.counts:
            return
        if type(task_id) is not str and type(task_id) is not int:
            return
        key = str(task_id)
        self.lines += 1
        if answer == "undone":
            self.undos += 1
        previous = self.latest.get(key)
        if previous is not None:
            self.counts[str(previous["answer"])] -= 1
            self.active_ms -= active_ms_of(previous)
            self.flagged -= is_flagged(previous)
        self.latest[key] = line
        self.counts[str(answer)] += 1
        self.active_ms += active_ms_of(line)
        self.flagged += is_flagged(line)

    @property
    def items(self) -> int:
        """Tasks whose latest answer is not `undone`; skips and flags count (they were handled)."""
        return len(self.latest) - self.counts["undone"]

    def item_lines(self) -> Iterable[tuple[str, Mapping[str, Any]]]:
        return ((k, v) for k, v in self.latest.items() if v.get("answer") in ITEM_KINDS)

    def item_seconds(self) -> list[float]:
        return [active_ms_of(line) / 1000 for _, line in self.item_lines()]

    def fast_answers(self, min_seconds: float | None) -> int:
        if min_seconds is None or min_seconds <= 0:
            return 0
        limit = min_seconds * 1000
        return sum(
            1
            for line in self.latest.values()
            if line.get("answer") in DECISION_KINDS and active_ms_of(line) < limit
        )
