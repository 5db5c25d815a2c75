"""The live KPI line of the labeling screen, with a controlled clock (Pilot)."""

from __future__ import annotations

from pathlib import Path

from tests.batch_factory import make_batch, read_results, texts
from tests.screen_text import screen_text
from tui.app import LabelDeskApp
from tui.core.active_clock import ActiveClock
from tui.launch import prepare


class FakeTime:
    def __init__(self) -> None:
        self.t = 500.0

    def __call__(self) -> float:
        return self.t


async def test_live_figures_follow_a_controlled_clock(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(10), target_per_hour=600, min_seconds=3)
    p = prepare(folder, annotator="anna")
    now = FakeTime()
    p.session.clock = ActiveClock(30.0, now=now)
    p.session.resume()
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(120, 30)) as pilot:
        for seconds in (6, 6, 2, 6):  # four answers: 20 s of active time, one fast (2 s < 3 s)
            now.t += seconds
            await pilot.press("1")
        app.screen.refresh_progress()  # type: ignore[attr-defined]
        await pilot.pause()
        line = next(row for row in screen_text(app).splitlines() if "4/10" in row)
        # 4 items in 20 s = 720/h; target 600/h expects 3.3 items: +1 ahead; median 6 s.
        assert "720/h" in line
        assert "+1 ahead" in line
        assert "med 6.0s" in line
        assert "fast 1" in line
        now.t += 100  # away from the keyboard: paused after 30 s
        app.screen.refresh_progress()  # type: ignore[attr-defined]
        await pilot.pause()
        assert "IDLE" in screen_text(app)
        await pilot.press("1")
    p.session.store.close()
    lines = read_results(folder / "results" / "anna.jsonl")
    assert [x["active_ms"] for x in lines] == [6000, 6000, 2000, 6000, 30000]


async def test_the_kpi_line_shows_the_audit_pass_rate_of_ones_own_work(tmp_path: Path) -> None:
    import json

    folder = make_batch(tmp_path / "b", texts(4))
    p = prepare(folder, annotator="anna")
    p.session.submit("accept", {"labels": ["pos"]})
    p.session.submit("accept", {"labels": ["neg"]})
    p.session.store.close()
    audits = [
        {
            "task_id": task_id,
            "batch_id": "test-batch",
            "auditor": "qa",
            "annotator": "anna",
            "revision": 1,
            "task_type": "classify",
            "verdict": verdict,
            "errors": [] if verdict == "pass" else ["wrong_label"],
            "session_id": "s",
            "started_at": "2026-11-22T11:00:00.000Z",
            "submitted_at": "2026-11-22T11:00:05.000Z",
            "active_ms": 5000,
        }
        for task_id, verdict in (("t0", "pass"), ("t1", "fail"))
    ]
    (folder / "audits").mkdir()
    (folder / "audits" / "qa.jsonl").write_text("".join(json.dumps(a) + "\n" for a in audits))
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(50):
            await pilot.pause(0.1)
            if "audits" in screen_text(app):
                break
        assert "audits 50% pass (2)" in screen_text(app)
    p.session.store.close()
