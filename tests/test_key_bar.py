"""The key bar tells the truth: while an editor has the keys, it shows only the way out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.screen_text import screen_text
from tui.app import LabelDeskApp
from tui.launch import prepare


async def test_key_bar_while_typing_and_after_leaving(tmp_path: Path) -> None:
    folder = tmp_path / "write-nl"
    shutil.copytree(SAMPLES / "write-nl", folder, ignore=shutil.ignore_patterns("results"))
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bottom = "\n".join(screen_text(app).splitlines()[-2:])
        assert "typing" in bottom and "Esc" in bottom and "skip" not in bottom
        await pilot.press("escape")
        await pilot.pause()
        bottom = "\n".join(screen_text(app).splitlines()[-2:])
        assert "typing" not in bottom and "skip" in bottom
    p.session.store.close()


SAMPLE_BATCHES = sorted(p.parent.name for p in SAMPLES.glob("*/batch.toml"))


@pytest.mark.parametrize("name", SAMPLE_BATCHES)
async def test_help_and_quit_are_always_on_the_key_bar_at_80x24(name: str, tmp_path: Path) -> None:
    folder = tmp_path / name
    shutil.copytree(SAMPLES / name, folder, ignore=shutil.ignore_patterns("results", "audits"))
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if p.session.current().task_id and getattr(app.screen, "view", None) is not None:
            view = app.screen.view  # type: ignore[attr-defined]
            if view.editing:
                await pilot.press("escape")  # the write type starts in its editor
                await pilot.pause()
        bottom = "\n".join(screen_text(app).splitlines()[-2:])
        assert "keys" in bottom and "quit" in bottom, bottom
    p.session.store.close()
