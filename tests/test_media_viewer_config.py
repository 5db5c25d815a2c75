"""config.toml [viewers] reaches the media views: the configured command opens the file."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tui.app import LabelDeskApp
from tui.launch import prepare


async def test_configured_image_viewer_is_started_detached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "image-en"
    shutil.copytree(SAMPLES / "image-en", folder, ignore=shutil.ignore_patterns("results"))
    marker = tmp_path / "opened.txt"
    viewer = tmp_path / "myviewer"
    viewer.write_text(f'#!/bin/sh\necho "$1" > {marker}\n')
    viewer.chmod(0o755)
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(f'[viewers]\nimage = "{viewer} {{path}}"\n')
    monkeypatch.setenv("DISPLAY", ":99")  # a display "exists": the viewer starts detached
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        for _ in range(50):
            if marker.exists():
                break
            time.sleep(0.05)
    p.session.store.close()
    assert marker.exists(), "the configured viewer was not started"
    opened = Path(marker.read_text().strip())
    assert opened.is_file() and opened.is_relative_to(folder)
