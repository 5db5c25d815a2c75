"""write: the view under Pilot, every key path, at 80x24 and 160x50."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from textual.app import App
from textual.pilot import Pilot

from task_types.write.view import WriteView
from tests.batch_factory import make_batch, read_results
from tests.demo_app import running
from tests.screen_text import screen_text
from tui.app import LabelDeskApp

SIZES = [(80, 24), (160, 50)]
SOURCE = "Beste {name}, uw pakket met 3 boeken is onderweg: https://track.example.nl/42."
GOOD = "Dear {name}, your parcel with 3 books is on its way: https://track.example.nl/42."
RULES = {
    "min_words": 5,
    "max_words": 40,
    "language": "en",
    "forbidden": ["as an AI language model"],
    "keep": ["placeholders", "numbers", "urls"],
}


def batch(tmp_path: Path, task: dict[str, Any] | None = None) -> Path:
    tasks = [
        {"id": "t1", "source": SOURCE, "instructions": "Translate into English."},
        {"id": "t2", "prompt": "Write one sentence about trains."},
    ]
    return make_batch(
        tmp_path / "b", tasks, task_type="write", task=RULES if task is None else task
    )


def shown(app: LabelDeskApp) -> str:
    return screen_text(cast("App[object]", app))


def view(app: LabelDeskApp) -> WriteView:
    return app.screen.query_one(WriteView)


async def settle(app: LabelDeskApp, pilot: Pilot[None]) -> None:
    """Wait out the live-check debounce and its worker."""
    from task_types.write.rules import clean

    v = view(app)
    for _ in range(100):
        await pilot.pause(0.05)
        if v._report is not None and v._report.text == clean(v.area.text):
            return
    raise AssertionError("the live check never caught up with the text")


async def type_in(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


def results(folder: Path) -> list[dict[str, Any]]:
    path = folder / "results" / "anna.jsonl"
    return read_results(path) if path.exists() else []


def status(app: LabelDeskApp) -> str:
    return str(app.screen.query_one("#status").render())


@pytest.mark.parametrize("size", SIZES)
async def test_type_leave_submit(tmp_path: Path, size: tuple[int, int]) -> None:
    folder = batch(tmp_path)
    async with running(folder, size) as (app, pilot):
        v = view(app)
        assert v.editing and v.area.has_focus
        screen = shown(app)
        assert "Source: Beste {name}" in screen and "Esc  leaves" in screen
        # While editing, app keys (space skip, ! flag, label digits) type text.
        await type_in(pilot, GOOD.replace("{name}", "{name}!"))
        await settle(app, pilot)
        assert v.area.text == GOOD.replace("{name}", "{name}!")
        # `!` typed text: no flag dialog opened over the item.
        assert results(folder) == [] and type(app.screen).__name__ == "LabelingScreen"
        assert "✓ every rule is met" in shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not v.editing
        assert "Esc  leaves" not in shown(app) and "e  edit" in shown(app)
        await pilot.press("e")
        assert v.editing
        await pilot.press("escape", "enter")
        await pilot.pause()
    rows = results(folder)
    assert len(rows) == 1 and rows[0]["task_id"] == "t1" and rows[0]["answer"] == "accept"
    value = rows[0]["value"]
    assert value["text"] == GOOD.replace("{name}", "{name}!")
    assert value["words"] == 12 and value["chars"] == len(value["text"])
    assert value["language"] == "en" and value["checks"] == [] and value["override"] is None
    assert value["editor"] == "builtin"


@pytest.mark.parametrize("size", SIZES)
async def test_violation_refuses_then_override_with_reason(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    folder = batch(tmp_path)
    async with running(folder, size) as (app, pilot):
        await type_in(pilot, "Dear {naam}, your parcel is on its way.")
        await settle(app, pilot)
        screen = shown(app)
        assert "rules broken" in screen and "placeholder {name} is missing" in screen
        await pilot.press("escape", "enter")
        assert "rule broken: placeholder {name} is missing (+3 more)" in status(app)
        assert results(folder) == []
        await pilot.press("o")
        v = view(app)
        assert v.editing and v.reason.has_focus
        assert "Reason for submitting" in shown(app)
        await pilot.press("escape")  # cancels the override, nothing saved
        assert not v.editing and not v.has_class("overriding")
        await pilot.press("o")
        await pilot.press("enter")
        assert "give a reason" in status(app) and results(folder) == []
        await type_in(pilot, "source typo")
        await pilot.press("enter")
        await pilot.pause()
    value = results(folder)[0]["value"]
    assert value["override"]["reason"] == "source typo"
    rules = [c["rule"] for c in value["override"]["violations"]]
    assert rules == [c["rule"] for c in value["checks"]]
    assert rules == ["keep.placeholders", "keep.placeholders", "keep.numbers", "keep.urls"]


async def test_override_without_violation_and_empty_text(tmp_path: Path) -> None:
    folder = batch(tmp_path)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("escape", "enter")
        assert "nothing written yet" in status(app)
        await pilot.press("o")
        assert "nothing written yet" in status(app)
        await pilot.press("e")
        await type_in(pilot, GOOD)
        await pilot.press("escape", "o")
        assert "every rule is met" in status(app) and not view(app).editing
        await pilot.press("escape")
        assert "not editing" in status(app)
    assert results(folder) == []


async def test_language_and_forbidden_refuse(tmp_path: Path) -> None:
    folder = batch(tmp_path)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("space")  # the editor has the keys: space types
        assert view(app).area.text == " " and results(folder) == []
        await pilot.press("escape", "space")  # out of the editor: space asks (a draft)
        assert "not saved" in status(app) and results(folder) == []
        await pilot.press("space")  # again: skips t1
        await pilot.pause()
        assert "Prompt: Write one sentence" in shown(app)
        await type_in(pilot, "De trein rijdt elke dag naar Amsterdam, as an AI language model.")
        await settle(app, pilot)
        assert "forbidden phrase “as an AI language model”" in shown(app)
        await pilot.press("escape", "enter")
        assert "rule broken: reads as Dutch" in status(app) and "(+1 more)" in status(app)
    assert [r["answer"] for r in results(folder)] == ["skip"]


async def test_prefill_source_and_previous_answer(tmp_path: Path) -> None:
    folder = batch(tmp_path, {"prefill": "source"})
    async with running(folder, (80, 24)) as (app, pilot):
        v = view(app)
        assert v.area.text == SOURCE
        await pilot.press("escape", "enter")
        await pilot.pause()
        await pilot.press("pageup")  # the editor has the keys: pageup moves in the text
        await pilot.pause()
        assert "item 2 of 2" in shown(app)
        await pilot.press("escape", "pageup")
        await pilot.pause()
        assert "item 1 of 2" in shown(app)
        assert view(app).area.text == SOURCE
    assert results(folder)[0]["value"]["language"] == "nl"


async def test_external_editor_unsupported_under_pilot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The headless driver cannot suspend: the view says so and keeps the text. The real
    $EDITOR path runs in tests/test_write_e2e.py."""
    monkeypatch.setenv("EDITOR", "true")
    folder = batch(tmp_path)
    async with running(folder, (80, 24)) as (app, pilot):
        await type_in(pilot, "abc")
        await pilot.press("escape", "v")
        assert "cannot hand over to $EDITOR" in status(app)
        assert view(app).area.text == "abc"


async def test_keys_of_the_type_do_not_collide() -> None:
    from task_types.registry import get_task_type
    from tui.core.keymap import build_keymap

    keymap = build_keymap(get_task_type("write"))
    assert keymap.conflicts() == []
    assert keymap.keys_for("write.leave") == ["escape", "ctrl+l"]
