"""KPIs of one annotator at work: live figures, the session summary, and their formatting.

Batch-wide and cross-batch figures over results files are in tui.core.stats.
"""

from tui.core.kpi.live import (
    LiveFigures,
    format_live,
    format_live_parts,
    format_pace,
    live_figures,
    live_figures_from_clock,
)
from tui.core.kpi.numbers import (
    format_duration,
    format_percent,
    format_rate,
    format_seconds,
    median_p90,
    per_hour,
    quantile,
)
from tui.core.kpi.session import (
    RatePoint,
    SessionSummary,
    label_distribution,
    rate_series,
    render_session_summary,
    session_summary,
)
from tui.core.kpi.tally import AnswerTally

__all__ = [
    "AnswerTally",
    "LiveFigures",
    "RatePoint",
    "SessionSummary",
    "format_duration",
    "format_live",
    "format_live_parts",
    "format_pace",
    "format_percent",
    "format_rate",
    "format_seconds",
    "label_distribution",
    "live_figures",
    "live_figures_from_clock",
    "median_p90",
    "per_hour",
    "quantile",
    "rate_series",
    "render_session_summary",
    "session_summary",
]
