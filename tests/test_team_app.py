"""Team mode in the app (issue 12): the labeling screen's worker opens the team, claims ahead,
passes answers on and releases on quit; the header shows my queue, the pool and coverage."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from textual.pilot import Pilot

from tests.batch_factory import make_batch, read_results, texts
from tests.screen_text import screen_text
from tui.app import LabelDeskApp
from tui.core.batch import Batch
from tui.core.team.engine import open_coordinator
from tui.launch import prepare

TEAM = "[team]\nannotations_per_task = 1\nclaim_size = 4\n"


def team_batch(tmp_path: Path, n: int = 10, extra: str = TEAM) -> Path:
    folder = make_batch(tmp_path / "team", texts(n), extra=extra)
    os.chmod(folder, 0o775)
    return folder


@asynccontextmanager
async def labeling(folder: Path, who: str) -> AsyncIterator[tuple[Pilot[None], LabelDeskApp]]:
    prepared = prepare(folder, annotator=who)
    app = LabelDeskApp(prepared.session, prepared.keymap)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            yield pilot, app
    finally:
        prepared.session.store.close()


async def until(pilot: Pilot[None], check: Any, what: str) -> None:
    for _ in range(1000):
        await pilot.pause(0.02)
        if check():
            return
    raise AssertionError(f"timed out waiting for {what}")


def current(app: LabelDeskApp) -> str | None:
    s = app.screen.session  # type: ignore[attr-defined]
    return None if s.done else str(s.current().task_id)


def ledger_ops(folder: Path) -> list[tuple[str, str, str]]:
    lines = (folder / "team" / "claims.jsonl").read_bytes().splitlines()
    return [(d.get("op"), d.get("task"), d.get("by")) for d in map(orjson.loads, lines)]


async def test_two_annotators_split_the_batch_and_quit_releases(tmp_path: Path) -> None:
    folder = team_batch(tmp_path)
    async with labeling(folder, "anna") as (pilot, app):
        await until(pilot, lambda: current(app) == "t0", "anna's first claim")
        await until(pilot, lambda: "queue " in screen_text(app), "the team header")
        await pilot.press("1", "2", "1")
        await until(pilot, lambda: current(app) == "t3", "the fourth item")
        assert "pool" in screen_text(app) and "covered" in screen_text(app)
        await pilot.press("pageup")
        await pilot.pause()
        assert current(app) == "t2"  # PgUp: this session's answers, not the file
        await pilot.press("pagedown")
        await pilot.pause()
        assert current(app) == "t3"
        await pilot.press("ctrl+q")
    mine = [r["task_id"] for r in read_results(folder / "results" / "anna.jsonl")]
    assert mine == ["t0", "t1", "t2"]
    assert any(op == "release" and by == "anna" for op, _, by in ledger_ops(folder))
    # Bram never gets anna's answered tasks; the ones she released come back to the team.
    async with labeling(folder, "bram") as (pilot, app):
        await until(pilot, lambda: current(app) is not None, "bram's first claim")
        assert current(app) == "t3"
        for n in range(3, 10):
            await until(pilot, lambda n=n: current(app) == f"t{n}", f"t{n}")  # type: ignore[misc]
            await pilot.press("1")
        await until(pilot, lambda: "Nothing left for you" in screen_text(app), "an empty pool")
        await pilot.press("ctrl+q")
    theirs = [r["task_id"] for r in read_results(folder / "results" / "bram.jsonl")]
    assert theirs == [f"t{i}" for i in range(3, 10)]
    batch = Batch.open(folder)
    coordinator = open_coordinator(batch)
    try:
        status = coordinator.status()
    finally:
        coordinator.close()
    assert status.covered_tasks == 10 and status.live_claims == 0 and status.over_covered == 0
    assert oct(os.stat(folder / "results" / "anna.jsonl").st_mode & 0o777) == "0o640"


async def test_a_folder_that_cannot_work_for_a_team_is_refused_at_launch(tmp_path: Path) -> None:
    import pytest

    from tui.launch import LaunchError

    folder = team_batch(tmp_path)
    (folder / "results").mkdir(mode=0o700)
    os.chmod(folder / "results", 0o700)
    with pytest.raises(LaunchError, match="lacks rwx"):
        prepare(folder, annotator="anna")


async def test_f6_shows_the_team_per_annotator(tmp_path: Path) -> None:
    from tui.screens.summary import StatsScreen

    folder = team_batch(tmp_path)
    async with labeling(folder, "anna") as (pilot, app):
        await until(pilot, lambda: current(app) == "t0", "anna's first claim")
        await pilot.press("1")
        await until(pilot, lambda: "10% covered" in screen_text(app), "the status after an answer")
        await pilot.press("f6")
        await until(
            pilot,
            lambda: isinstance(app.screen, StatsScreen) and "over-covered" in screen_text(app),
            "the team table",
        )
        shown = screen_text(app)
        assert "The team's claims" in shown and "anna" in shown
        assert "answers 1 of 10" in shown


def test_agreement_uses_the_overlap_sample(tmp_path: Path) -> None:
    from tests.test_audit_support import result, write_results
    from tui.core.audit.agreement import agreement_report
    from tui.core.team.tasks import open_plan

    extra = TEAM + "[team.overlap]\ncount = 2\nannotations = 2\nseed = 3\n"
    folder = team_batch(tmp_path, 8, extra)
    sample = sorted(open_plan(Batch.open(folder)).sample)
    outside = next(t for t in (f"t{i}" for i in range(8)) if t not in sample)
    records = [
        result(who, task, {"label": label}).model_copy(update={"batch_id": "test-batch"})
        for who, label in (("anna", "pos"), ("bram", "pos"))
        for task in [*sample, outside]
    ]
    write_results(folder, records)
    report = agreement_report(folder)
    assert report.sample_tasks == 2 and report.shared_items == 2 and report.outside_sample == 1
    assert report.to_json_dict()["sample_tasks"] == 2


async def test_a_team_that_cannot_open_is_said_and_the_app_stays_up(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import tui.core.team.engine as engine

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("the plan is unreadable")

    monkeypatch.setattr(engine, "open_team", broken)
    folder = team_batch(tmp_path)
    async with labeling(folder, "anna") as (pilot, app):
        await until(pilot, lambda: "could not start" in screen_text(app), "the reason on screen")
        assert "the plan is unreadable" in screen_text(app)
        await pilot.press("ctrl+q")
