"""Live figures for the labeling screen: one pure function, one frozen result, one formatter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from tui.core.i18n import N_, _
from tui.core.kpi.numbers import (
    format_duration,
    format_rate,
    format_seconds,
    median_p90,
    per_hour,
)
from tui.core.kpi.tally import AnswerTally, Record

State = Literal["active", "idle", "paused"]
# Fewer session items than this and the ETA uses the batch's pace: two quick answers at the
# start of a session would otherwise promise an absurd finishing time.
MIN_ITEMS_FOR_SESSION_PACE = 5


class ClockLike(Protocol):
    """What live figures read from tui.core.active_clock.ActiveClock."""

    active_s: float
    idle_s: float

    @property
    def idle(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class LiveFigures:
    done: int  # tasks of the batch with a latest answer other than `undone`
    total: int
    session_items: int
    session_active_s: float
    idle_s: float
    session_rate: float | None  # items per active hour, this session
    batch_active_s: float
    batch_rate: float | None  # items per active hour over the whole batch (this annotator)
    median_s: float | None  # seconds per item, this session
    p90_s: float | None
    target_per_hour: float | None
    expected_items: float | None  # target × this session's active hours
    pace_items: float | None  # session items − expected: > 0 ahead, < 0 behind
    eta_s: float | None  # active seconds to finish the batch at the current pace
    state: State
    skips: int
    flags: int
    undos: int
    fast: int  # accept/reject answers quicker than min_seconds, this session
    min_seconds: float | None

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.done)


def _tally(records: AnswerTally | Iterable[Record]) -> AnswerTally:
    return records if isinstance(records, AnswerTally) else AnswerTally(records)


def live_figures(
    session: AnswerTally | Iterable[Record],
    batch: AnswerTally | Iterable[Record],
    total: int,
    target_per_hour: float | None,
    active_s: float,
    idle_s: float,
    *,
    idle: bool = False,
    paused: bool = False,
    min_seconds: float | None = None,
) -> LiveFigures:
    """Figures for the status line. `session`: this session's answer lines; `batch`: the
    annotator's latest lines in the batch (an AnswerTally keeps this O(1) per answer);
    `active_s`/`idle_s`: the ActiveClock's totals for the session. Inputs are not modified."""
    session_tally = _tally(session)
    batch_tally = _tally(batch)
    session_items = session_tally.items
    session_rate = per_hour(session_items, active_s * 1000)
    batch_rate = per_hour(batch_tally.items, batch_tally.active_ms)
    median_s, p90_s = median_p90(session_tally.item_seconds())
    expected = pace = None
    if target_per_hour is not None and target_per_hour > 0:
        expected = target_per_hour * active_s / 3600
        pace = session_items - expected
    remaining = max(0, total - batch_tally.items)
    pace_rate = session_rate if session_items >= MIN_ITEMS_FOR_SESSION_PACE else batch_rate
    if pace_rate is None:
        pace_rate = session_rate
    eta_s: float | None
    if remaining == 0:
        eta_s = 0.0
    elif pace_rate:
        eta_s = remaining / pace_rate * 3600
    else:
        eta_s = None
    state: State = "paused" if paused else ("idle" if idle else "active")
    return LiveFigures(
        done=batch_tally.items,
        total=total,
        session_items=session_items,
        session_active_s=active_s,
        idle_s=idle_s,
        session_rate=session_rate,
        batch_active_s=batch_tally.active_ms / 1000,
        batch_rate=batch_rate,
        median_s=median_s,
        p90_s=p90_s,
        target_per_hour=target_per_hour,
        expected_items=expected,
        pace_items=pace,
        eta_s=eta_s,
        state=state,
        skips=session_tally.counts["skip"],
        flags=session_tally.flagged,
        undos=session_tally.undos,
        fast=session_tally.fast_answers(min_seconds),
        min_seconds=min_seconds,
    )


def live_figures_from_clock(
    session: AnswerTally | Iterable[Record],
    batch: AnswerTally | Iterable[Record],
    total: int,
    target_per_hour: float | None,
    clock: ClockLike,
    *,
    paused: bool = False,
    min_seconds: float | None = None,
) -> LiveFigures:
    """live_figures() reading active/idle totals and the idle state from an ActiveClock."""
    return live_figures(
        session,
        batch,
        total,
        target_per_hour,
        clock.active_s,
        clock.idle_s,
        idle=clock.idle,
        paused=paused,
        min_seconds=min_seconds,
    )


def format_pace(figures: LiveFigures) -> str:
    if figures.pace_items is None:
        return ""
    ahead = round(figures.pace_items)
    if ahead > 0:
        return _("+{ahead} ahead").format(ahead=ahead)
    if ahead < 0:
        return _("{ahead} behind").format(ahead=-ahead)
    return _("on pace")


# What goes first when the line is too narrow: the highest number. done/total is never
# dropped; the state (IDLE/PAUSED), `fast N` (rushed answers, a quality signal the annotator
# must see) and the pace against the target are the last to go.
_DROP_RANK = {
    "done": 0,
    "state": 1,
    "fast": 2,
    "pace": 3,
    "rate": 4,
    "eta": 5,
    "times": 6,
    "counts": 7,
    "active": 8,
}


# The clock's states as the status line names them (the ids stay English in code).
_STATE_WORDS = {"idle": N_("idle"), "paused": N_("paused")}


def _named_parts(figures: LiveFigures) -> list[tuple[str, str]]:
    """(name, text) pieces of the status line, in the order they are shown."""
    parts = [("done", f"{figures.done}/{figures.total}")]
    if figures.state != "active":
        parts.append(("state", _(_STATE_WORDS.get(figures.state, figures.state)).upper()))
    rate = _("{session_rate} (batch {batch_rate})").format(
        session_rate=format_rate(figures.session_rate), batch_rate=format_rate(figures.batch_rate)
    )
    parts.append(("rate", rate))
    pace = format_pace(figures)
    if pace:
        parts.append(("pace", pace))
    times = _("med {median_s} p90 {p90_s}").format(
        median_s=format_seconds(figures.median_s), p90_s=format_seconds(figures.p90_s)
    )
    parts.append(("times", times))
    if figures.remaining:
        parts.append(("eta", _("ETA {eta_s}").format(eta_s=format_duration(figures.eta_s))))
    if figures.fast:
        parts.append(("fast", _("fast {fast}").format(fast=figures.fast)))
    counts = [
        f"{name} {n}"
        for name, n in (
            (_("skip"), figures.skips),
            (_("flag"), figures.flags),
            (_("undo"), figures.undos),
        )
        if n
    ]
    if counts:
        parts.append(("counts", " ".join(counts)))
    parts.append(
        (
            "active",
            _("active {session_active_s}").format(
                session_active_s=format_duration(figures.session_active_s)
            ),
        )
    )
    return parts


def format_live_parts(figures: LiveFigures) -> list[str]:
    """The status-line pieces in the order shown (format_live drops by _DROP_RANK)."""
    return [text for _, text in _named_parts(figures)]


def format_live(figures: LiveFigures, width: int = 80) -> str:
    """One status line of at most `width` characters, e.g.
    '37/500 · 212/h (batch 198/h) · +4 ahead · med 12.3s p90 31.0s · ETA 2h11m · fast 3'.
    Too narrow, the least important pieces go first (see _DROP_RANK), the order stays."""
    parts = _named_parts(figures)
    separator = " · "
    while len(parts) > 1 and len(separator.join(t for _, t in parts)) > width:
        least = max(parts, key=lambda part: _DROP_RANK[part[0]])
        parts.remove(least)
    line = separator.join(t for _, t in parts)
    return line if len(line) <= width else line[: max(0, width - 1)] + "…"
