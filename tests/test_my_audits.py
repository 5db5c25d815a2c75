"""The annotator's view of audits of their own work (MyAuditsScreen) through Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.screen_text import screen_text as _screen_text
from tests.test_audit_support import audit, make_batch, result, write_audits, write_results
from tui.screens.my_audits import MyAuditsScreen


def screen_text(app: App[Any]) -> str:
    return _screen_text(cast("App[object]", app))


class Host(App[None]):
    def __init__(self, folder: Path, annotator: str) -> None:
        super().__init__()
        self.folder = folder
        self.annotator = annotator

    def compose(self) -> ComposeResult:
        yield Static("labeling screen")

    def on_mount(self) -> None:
        self.push_screen(MyAuditsScreen(self.folder, self.annotator))


def _batch(tmp_path: Path) -> Path:
    folder = make_batch(tmp_path / "b")
    write_results(
        folder,
        [
            result("anna", "t1", {"labels": ["pos"]}),
            result("anna", "t2", {"labels": ["neg"]}),
            result("anna", "t3", {"labels": ["neu"]}),
            result("anna", "t3", {"labels": ["pos"]}, revision=2),
            result("bob", "t1", {"labels": ["neg"]}),
        ],
    )
    write_audits(
        folder,
        [
            audit("qa", "anna", "t1", "pass", original={"labels": ["pos"]}, minute=1),
            audit(
                "qa",
                "anna",
                "t2",
                "corrected",
                errors=("wrong_label",),
                original={"labels": ["neg"]},
                corrected={"labels": ["neu"]},
                comment="[b]geen[/b] negatief woord",
                minute=2,
            ),
            audit(
                "qa",
                "anna",
                "t3",
                "fail",
                errors=("wrong_label", "guideline_violation"),
                original={"labels": ["neu"]},
                comment="zie §3",
                minute=3,
            ),
            audit("qa", "bob", "t1", "fail", errors=("typo",), original={"labels": ["neg"]}),
        ],
    )
    return folder


async def _loaded(pilot: object, app: Host) -> MyAuditsScreen:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, MyAuditsScreen)
    assert screen.summary is not None
    return screen


async def test_summary_counts_findings_and_comments(tmp_path: Path) -> None:
    app = Host(_batch(tmp_path), "anna")
    async with app.run_test(size=(100, 40)) as pilot:
        await _loaded(pilot, app)
        text = screen_text(app)
        assert "Pass rate: 33%  (1 of 3 audited answers passed)" in text
        assert "pass 1  ·  fail 1  ·  corrected 1" in text
        assert "wrong_label 2  ·  guideline_violation 1" in text
        assert "typo" not in text  # bob's audit is not anna's business
        # newest first: t3 (fail, minute 3) above t2 (corrected, minute 2)
        assert text.index("t3") < text.index("t2")
        assert "you changed this answer since" in text  # t3 is now revision 2
        assert "comment: zie §3" in text
        assert "comment: [b]geen[/b] negatief woord" in text  # shown literally
        assert "corrected: " in text and "yours: " in text


async def test_scrolls_with_keys_and_escape_closes(tmp_path: Path) -> None:
    app = Host(_batch(tmp_path), "anna")
    async with app.run_test(size=(80, 12)) as pilot:
        screen = await _loaded(pilot, app)
        scroll = screen.query_one("#my-audits")
        assert scroll.scroll_y == 0
        await pilot.press("down", "down")
        assert scroll.scroll_y == 2
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 2
        await pilot.press("home")
        await pilot.pause()
        assert scroll.scroll_y == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MyAuditsScreen)
        assert "labeling screen" in screen_text(app)


async def test_no_audits_yet_and_a_missing_batch(tmp_path: Path) -> None:
    app = Host(_batch(tmp_path), "carla")
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot, app)
        assert "None of your answers in this batch has been audited yet" in screen_text(app)
    app = Host(tmp_path / "gone", "anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "cannot read the batch" in screen_text(app)
