"""KPIs of one annotator at work: live figures, the session summary, and their formatting.

Batch-wide and cross-batch figures over results files are in tui.core.stats.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Loaded on first use: opening a batch needs only the tally before its first item is on
# screen; the live figures and the summary follow it (~8 ms of start-up).
_WHERE = {
    "AnswerTally": "tui.core.kpi.tally",
    "LiveFigures": "tui.core.kpi.live",
    "RatePoint": "tui.core.kpi.session",
    "SessionSummary": "tui.core.kpi.session",
    "format_duration": "tui.core.kpi.numbers",
    "format_live": "tui.core.kpi.live",
    "format_live_parts": "tui.core.kpi.live",
    "format_pace": "tui.core.kpi.live",
    "format_percent": "tui.core.kpi.numbers",
    "format_rate": "tui.core.kpi.numbers",
    "format_seconds": "tui.core.kpi.numbers",
    "label_distribution": "tui.core.kpi.session",
    "live_figures": "tui.core.kpi.live",
    "live_figures_from_clock": "tui.core.kpi.live",
    "median_p90": "tui.core.kpi.numbers",
    "per_hour": "tui.core.kpi.numbers",
    "quantile": "tui.core.kpi.numbers",
    "rate_series": "tui.core.kpi.session",
    "render_session_summary": "tui.core.kpi.session",
    "session_summary": "tui.core.kpi.session",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
