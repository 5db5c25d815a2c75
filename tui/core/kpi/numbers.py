"""Small arithmetic and formatting shared by the live figures, the session summary and stats."""

from __future__ import annotations

import math
from collections.abc import Sequence

from tui.core.i18n import _

MS_PER_HOUR = 3_600_000


def quantile(sorted_values: Sequence[float], q: float) -> float | None:
    """The q-quantile of already sorted values, interpolating linearly between the two
    nearest ranks (numpy's default), so p90 of 10 values sits between the 9th and 10th."""
    n = len(sorted_values)
    if n == 0:
        return None
    if not 0.0 <= q <= 1.0:
        raise ValueError("q must be between 0 and 1")
    position = q * (n - 1)
    low = math.floor(position)
    high = min(low + 1, n - 1)
    fraction = position - low
    return float(sorted_values[low]) + (float(sorted_values[high]) - sorted_values[low]) * fraction


def median_p90(values: Sequence[float]) -> tuple[float | None, float | None]:
    ordered = sorted(values)
    return quantile(ordered, 0.5), quantile(ordered, 0.9)


def per_hour(items: int, active_ms: float) -> float | None:
    """Items per active hour; None when no active time has been measured yet."""
    if active_ms <= 0:
        return None
    return items * MS_PER_HOUR / active_ms


def format_duration(seconds: float | None) -> str:
    """Compact: 45s, 12m05s, 3h07m; '—' when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "—"
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("{hours}h{minutes:02d}m").format(hours=hours, minutes=minutes)
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def format_seconds(seconds: float | None) -> str:
    """Seconds per item: one decimal below a minute, else as a duration."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f}s"
    return format_duration(seconds)


def format_rate(rate: float | None) -> str:
    # Per hour: "u" (uur) in Dutch.
    return "—" if rate is None else _("{rate:.0f}/h").format(rate=rate)


def format_percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction * 100:.0f}%"
