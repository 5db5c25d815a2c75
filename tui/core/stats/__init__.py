"""`labeldesk stats`: figures over any results and audit files, streamed.

compute_stats() returns a StatsReport (plain frozen data) for the CLI, --json and an in-app
stats screen alike; render_stats() turns it into a Rich table with a plot.
"""

from tui.core.stats.render import problem_lines, render_stats, timeline_chart
from tui.core.stats.report import GROUP_BY, GroupBy, GroupFigures, StatsReport, TimePoint
from tui.core.stats.scan import StatsScanner, canonical_time, compute_stats, parse_since
from tui.core.stats.sources import Source, find_sources, read_min_seconds

__all__ = [
    "GROUP_BY",
    "GroupBy",
    "GroupFigures",
    "Source",
    "StatsReport",
    "StatsScanner",
    "TimePoint",
    "canonical_time",
    "compute_stats",
    "find_sources",
    "parse_since",
    "problem_lines",
    "read_min_seconds",
    "render_stats",
    "timeline_chart",
]
