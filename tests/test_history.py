"""History and revisit (issue 15, part 2): F3 lists my answers newest first; filters for
skipped, flagged, gold missed and audit failed items; a query by id or item number; Enter
goes to the item."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.batch_factory import make_batch, texts
from tui.app import LabelDeskApp
from tui.core.history import FILTERS, item_number, my_history, narrow, positions_of
from tui.launch import prepare
from tui.screens.history import HistoryScreen


def _record(task_id: str, answer: str, at: str, **extra: Any) -> dict[str, Any]:
    return {"task_id": task_id, "answer": answer, "submitted_at": at, "revision": 1, **extra}


def test_rows_newest_first_without_undone_and_filters() -> None:
    latest = {
        "a": _record("a", "accept", "2026-11-30T10:00:00Z", value={"label": "pos"}),
        "b": _record("b", "skip", "2026-11-30T10:05:00Z"),
        "c": _record("c", "undone", "2026-11-30T10:06:00Z"),
        "d": _record("d", "accept", "2026-11-30T10:07:00Z", flag={"reason": "ambiguous"}),
        "e": _record("e", "reject", "2026-11-30T10:08:00Z", gold_correct=False),
    }
    rows = my_history(latest, lambda value: f"label {value['label']}" if value else "—")
    assert [r.task_id for r in rows] == ["e", "d", "b", "a"]
    assert rows[-1].summary == "label pos" and rows[2].summary == ""
    counts = {name: [r.task_id for r in narrow(rows, name, "", {"a"})] for name in FILTERS}
    assert counts == {
        "all": ["e", "d", "b", "a"],
        "skipped": ["b"],
        "flagged": ["d"],
        "gold missed": ["e"],
        "audit failed": ["a"],
    }
    assert [r.task_id for r in narrow(rows, "all", " D ", set())] == ["d"]


def test_item_numbers_and_positions() -> None:
    assert item_number("12", 20) == 11 and item_number("#1", 20) == 0
    assert item_number("0", 20) is None and item_number("21", 20) is None
    assert item_number("t-1", 20) is None
    seen: list[str] = []

    def ids() -> Any:
        for task_id in ["x", "y", "x", "z", "w"]:
            seen.append(task_id)
            yield task_id

    assert positions_of(ids(), {"x", "z"}) == {"x": 0, "z": 3}
    assert seen == ["x", "y", "x", "z"]  # stops when all are found


@asynccontextmanager
async def labeling(folder: Path) -> AsyncIterator[tuple[Pilot[None], LabelDeskApp]]:
    prepared = prepare(folder, annotator="anna")
    app = LabelDeskApp(prepared.session, prepared.keymap)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            yield pilot, app
    finally:
        prepared.session.store.close()


def current_id(app: LabelDeskApp) -> str:
    return app.screen.session.current().task_id  # type: ignore[attr-defined]


async def wait_for_history(pilot: Pilot[None], app: LabelDeskApp) -> HistoryScreen:
    for _ in range(200):
        await pilot.pause(0.01)
        screen = app.screen
        if isinstance(screen, HistoryScreen) and screen.keys_ready and not screen.looking_up:
            return screen
    raise AssertionError(f"no history screen: {app.screen}")


async def test_f3_revisits_a_skipped_item_and_goes_to_item_n_and_an_id(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(8))
    async with labeling(folder) as (pilot, app):
        await pilot.press("1", "space", "2", "1")  # t0 pos, t1 skipped, t2 neg, t3 pos
        await pilot.pause()
        assert current_id(app) == "t4"
        await pilot.press("f3")
        history = await wait_for_history(pilot, app)
        rows = history.query_one("#rows", OptionList)
        assert rows.option_count == 4
        assert "t3" in str(rows.get_option_at_index(0).prompt)
        await pilot.press("tab")  # skipped
        await pilot.pause()
        assert history.filter == "skipped" and rows.option_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert current_id(app) == "t1"
        await pilot.press("3")  # answer the revisited item
        await pilot.pause()
        await pilot.press("f3")
        history = await wait_for_history(pilot, app)
        assert history.filter == "skipped"  # remembered
        assert history.query_one("#rows", OptionList).option_count == 0
        await pilot.press("shift+tab", *"7", "enter")  # all; go to item 7
        await pilot.pause()
        assert current_id(app) == "t6"
        await pilot.press("f3")
        await wait_for_history(pilot, app)
        await pilot.press(*"t0", "enter")
        await pilot.pause()
        assert current_id(app) == "t0"
        await pilot.press("f3")
        await wait_for_history(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen) and current_id(app) == "t0"


async def test_a_changed_draft_is_not_left_by_f3_alone(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3), task={"labels": ["a", "b"], "multi": True})
    async with labeling(folder) as (pilot, app):
        await pilot.press("1")  # multi-label: a toggle is a draft until Enter
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        assert "not saved" in str(app.screen.query_one("#status").render())
        await pilot.press("f3")
        await wait_for_history(pilot, app)
