"""Going back to a saved comparison shows the pick, and Enter keeps it (second review)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.batch_factory import read_results
from tests.conftest import SAMPLES
from tui.app import LabelDeskApp
from tui.launch import prepare


async def test_back_to_a_pick_keeps_it(tmp_path: Path) -> None:
    folder = tmp_path / "compare-en"
    shutil.copytree(SAMPLES / "compare-en", folder, ignore=shutil.ignore_patterns("results"))
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert p.session.position == 1
        await pilot.press("pageup")
        await pilot.pause()
        view = app.screen.view  # type: ignore[attr-defined]
        assert view.choice is not None and view.choice[0] == "win"
        await pilot.press("enter")
        await pilot.pause()
        assert p.session.position == 1
    p.session.store.close()
    lines = read_results(folder / "results" / "anna.jsonl")
    assert len(lines) == 2
    assert lines[1]["value"]["winner"] == lines[0]["value"]["winner"]
    assert lines[1]["revision"] == 2
