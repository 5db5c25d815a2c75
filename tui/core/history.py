"""My answers in this batch, newest first, for the history panel and revisits (issue 15).

A row is the annotator's latest line per task (an undone answer is no answer). Filters pick
the items worth revisiting: skipped, flagged, gold missed (a gold item answered wrongly) and
audit failed (failed or corrected by an auditor). A query narrows by task id, or by item
number when it is one. Plain Python: the screen only lists and jumps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tui.core.i18n import N_

FILTERS = ("all", "skipped", "flagged", "gold missed", "audit failed")
# What the filters are called on screen (FILTERS are the ids the code compares).
FILTER_NAMES = {
    "all": N_("all"),
    "skipped": N_("skipped"),
    "flagged": N_("flagged"),
    "gold missed": N_("gold missed"),
    "audit failed": N_("audit failed"),
}


@dataclass(frozen=True)
class HistoryRow:
    task_id: str
    answer: str  # accept | reject | skip | flag
    summary: str  # the value in a few words (the task type's summarize)
    flagged: bool
    gold_missed: bool
    submitted_at: str  # ISO time as written, "" when absent
    revision: int


def my_history(
    latest: Mapping[str, Mapping[str, Any]], summarize: Callable[[Any], str]
) -> list[HistoryRow]:
    """Rows for the latest line of each task, newest first (by the time written; lines
    without one keep file order, after the timed ones)."""
    rows: list[HistoryRow] = []
    for task_id, record in latest.items():
        answer = record.get("answer")
        if not isinstance(answer, str) or answer == "undone":
            continue
        value = record.get("value")
        try:
            summary = summarize(value if isinstance(value, dict) else None)
        except (TypeError, ValueError, KeyError, AttributeError):
            summary = "—"
        submitted = record.get("submitted_at")
        revision = record.get("revision")
        rows.append(
            HistoryRow(
                task_id=str(task_id),
                answer=answer,
                summary=summary if answer in ("accept", "reject") else "",
                flagged=answer == "flag" or isinstance(record.get("flag"), dict),
                gold_missed=record.get("gold_correct") is False,
                submitted_at=submitted if isinstance(submitted, str) else "",
                revision=revision if isinstance(revision, int) else 0,
            )
        )
    order = {row.task_id: n for n, row in enumerate(rows)}
    rows.sort(key=lambda r: (r.submitted_at, order[r.task_id]), reverse=True)
    return rows


def in_filter(row: HistoryRow, name: str, audit_failed: set[str]) -> bool:
    if name == "skipped":
        return row.answer == "skip"
    if name == "flagged":
        return row.flagged
    if name == "gold missed":
        return row.gold_missed
    if name == "audit failed":
        return row.task_id in audit_failed
    return True


def narrow(
    rows: Iterable[HistoryRow], name: str, query: str, audit_failed: set[str]
) -> list[HistoryRow]:
    """The rows of filter `name` whose task id contains `query` (case-insensitive)."""
    wanted = query.strip().casefold()
    return [
        row
        for row in rows
        if in_filter(row, name, audit_failed) and (not wanted or wanted in row.task_id.casefold())
    ]


def item_number(query: str, total: int) -> int | None:
    """The 0-based index of item N when the query is a number 1..total ("#12" too)."""
    text = query.strip().lstrip("#")
    if text.isdigit() and 1 <= int(text) <= total:
        return int(text) - 1
    return None


def positions_of(task_ids: Iterable[str], wanted: set[str]) -> dict[str, int]:
    """Index of each wanted task id in the batch's order (the first occurrence), stopping as
    soon as all are found: the screen runs this in a worker over the tasks file."""
    found: dict[str, int] = {}
    for index, task_id in enumerate(task_ids):
        if task_id in wanted and task_id not in found:
            found[task_id] = index
            if len(found) == len(wanted):
                break
    return found
