"""The session summary: figures, distributions, slowest items, rate windows, rendering."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from tui.core.kpi import rate_series, render_session_summary, session_summary
from tui.core.kpi.session import label_distribution


def line(
    task_id: str, answer: str, active_ms: int, minute: int, value: Any = None, **extra: Any
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "task_id": task_id,
        "batch_id": "b",
        "annotator": "anna",
        "task_type": "no-such-type",
        "answer": answer,
        "value": value,
        "session_id": "s",
        "submitted_at": f"2026-11-22T10:{minute:02d}:00.000Z",
        "active_ms": active_ms,
    }
    record.update(extra)
    return record


SESSION = [
    line("t1", "accept", 4000, 1, {"labels": ["pos"]}),
    line("t2", "accept", 6000, 2, {"labels": ["neg", "pos"]}),
    line("t3", "skip", 30000, 3),
    line("t4", "accept", 2000, 4, {"label": "ORG"}),
    line("t4", "undone", 3000, 5),
    line("t4", "reject", 8000, 6, {"label": "ORG"}),
    line("t5", "flag", 4000, 7, None, flag={"reason": "ambiguous", "note": ""}),
]


def test_summary_figures() -> None:
    summary = session_summary(SESSION, active_s=52, idle_s=60, min_seconds=5, slowest=3)
    assert summary.items == 5
    assert summary.answers == 7
    assert summary.rate == pytest.approx(5 / (52 / 3600))
    assert summary.median_s == pytest.approx(6.0)
    assert summary.answer_counts == {"accept": 2, "reject": 1, "skip": 1, "flag": 1, "undone": 0}
    assert (summary.skips, summary.flags, summary.undos, summary.fast) == (1, 1, 1, 1)
    assert summary.slowest == [("t3", 30.0), ("t4", 8.0), ("t2", 6.0)]
    assert summary.label_counts == [("pos", 2), ("neg", 1), ("ORG (rejected)", 1)]


def test_without_a_clock_active_time_is_the_items_time() -> None:
    summary = session_summary(SESSION)
    assert summary.active_s == pytest.approx(52)  # 4 + 6 + 30 + 8 + 4
    assert summary.fast == 0 and summary.min_seconds is None


def test_rate_windows_count_each_lines_own_time() -> None:
    points = rate_series(SESSION, window=2)
    assert [(p.answers, p.active_s) for p in points] == [(2, 10.0), (2, 32.0), (1, 6.0), (1, 4.0)]
    assert points[0].rate == pytest.approx(720)
    assert points[1].rate == pytest.approx(2 / 32 * 3600)
    assert points[-1].ended_at == "2026-11-22T10:07:00.000Z"


def test_labels_use_the_registered_task_type(monkeypatch: pytest.MonkeyPatch) -> None:
    class Shouting:
        def labels_of(self, value: Mapping[str, Any] | None) -> list[str]:
            return [str(x).upper() for x in (value or {}).get("labels", [])]

    import tui.core.task_registry

    def fake(name: str) -> Shouting:
        if name != "loud":
            raise KeyError(name)
        return Shouting()

    monkeypatch.setattr(tui.core.task_registry, "get_task_type", fake)
    lines = [
        line("a", "accept", 1, 1, {"labels": ["x"]}, task_type="loud"),
        line("b", "accept", 1, 1, {"labels": ["x"]}, task_type="unknown"),
    ]
    assert dict(label_distribution(lines)) == {"X": 1, "x": 1}


def test_empty_session() -> None:
    summary = session_summary([])
    assert summary.items == 0 and summary.rate is None and summary.median_s is None
    assert summary.rate_series == [] and summary.slowest == []


def test_render_fits_80_columns() -> None:
    from rich.console import Console

    many = [
        line(f"task-{i:04d}", "accept", 1000 + (i % 7) * 900, i % 60, {"labels": [f"l{i % 11}"]})
        for i in range(120)
    ]
    summary = session_summary(many, active_s=600, idle_s=30, min_seconds=2)
    console = Console(width=80, record=True, color_system=None)
    console.print(render_session_summary(summary, width=80))
    text = console.export_text()
    assert all(len(row) <= 80 for row in text.splitlines())
    assert "items      120" in text or "120  (120 answers written)" in text
    assert "answers per active hour over the session" in text
    assert "other" in text  # 11 labels: the 8 most frequent, then the rest summed
