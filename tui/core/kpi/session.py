"""The session summary shown on exit: figures as data, and a Rich renderable of them."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.core.i18n import _
from tui.core.kpi.numbers import (
    format_duration,
    format_rate,
    format_seconds,
    median_p90,
    per_hour,
)
from tui.core.kpi.tally import ANSWER_KINDS, AnswerTally, Record, active_ms_of, as_mapping
from tui.core.task_type import generic_labels

if TYPE_CHECKING:
    from rich.console import RenderableType

# The rate plot aims at about this many windows: enough to see a trend, few enough to fit.
PLOT_WINDOWS = 30
MIN_WINDOW_ANSWERS = 5


@dataclass(frozen=True, slots=True)
class RatePoint:
    """One window of consecutive answers: when it ended and its items per active hour."""

    ended_at: str  # submitted_at of the window's last answer
    answers: int
    active_s: float
    rate: float | None


@dataclass(frozen=True, slots=True)
class SessionSummary:
    items: int
    answers: int  # lines written, edits and undos included
    active_s: float
    idle_s: float
    rate: float | None
    median_s: float | None
    p90_s: float | None
    answer_counts: dict[str, int]  # latest answer per task: accept/reject/skip/flag/undone
    label_counts: list[tuple[str, int]]  # most frequent first
    skips: int
    flags: int
    undos: int
    fast: int
    min_seconds: float | None
    slowest: list[tuple[str, float]]  # (task_id, seconds), slowest first
    rate_series: list[RatePoint]


def labels_function(task_type: str) -> Callable[[Mapping[str, Any] | None], list[str]]:
    """The task type's labels_of, or a generic reading of `labels`/`label` when the type is
    unknown or its package fails to import (a summary must never die on that)."""
    try:
        from tui.core.task_registry import get_task_type

        return get_task_type(task_type).labels_of
    except Exception:
        return generic_labels


def label_distribution(lines: Iterable[Mapping[str, Any]]) -> Counter[str]:
    """Labels of accepted answers; a rejected proposal counts as '<label> (rejected)', since
    a binary reject says the label is wrong, not that it applies."""
    cache: dict[str, Callable[[Mapping[str, Any] | None], list[str]]] = {}
    counts: Counter[str] = Counter()
    for line in lines:
        answer = line.get("answer")
        if answer not in ("accept", "reject"):
            continue
        value = line.get("value")
        if not isinstance(value, Mapping):
            continue
        type_name = str(line.get("task_type", ""))
        if type_name not in cache:
            cache[type_name] = labels_function(type_name)
        try:
            labels = cache[type_name](value)
        except Exception:
            labels = generic_labels(value)
        for label in labels:
            counts[
                label if answer == "accept" else _("{label} (rejected)").format(label=label)
            ] += 1
    return counts


def rate_series(lines: Sequence[Mapping[str, Any]], window: int | None = None) -> list[RatePoint]:
    """Items per active hour over windows of `window` consecutive answers (default: about
    PLOT_WINDOWS windows). A line's active time is its growth in the task's cumulative
    active_ms since the task's previous line in the session, so edits are not counted twice."""
    if not lines:
        return []
    size = window or max(MIN_WINDOW_ANSWERS, math.ceil(len(lines) / PLOT_WINDOWS))
    seen: dict[str, int] = {}
    points: list[RatePoint] = []
    answers = 0
    active_ms = 0
    last_at = ""
    for count, line in enumerate(lines, start=1):
        task_id = str(line.get("task_id"))
        now_ms = active_ms_of(line)
        active_ms += max(0, now_ms - seen.get(task_id, 0))
        seen[task_id] = now_ms
        if line.get("answer") != "undone":
            answers += 1
        last_at = str(line.get("submitted_at", ""))
        if count % size == 0 or count == len(lines):
            rate = per_hour(answers, active_ms)
            points.append(RatePoint(last_at, answers, active_ms / 1000, rate))
            answers = 0
            active_ms = 0
    return points


def session_summary(
    records: Iterable[Record],
    *,
    active_s: float | None = None,
    idle_s: float = 0.0,
    min_seconds: float | None = None,
    slowest: int = 5,
    window: int | None = None,
) -> SessionSummary:
    """Summarise one session's answer lines (in the order written). `active_s`/`idle_s`
    come from the ActiveClock; without them active time is the sum of the items' times."""
    lines = [as_mapping(r) for r in records]
    tally = AnswerTally(lines)
    item_lines = list(tally.item_lines())
    active = active_s if active_s is not None else tally.active_ms / 1000
    median_s, p90_s = median_p90([active_ms_of(line) / 1000 for _, line in item_lines])
    by_time = sorted(item_lines, key=lambda kv: active_ms_of(kv[1]), reverse=True)
    return SessionSummary(
        items=tally.items,
        answers=tally.lines,
        active_s=active,
        idle_s=idle_s,
        rate=per_hour(tally.items, active * 1000),
        median_s=median_s,
        p90_s=p90_s,
        answer_counts={kind: tally.counts[kind] for kind in ANSWER_KINDS},
        label_counts=label_distribution(tally.latest.values()).most_common(),
        skips=tally.counts["skip"],
        flags=tally.flagged,
        undos=tally.undos,
        fast=tally.fast_answers(min_seconds),
        min_seconds=min_seconds,
        slowest=[(k, active_ms_of(v) / 1000) for k, v in by_time[: max(0, slowest)]],
        rate_series=rate_series(lines, window),
    )


def _clock_time(stamp: str) -> str:
    # "2026-11-22T10:05:03.240Z" -> "10:05"; anything else is shown as it is.
    return stamp[11:16] if len(stamp) >= 16 and stamp[10] == "T" else stamp


def render_session_summary(
    summary: SessionSummary, width: int = 80, *, not_saved: str | None = None
) -> RenderableType:
    """A Rich renderable (figures, distributions, slowest items, rate plot) within `width`.

    Every text from files (labels, task ids, times) passes through safe_text.visible and is
    a Text, never markup. `not_saved`: the results file was removed or replaced while open
    (ResultsStore.present() is False); the summary says the answers are NOT saved there."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from tui.core.plot import column_chart
    from tui.core.records import answer_kind_name
    from tui.core.safe_text import visible

    figures = Table.grid(padding=(0, 2))
    figures.add_column(style="bold")
    figures.add_column()

    def row(name: str, value: str) -> None:
        figures.add_row(Text(name), Text(visible(value)))

    if not_saved is None:
        row(
            _("items"),
            _("{items}  ({answers} answers written)").format(
                items=summary.items, answers=summary.answers
            ),
        )
    else:
        figures.add_row(
            Text(_("items")),
            Text(
                _(
                    "{items}  (NOT SAVED: {answers} answers went to a file that was removed or replaced while open: {not_saved})"
                ).format(
                    items=summary.items, answers=summary.answers, not_saved=visible(not_saved)
                ),
                style="bold red",
            ),
        )
    active, idle = format_duration(summary.active_s), format_duration(summary.idle_s)
    row(_("time"), _("active {active}, idle {idle}").format(active=active, idle=idle))
    row(_("rate"), _("{rate} of active time").format(rate=format_rate(summary.rate)))
    median, p90 = format_seconds(summary.median_s), format_seconds(summary.p90_s)
    row(_("per item"), _("median {median}, p90 {p90}").format(median=median, p90=p90))
    row(
        _("answers"),
        ", ".join(f"{answer_kind_name(kind)} {n}" for kind, n in summary.answer_counts.items()),
    )
    row(_("undos"), str(summary.undos))
    if summary.min_seconds:
        row(
            _("fast"),
            _("{fast} answers under {min_seconds:g}s").format(
                fast=summary.fast, min_seconds=summary.min_seconds
            ),
        )
    if summary.label_counts:
        shown = summary.label_counts[:8]
        rest = sum(n for _, n in summary.label_counts[8:])
        text = ", ".join(f"{label} {n}" for label, n in shown)
        row(_("labels"), text + (_(", other {rest}").format(rest=rest) if rest else ""))
    if summary.slowest:
        row(_("slowest"), ", ".join(f"{task} {format_seconds(s)}" for task, s in summary.slowest))
    parts: list[RenderableType] = [Text(_("Session summary"), style="bold underline"), figures]
    rated = [p for p in summary.rate_series if p.rate is not None]
    if len(rated) >= 2:
        chart = column_chart(
            [p.rate or 0.0 for p in summary.rate_series],
            height=5,
            width=max(10, min(60, width - 10)),
            first_label=visible(_clock_time(summary.rate_series[0].ended_at)),
            last_label=visible(_clock_time(summary.rate_series[-1].ended_at)),
            title=_("answers per active hour over the session"),
        )
        parts.append(Text(chart))
    return Group(*parts)
