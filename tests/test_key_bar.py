"""The key bar tells the truth: while an editor has the keys, it shows only the way out."""

from __future__ import annotations

import shutil
from pathlib import Path

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
