"""F8: answers that are in no results file (the batch folder deleted, the results file
replaced) are written to a file the annotator names, while the app stays open; the same
answers are not written again on quit (issue 11: "kept in memory for a retry to a path the
annotator gives")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.batch_factory import make_batch
from tests.screen_text import status_text
from tui.app import LabelDeskApp
from tui.commands.open import print_summary
from tui.launch import prepare
from tui.screens.labeling import LabelingScreen
from tui.screens.rescue import RescueScreen


async def _lose_two_answers(app: LabelDeskApp, pilot: object, folder: Path) -> None:
    await pilot.press("1")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    (folder / "results" / "anna.jsonl").unlink()  # a colleague deletes it
    await pilot.press("2")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    status = status_text(app)  # type: ignore[arg-type]
    assert "NOT SAVED" in status and "F8" in status


async def _wait_for(pilot: object, check: object) -> None:
    for _ in range(100):
        if check():  # type: ignore[operator]
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("the screen never got there")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABELDESK_DATA_DIR", str(tmp_path / "data"))


async def test_f8_writes_the_lost_answers_to_the_path_typed(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", [{"id": f"t{n}", "text": "x"} for n in range(3)])
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    target = tmp_path / "elsewhere" / "anna-rescued.jsonl"
    async with app.run_test(size=(80, 24)) as pilot:
        await _lose_two_answers(app, pilot, folder)
        await pilot.press("f8")
        await _wait_for(pilot, lambda: isinstance(app.screen, RescueScreen))
        path_input = app.screen.query_one("#path")
        assert str(tmp_path / "data" / "rescued") in path_input.value  # type: ignore[attr-defined]
        path_input.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await _wait_for(pilot, lambda: isinstance(app.screen, LabelingScreen))
        assert "2 answers written to" in status_text(app)  # type: ignore[arg-type]
        lines = [json.loads(x) for x in target.read_text().splitlines()]
        assert [x["task_id"] for x in lines] == ["t0", "t1"]
        assert (target.stat().st_mode & 0o777) == 0o600
        assert p.session.lost_lines() == []  # written once: nothing left to rescue
        await pilot.press("f8")
        await pilot.pause()
        assert "nothing to rescue" in status_text(app)  # type: ignore[arg-type]
    p.session.store.close()
    print_summary(p.session)  # what `labeldesk` prints on exit
    assert not (tmp_path / "data" / "rescued").exists()  # no second copy on quit


async def test_an_existing_file_is_never_overwritten_and_ctrl_c_cancels(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", [{"id": f"t{n}", "text": "x"} for n in range(3)])
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    taken = tmp_path / "taken.jsonl"
    taken.write_text("mine\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await _lose_two_answers(app, pilot, folder)
        await pilot.press("f8")
        await _wait_for(pilot, lambda: isinstance(app.screen, RescueScreen))
        app.screen.query_one("#path").value = str(taken)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RescueScreen)  # stays open, says why
        problem = str(app.screen.query_one("#problem").render())
        assert "exists" in problem
        assert taken.read_text() == "mine\n"
        await pilot.press("ctrl+c")
        await _wait_for(pilot, lambda: isinstance(app.screen, LabelingScreen))
        assert len(p.session.lost_lines()) == 2  # still kept for the next try
    p.session.store.close()
    print_summary(p.session)  # on exit they go to the rescue folder
    [rescued] = list((tmp_path / "data" / "rescued").iterdir())
    assert len(rescued.read_text().splitlines()) == 2


async def test_f8_with_every_answer_saved_says_so(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", [{"id": f"t{n}", "text": "x"} for n in range(3)])
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, LabelingScreen)
        assert "nothing to rescue" in status_text(app)  # type: ignore[arg-type]
    p.session.store.close()
