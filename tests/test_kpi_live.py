"""Live figures of the labeling screen, driven by a controlled ActiveClock."""

from __future__ import annotations

from typing import Any

import pytest

from tui.core.active_clock import ActiveClock
from tui.core.kpi import (
    AnswerTally,
    LiveFigures,
    format_duration,
    format_live,
    live_figures,
    live_figures_from_clock,
    quantile,
)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def line(
    task_id: str, answer: str, active_ms: int, session: str = "s2", **extra: Any
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "task_id": task_id,
        "batch_id": "b",
        "annotator": "anna",
        "task_type": "classify",
        "answer": answer,
        "value": {"labels": ["pos"]} if answer in ("accept", "reject") else None,
        "session_id": session,
        "submitted_at": "2026-11-22T10:00:00.000Z",
        "active_ms": active_ms,
    }
    record.update(extra)
    return record


def run_session() -> tuple[ActiveClock, FakeTime, list[dict[str, Any]]]:
    """A session with an idle gap, an undo and an edit; active_ms cumulative per task."""
    time = FakeTime()
    clock = ActiveClock(idle_threshold_s=30, now=time)
    records: list[dict[str, Any]] = []
    cumulative: dict[str, int] = {}

    def work(task_id: str, until: float, answer: str) -> None:
        clock.focus(task_id)
        time.now = until
        clock.touch()
        ms, _keys = clock.take(task_id)
        cumulative[task_id] = cumulative.get(task_id, 0) + ms
        records.append(line(task_id, answer, cumulative[task_id]))

    work("t1", 4, "accept")  # 4 s
    work("t2", 10, "accept")  # 6 s
    work("t3", 100, "skip")  # 90 s gap: 30 s counted, 60 s idle
    work("t4", 102, "accept")  # 2 s
    work("t4", 103, "undone")  # +1 s on t4: 3 s
    work("t4", 108, "reject")  # +5 s on t4: 8 s
    work("t5", 112, "flag")  # 4 s
    return clock, time, records


EARLIER = [line("t0a", "accept", 10_000, "s1"), line("t0b", "accept", 10_000, "s1")]


def test_the_clock_feeds_cumulative_active_time() -> None:
    clock, _, records = run_session()
    assert [r["active_ms"] for r in records] == [4000, 6000, 30000, 2000, 3000, 8000, 4000]
    assert clock.active_s == pytest.approx(52)
    assert clock.idle_s == pytest.approx(60)


def test_live_figures_arithmetic() -> None:
    clock, _, records = run_session()
    figures = live_figures_from_clock(records, EARLIER + records, 10, 240, clock, min_seconds=5)
    assert figures.session_items == 5  # t1 t2 t3 t4 t5; t4 was undone then answered again
    assert figures.done == 7
    assert figures.remaining == 3
    assert figures.session_rate == pytest.approx(5 / (52 / 3600))
    assert figures.batch_active_s == pytest.approx(72)  # 20 + 4 + 6 + 30 + 8 + 4
    assert figures.batch_rate == pytest.approx(7 / (72 / 3600))
    assert figures.median_s == pytest.approx(6.0)  # of 4, 4, 6, 8, 30
    assert figures.p90_s == pytest.approx(21.2)  # 8 + (30 - 8) * 0.6
    assert figures.expected_items == pytest.approx(240 * 52 / 3600)
    assert figures.pace_items == pytest.approx(5 - 240 * 52 / 3600)
    assert figures.eta_s == pytest.approx(3 / (5 / (52 / 3600)) * 3600)
    assert (figures.skips, figures.flags, figures.undos) == (1, 1, 1)
    assert figures.fast == 1  # t1 accepted in 4 s; t4's final answer took 8 s in all
    assert figures.state == "active"
    assert figures.idle_s == pytest.approx(60)


def test_idle_and_paused_state() -> None:
    clock, time, records = run_session()
    time.now += 31
    assert live_figures_from_clock(records, records, 10, None, clock).state == "idle"
    paused = live_figures_from_clock(records, records, 10, None, clock, paused=True)
    assert paused.state == "paused"
    assert paused.pace_items is None and paused.expected_items is None


def test_inputs_are_not_modified_and_a_tally_gives_the_same_figures() -> None:
    _clock, _, records = run_session()
    batch = AnswerTally(EARLIER + records)
    before = (batch.items, batch.active_ms, dict(batch.counts))
    from_tally = live_figures(records, batch, 10, 240, 52, 60, min_seconds=5)
    assert (batch.items, batch.active_ms, dict(batch.counts)) == before
    from_lines = live_figures(records, EARLIER + records, 10, 240, 52, 60, min_seconds=5)
    assert from_tally == from_lines


def test_tally_follows_edits_and_undos() -> None:
    tally = AnswerTally()
    tally.add(line("a", "accept", 1000))
    tally.add(line("b", "skip", 500))
    assert (tally.items, tally.active_ms) == (2, 1500)
    tally.add(line("a", "undone", 1500))
    assert (tally.items, tally.active_ms, tally.undos) == (1, 2000, 1)
    tally.add(line("a", "reject", 4000))
    assert (tally.items, tally.active_ms, tally.counts["reject"], tally.counts["undone"]) == (
        2,
        4500,
        1,
        0,
    )


def test_malformed_records_never_crash_live_figures() -> None:
    odd: list[dict[str, Any]] = [
        {"task_id": "x", "answer": "accept", "active_ms": "slow"},
        {"task_id": "y", "answer": "maybe", "active_ms": 10},
        {"answer": "accept"},
        line("z", "accept", 2000),
    ]
    figures = live_figures(odd, odd, 5, 120, 10, 0)
    assert figures.session_items == 2  # x (no time) and z
    assert figures.batch_active_s == pytest.approx(2)


def test_behind_and_eta_from_batch_pace_early_in_a_session() -> None:
    session = [line("s1", "accept", 60_000)]
    batch = [line(f"e{i}", "accept", 30_000) for i in range(4)] + session
    figures = live_figures(session, batch, 25, 240, 60, 0)
    assert figures.pace_items == pytest.approx(1 - 4)  # 4 expected in one active minute
    # one session item is too few for a pace: the batch's 5 items in 180 s are used
    assert figures.eta_s == pytest.approx(20 / (5 / (180 / 3600)) * 3600)
    assert "3 behind" in format_live(figures)


def test_nothing_done_yet() -> None:
    figures = live_figures([], [], 100, 240, 0, 0)
    assert figures.session_rate is None and figures.batch_rate is None
    assert figures.eta_s is None and figures.median_s is None
    text = format_live(figures)
    assert text.startswith("0/100") and "ETA —" in text


def _busy_figures() -> LiveFigures:
    return LiveFigures(
        done=123_456,
        total=1_000_000,
        session_items=4_321,
        session_active_s=7 * 3600 + 59 * 60,
        idle_s=3600,
        session_rate=541.0,
        batch_active_s=900_000,
        batch_rate=493.8,
        median_s=5.43,
        p90_s=125.0,
        target_per_hour=500,
        expected_items=3_990.8,
        pace_items=330.2,
        eta_s=6_000_000,
        state="idle",
        skips=123,
        flags=45,
        undos=67,
        fast=89,
        min_seconds=2,
    )


def test_format_live_fits_the_width_and_keeps_the_important_parts() -> None:
    figures = _busy_figures()
    for width in (80, 60, 40, 20):
        text = format_live(figures, width)
        assert len(text) <= width
    full = format_live(figures, 200)
    assert full.startswith("123456/1000000 · IDLE · 541/h (batch 494/h) · +330 ahead")
    assert "med 5.4s p90 2m05s" in full and "fast 89" in full
    assert "skip 123 flag 45 undo 67" in full
    # Narrow, the least important parts go first: done/total, the state and `fast N` stay.
    assert format_live(figures, 40) == "123456/1000000 · IDLE · fast 89"


def _rushed_figures() -> LiveFigures:
    """A typical session with rushed answers: the line is wider than 80 columns."""
    return LiveFigures(
        done=137,
        total=500,
        session_items=61,
        session_active_s=3720,
        idle_s=0,
        session_rate=212.0,
        batch_active_s=8000,
        batch_rate=198.0,
        median_s=12.3,
        p90_s=31.0,
        target_per_hour=200,
        expected_items=57,
        pace_items=4,
        eta_s=7860,
        state="active",
        skips=3,
        flags=1,
        undos=2,
        fast=22,
        min_seconds=2,
    )


@pytest.mark.parametrize("width", [60, 78, 80, 120])
def test_kpi_line_keeps_done_pace_and_fast_at_every_width(width: int) -> None:
    figures = _rushed_figures()
    text = format_live(figures, width)
    assert len(text) <= width
    assert text.startswith("137/500 · ")
    assert "+4 ahead" in text and "fast 22" in text, text
    if width >= 120:
        assert "med 12.3s p90 31.0s" in text and "skip 3 flag 1 undo 2" in text
    # The order of what stays is the order of the full line.
    full = format_live(figures, 500).split(" · ")
    kept = text.split(" · ")
    assert kept == [part for part in full if part in kept]


def test_format_duration_and_quantile() -> None:
    assert [format_duration(s) for s in (0, 45, 725, 3 * 3600 + 7 * 60 + 20)] == [
        "0s",
        "45s",
        "12m05s",
        "3h07m",
    ]
    assert format_duration(None) == "—"
    assert quantile([], 0.5) is None
    assert quantile([1, 2, 3, 4], 0.5) == pytest.approx(2.5)
    assert quantile([7], 0.9) == 7
