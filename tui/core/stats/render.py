"""Human output of a StatsReport: a Rich table, a plot of items per active hour, problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.i18n import N_, NC_, _, pgettext
from tui.core.kpi.numbers import format_percent, format_seconds
from tui.core.problems import Problem
from tui.core.safe_text import literal_cells
from tui.core.stats.report import GroupFigures, StatsReport

if TYPE_CHECKING:
    from rich.console import RenderableType

# (short name, what it means): the short names are ids (DROP_FIRST, the legend) and, through
# column_header(), the table's headers in the interface language.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("items", "items"),
    ("act h", "active hours"),
    ("/h", "items per active hour"),
    ("med", "median seconds per item"),
    ("p90", "90th percentile seconds per item"),
    ("skip", "skips"),
    ("flag", "flags"),
    ("undo", "undos"),
    ("fast", "answers faster than min_seconds"),
    ("gold", "gold accuracy"),
    ("audit", "audit pass rate"),
)
GROUP_TITLES = {
    "day": N_("day (UTC)"),
    "batch": N_("batch"),
    "task-type": N_("task type"),
    "annotator": N_("annotator"),
}
_HEADERS = {
    "items": NC_("stats column", "items"),
    "act h": NC_("stats column", "act h"),
    "/h": NC_("stats column", "/h"),
    "med": NC_("stats column", "med"),
    "p90": NC_("stats column", "p90"),
    "skip": NC_("stats column", "skip"),
    "flag": NC_("stats column", "flag"),
    "undo": NC_("stats column", "undo"),
    "fast": NC_("stats column", "fast"),
    "gold": NC_("stats column", "gold"),
    "audit": NC_("stats column", "audit"),
}


def column_header(short: str) -> str:
    """A column's header in the interface language (short: the table is often narrow)."""
    return pgettext("stats column", _HEADERS.get(short, short))


def row_cells(figures: GroupFigures) -> list[str]:
    return [
        str(figures.items),
        f"{figures.active_hours:.2f}",
        "—" if figures.rate is None else f"{figures.rate:.0f}",
        format_seconds(figures.median_s),
        format_seconds(figures.p90_s),
        str(figures.skips),
        str(figures.flags),
        str(figures.undos),
        str(figures.fast),
        format_percent(figures.gold_accuracy),
        format_percent(figures.audit_pass_rate),
    ]


def timeline_chart(report: StatsReport, width: int = 80) -> str:
    """Items per active hour over time as a text column chart ('' with fewer than 2 points)."""
    from tui.core.plot import column_chart

    points = report.timeline
    if len(points) < 2:
        return ""
    hourly = report.timeline_unit == "hour"
    first, last = points[0].start, points[-1].start
    if hourly:
        first, last = first.replace("T", " ") + "h", last.replace("T", " ") + "h"
    return column_chart(
        [p.rate or 0.0 for p in points],
        height=6,
        width=max(10, width - 8),
        first_label=first,
        last_label=last,
        title=_("items per active hour, per hour (UTC)")
        if hourly
        else _("items per active hour, per day (UTC)"),
    )


# Columns left out first when the table is too wide for the terminal (items, /h, med and
# fast stay, and so does the name column: two rows without a name say nothing).
DROP_FIRST = ("act h", "p90", "undo", "flag", "gold", "skip", "audit", "med")
NAME_MAX = 24  # longer names are cut with an ellipsis rather than folded over lines


def render_stats(report: StatsReport, width: int = 80) -> RenderableType:
    import io

    from rich import box
    from rich.console import Console, Group
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    rows = [[group.key, *row_cells(group)] for group in report.groups]
    rows.append([_("total"), *row_cells(report.total)])
    group = GROUP_TITLES.get(report.by or "")
    title = _(group) if group else ""
    name_width = min(NAME_MAX, max([len(title), 5] + [len(r[0]) for r in rows]))

    def build(kept: list[int]) -> Table:
        # Collapsed padding keeps the columns tight; the name column never folds or vanishes.
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, collapse_padding=True)
        table.add_column(title, no_wrap=True, overflow="ellipsis", min_width=name_width)
        for i in kept:
            header = column_header(COLUMNS[i][0])
            widest = max([len(header)] + [len(r[i + 1]) for r in rows])
            table.add_column(header, justify="right", no_wrap=True, min_width=widest)
        for n, row in enumerate(rows):
            cells = literal_cells(*[row[0]] + [row[i + 1] for i in kept])
            table.add_row(*cells, style="bold" if n == len(rows) - 1 else None)
        return table

    # Leave out the least important figure columns until the table fits the width.
    measure = Console(width=max(width, 200), file=io.StringIO(), color_system=None)
    kept = list(range(len(COLUMNS)))
    dropped: list[str] = []
    table = build(kept)
    for short in DROP_FIRST:
        if Measurement.get(measure, measure.options, table).maximum <= width:
            break
        kept = [i for i in kept if COLUMNS[i][0] != short]
        dropped.append(short)
        table = build(kept)
    parts: list[RenderableType] = [table]
    legend = _(
        "{med}/{p90}: seconds per item on active time; {fast}: accept/reject under min_seconds"
    ).format(med=column_header("med"), p90=column_header("p90"), fast=column_header("fast"))
    if dropped:
        legend += _("; too narrow for {columns} (wider window or --json)").format(
            columns=", ".join(column_header(short) for short in dropped)
        )
    parts.append(Text(legend, style="dim"))
    chart = timeline_chart(report, width)
    if chart:
        parts.append(Text(""))
        parts.append(Text(chart))
    if not report.files:
        parts.append(Text(_("no results or audit files found"), style="yellow"))
    elif report.total.items == 0 and report.total.audited == 0:
        parts.append(Text(_("no answers match"), style="yellow"))
    return Group(*parts)


def problem_lines(report: StatsReport, limit: int = 20) -> list[str]:
    """The first `limit` problems as 'file:line: [field] message', then how many more."""
    shown: list[Problem] = report.problems[:limit]
    lines = [str(p) for p in shown]
    more = report.problems_total - len(shown)
    if more > 0:
        lines.append(
            _("… and {more} more problems (--json lists up to {listed})").format(
                more=more, listed=len(report.problems)
            )
        )
    if report.lines_skipped:
        lines.append(_("{count} malformed lines were skipped").format(count=report.lines_skipped))
    return lines
