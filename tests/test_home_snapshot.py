"""The home screen at 80×24 as an SVG snapshot: rows with my progress, a colleague's, my pace
on a frozen day, an audit plan waiting for me, audits of my work, and a broken batch.toml.

Helpers come from tests/test_snapshots.py (a fresh working directory, settled() waiting for
the workers, never a fixed sleep). The day is frozen and every path on screen is relative."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.batch_factory import make_batch, texts
from tests.test_home_core import DAY, answer, audit, write_lines
from tests.test_snapshots import SIZES, SnapCompare, here, settled, snap
from tui.core.audit import SampleSpec, assign_audit
from tui.core.home.listing import list_batches
from tui.core.home.roots import Roots
from tui.home_app import HomeApp
from tui.screens.home import HomeScreen

__all__ = ["here"]  # the fixture, used by name


def home_app() -> HomeApp:
    root = Path("batches")
    busy = make_batch(
        root / "reviews-nl",
        texts(40),
        id="b1",
        title="Productrecensies",
        language="nl",
        target_per_hour=240,
    )
    write_lines(
        busy / "results" / "anna.jsonl",
        [answer(f"t{i}", "anna", active_ms=12_000) for i in range(12)],
    )
    write_lines(busy / "results" / "bram.jsonl", [answer(f"t{i}", "bram") for i in range(30)])
    write_lines(
        busy / "audits" / "ruud.jsonl", [audit("t0", "anna", "pass"), audit("t1", "anna", "fail")]
    )
    assign_audit(busy, "anna", SampleSpec(rate=None, per_annotator=5), seed="s", mode="new")
    make_batch(
        root / "project" / "spans-en",
        texts(25),
        id="b2",
        title="Entities in news",
        task_type="spans",
        task={"labels": ["PER", "LOC"]},
        language="en",
    )
    (root / "broken").mkdir()
    (root / "broken" / "batch.toml").write_text('id = "x"\ntitle = [\n', encoding="utf-8")
    return HomeApp(
        Roots([root], "config"),
        list_batches([root]),
        annotator="anna",
        opener=None,
        day=lambda: DAY,
        live=False,
    )


@pytest.mark.parametrize("size", SIZES)
def test_home_screen(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    app = home_app()

    def ready() -> bool:
        screen = app.screen
        return (
            isinstance(screen, HomeScreen)
            and screen.reads_done >= 1
            and screen.home_keymap is not None
        )

    async def run_before(pilot: Pilot[Any]) -> None:
        await settled(pilot, ready)

    snap(snap_compare, app, size, run_before)
