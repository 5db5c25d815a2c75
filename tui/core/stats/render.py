"""Human output of a StatsReport: a Rich table, a plot of items per active hour, problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.kpi.numbers import format_percent, format_seconds
from tui.core.problems import Problem
from tui.core.safe_text import literal_cells
from tui.core.stats.report import GroupFigures, StatsReport

if TYPE_CHECKING:
    from rich.console import RenderableType

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
    "day": "day (UTC)",
    "batch": "batch",
    "task-type": "task type",
    "annotator": "annotator",
}


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
    unit = "hour" if report.timeline_unit == "hour" else "day"
    first, last = points[0].start, points[-1].start
    if unit == "hour":
        first, last = first.replace("T", " ") + "h", last.replace("T", " ") + "h"
    return column_chart(
        [p.rate or 0.0 for p in points],
        height=6,
        width=max(10, width - 8),
        first_label=first,
        last_label=last,
        title=f"items per active hour, per {unit} (UTC)",
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
    rows.append(["total", *row_cells(report.total)])
    title = GROUP_TITLES.get(report.by or "", "")
    name_width = min(NAME_MAX, max([len(title), 5] + [len(r[0]) for r in rows]))

    def build(kept: list[int]) -> Table:
        # Collapsed padding keeps the columns tight; the name column never folds or vanishes.
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, collapse_padding=True)
        table.add_column(title, no_wrap=True, overflow="ellipsis", min_width=name_width)
        for i in kept:
            short = COLUMNS[i][0]
            widest = max([len(short)] + [len(r[i + 1]) for r in rows])
            table.add_column(short, justify="right", no_wrap=True, min_width=widest)
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
    legend = "med/p90: seconds per item on active time; fast: accept/reject under min_seconds"
    if dropped:
        legend += f"; too narrow for {', '.join(dropped)} (wider window or --json)"
    parts.append(Text(legend, style="dim"))
    chart = timeline_chart(report, width)
    if chart:
        parts.append(Text(""))
        parts.append(Text(chart))
    if not report.files:
        parts.append(Text("no results or audit files found", style="yellow"))
    elif report.total.items == 0 and report.total.audited == 0:
        parts.append(Text("no answers match", style="yellow"))
    return Group(*parts)


def problem_lines(report: StatsReport, limit: int = 20) -> list[str]:
    """The first `limit` problems as 'file:line: [field] message', then how many more."""
    shown: list[Problem] = report.problems[:limit]
    lines = [str(p) for p in shown]
    more = report.problems_total - len(shown)
    if more > 0:
        lines.append(f"… and {more} more problems (--json lists up to {len(report.problems)})")
    if report.lines_skipped:
        lines.append(f"{report.lines_skipped} malformed lines were skipped")
    return lines
