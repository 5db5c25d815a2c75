"""A copy of a demo batch opened in the app for Pilot, as anna at 80x24, and what she wrote:
shared by the key-pressure and free-text tests (issue 9)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.batch_factory import read_results
from tui.app import LabelDeskApp
from tui.launch import prepare

REPO = Path(__file__).resolve().parent.parent
SIZE = (80, 24)


def sample(tmp_path: Path, name: str) -> Path:
    """samples/<name> copied into tmp_path, without results or audits."""
    folder = tmp_path / name
    shutil.copytree(
        REPO / "samples" / name, folder, ignore=shutil.ignore_patterns("results", "audits")
    )
    return folder


@asynccontextmanager
async def running(
    folder: Path, size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[LabelDeskApp, Pilot[None]]]:
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield app, pilot
    finally:
        p.session.store.close()


def results(folder: Path) -> list[dict[str, Any]]:
    """anna's results lines, [] before her first answer."""
    path = folder / "results" / "anna.jsonl"
    return read_results(path) if path.exists() else []
