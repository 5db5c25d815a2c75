"""A folder of batches opens as a list; Enter opens one, Ctrl+q comes back to the list."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.batch_factory import make_batch, read_results, texts
from tests.screen_text import screen_text
from tui.app import LabelDeskApp
from tui.core.batch_discovery import discover_batches
from tui.core.keymap import Keymap
from tui.core.session import LabelingSession
from tui.launch import prepare
from tui.screens.batch_picker import BatchPickerScreen
from tui.screens.labeling import LabelingScreen


async def test_choose_a_batch_label_and_come_back(tmp_path: Path) -> None:
    make_batch(tmp_path / "root" / "a-first", texts(3), id="first", title="First batch")
    make_batch(tmp_path / "root" / "b-second", texts(2), id="second", title="Second batch")
    (tmp_path / "root" / "not-a-batch").mkdir()
    entries = discover_batches(tmp_path / "root")
    assert [e.id for e in entries] == ["first", "second"]

    def opener(folder: Path) -> tuple[LabelingSession, Keymap]:
        p = prepare(folder, annotator="anna")
        return p.session, p.keymap

    app = LabelDeskApp(batches=entries, annotator="anna", opener=opener)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert isinstance(app.screen, BatchPickerScreen)
        assert "Second batch" in screen_text(app) and "0/2" in screen_text(app)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, LabelingScreen)
        await pilot.press("1")
        await pilot.press("ctrl+q")
        await pilot.pause(0.3)
        assert isinstance(app.screen, BatchPickerScreen)
        assert app.session is None  # the results file was released
        assert "1/2" in screen_text(app)
        await pilot.press("ctrl+q")
    assert [
        x["task_id"]
        for x in read_results(tmp_path / "root" / "b-second" / "results" / "anna.jsonl")
    ] == ["t0"]


def test_a_folder_without_batches_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = subprocess.run(["labeldesk", str(tmp_path / "empty")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "no batch.toml and no batch folders inside it" in result.stderr


async def test_titles_with_markup_are_shown_literally(tmp_path: Path) -> None:
    make_batch(tmp_path / "root" / "a", texts(2), id="a", title="Reviews [/] 2024 [bold]x")
    entries = discover_batches(tmp_path / "root")
    app = LabelDeskApp(batches=entries, annotator="anna", opener=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert "Reviews [/] 2024 [bold]x" in screen_text(app)
