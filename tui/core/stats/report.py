"""The figures `labeldesk stats` computes, as plain frozen data (for the CLI, --json and an
in-app stats screen alike)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from tui.core.problems import Problem

GroupBy = Literal["day", "batch", "task-type", "annotator"]
GROUP_BY: tuple[GroupBy, ...] = ("day", "batch", "task-type", "annotator")
TimeUnit = Literal["hour", "day"]


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True, slots=True)
class GroupFigures:
    key: str  # the group's day, batch id, task type or annotator; "all" for the total
    items: int
    active_ms: int
    rate: float | None  # items per active hour
    median_s: float | None
    p90_s: float | None
    skips: int
    flags: int
    undos: int
    fast: int  # accept/reject answers quicker than their batch's min_seconds
    gold_checked: int
    gold_correct: int
    audited: int
    audit_passed: int

    @property
    def active_hours(self) -> float:
        return self.active_ms / 3_600_000

    @property
    def gold_accuracy(self) -> float | None:
        return self.gold_correct / self.gold_checked if self.gold_checked else None

    @property
    def audit_pass_rate(self) -> float | None:
        return self.audit_passed / self.audited if self.audited else None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "items": self.items,
            "active_hours": _rounded(self.active_hours, 6),
            "items_per_active_hour": _rounded(self.rate),
            "median_s": _rounded(self.median_s),
            "p90_s": _rounded(self.p90_s),
            "skips": self.skips,
            "flags": self.flags,
            "undos": self.undos,
            "fast": self.fast,
            "gold_checked": self.gold_checked,
            "gold_correct": self.gold_correct,
            "gold_accuracy": _rounded(self.gold_accuracy),
            "audited": self.audited,
            "audit_passed": self.audit_passed,
            "audit_pass_rate": _rounded(self.audit_pass_rate),
        }


@dataclass(frozen=True, slots=True)
class TimePoint:
    start: str  # "2026-11-22T10" (hour, UTC) or "2026-11-22" (day, UTC)
    items: int
    active_ms: int
    rate: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "items": self.items,
            "active_hours": _rounded(self.active_ms / 3_600_000, 6),
            "items_per_active_hour": _rounded(self.rate),
        }


@dataclass(frozen=True, slots=True)
class StatsReport:
    by: GroupBy | None
    groups: list[GroupFigures]  # one per group, ordered by key; empty when by is None
    total: GroupFigures
    timeline: list[TimePoint]  # consecutive buckets, empty ones included
    timeline_unit: TimeUnit
    files: list[str]
    lines_read: int
    lines_skipped: int  # malformed lines, reported in problems and left out of every figure
    problems: list[Problem] = field(default_factory=list)
    problems_total: int = 0  # problems beyond the kept ones are only counted

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "total": self.total.to_json(),
            "groups": [g.to_json() for g in self.groups],
            "timeline": {
                "unit": self.timeline_unit,
                "points": [p.to_json() for p in self.timeline],
            },
            "files": self.files,
            "lines_read": self.lines_read,
            "lines_skipped": self.lines_skipped,
            "problems_total": self.problems_total,
            "problems": [
                {
                    "file": str(p.file),
                    "line": p.line,
                    "field": p.field,
                    "message": p.message,
                    "severity": p.severity,
                }
                for p in self.problems
            ],
        }
