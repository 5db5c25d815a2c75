"""Repaint only what changed (tui/widgets/line.py): what is on screen after each answer is
what a full repaint of the same state shows, and a short item after a long one leaves no
scrollbar behind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.strip import Strip

from tests.batch_factory import make_batch
from tests.screen_text import screen_text
from tests.tmux_terminal import LABELDESK, TmuxTerminal
from tui.app import LabelDeskApp
from tui.launch import prepare
from tui.widgets.line import DiffText, changed_regions


def test_changed_regions_span_only_the_differing_cells() -> None:
    red = Style(color="red")
    old = [Strip([Segment("item 2 of 9")]), Strip([Segment("same")]), Strip([Segment("ab")])]
    new = [Strip([Segment("item 3 of 9")]), Strip([Segment("same")]), Strip([Segment("abcd")])]
    assert changed_regions(old, new) == [Region(5, 0, 1, 1), Region(2, 2, 2, 1)]
    # A style change alone is a change; a wide character counts two cells.
    styled = [Strip([Segment("a"), Segment("b", red)])]
    assert changed_regions([Strip([Segment("ab")])], styled) == [Region(1, 0, 1, 1)]
    assert changed_regions([Strip([Segment("é")])], [Strip([Segment("漢")])]) == [
        Region(0, 0, 2, 1)
    ]


def _items(sizes: list[int]) -> list[dict[str, object]]:
    return [
        {
            "id": f"l{i}",
            "text": "\n".join(f"ITEM-{i} line {k}" for k in range(n)),
            "label": "REFUSAL",
        }
        for i, n in enumerate(sizes)
    ]


async def test_incremental_paints_equal_a_full_repaint(tmp_path: Path) -> None:
    sizes = [30, 2, 14, 3, 15, 1, 40, 5, 2]
    folder = make_batch(tmp_path / "b", _items(sizes), task_type="binary", task={})
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        for n in range(1, len(sizes)):
            await pilot.press("a")
            await pilot.pause()
            await pilot.pause()
            shown = screen_text(app)
            assert f"ITEM-{n} line 0" in shown
            body = app.screen.query_one("#body", VerticalScroll)
            if sizes[n] <= 14:  # fits in the 16 rows of the item frame at 80x24
                assert body.max_scroll_y == 0, f"item {n}: a scrollbar is left behind"
            app.screen.refresh(layout=True)  # a full repaint of the same state
            await pilot.pause()
            full = screen_text(app)
            kpi = 2  # the live KPI line moves with the clock
            strip = [line for i, line in enumerate(shown.splitlines()) if i != kpi]
            again = [line for i, line in enumerate(full.splitlines()) if i != kpi]
            assert strip == again
    p.session.store.close()


@pytest.mark.e2e
def test_the_terminal_shows_what_a_full_repaint_shows(
    tmp_path: Path, terminal: TmuxTerminal
) -> None:
    """In a real terminal: after each answer (only changed cells sent), the screen equals
    the one drawn from scratch after a resize to the same size."""
    sizes = [30, 2, 14, 3, 1, 40, 5, 2]
    folder = make_batch(tmp_path / "b", _items(sizes), task_type="binary", task={})
    terminal.env["COLORTERM"] = ""  # 256 colours, as over ssh
    terminal.start([str(LABELDESK), str(folder), "--annotator", "anna"], tmp_path)
    terminal.wait_for("ITEM-0 line 0")

    def lines() -> list[str]:
        return [line for i, line in enumerate(terminal.screen().splitlines()) if i != 2]

    for n in range(1, len(sizes)):
        terminal.keys("a")
        terminal.wait_for(f"ITEM-{n} line 0")
        time.sleep(0.3)
        shown = lines()
        terminal._tmux("resize-window", "-t", terminal.name, "-x", str(terminal.width + 1))
        time.sleep(0.3)
        terminal._tmux("resize-window", "-t", terminal.name, "-x", str(terminal.width))
        time.sleep(0.5)
        assert shown == lines(), f"after answer {n}"


class _OneText(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield DiffText(Text("first text\nof two lines"), keep_height=True, id="t")


async def test_a_prepared_text_shows_as_a_fresh_render(tmp_path: Path) -> None:
    """prepare() changes nothing on screen; set() of the prepared content shows what a full
    repaint shows; another content, or a resize since, is rendered as before."""
    app = _OneText()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        text = app.query_one("#t", DiffText)

        async def shown() -> str:
            await pilot.pause()
            await pilot.pause()
            now = screen_text(app)
            app.screen.refresh(layout=True)
            await pilot.pause()
            assert screen_text(app) == now, "differs from a full repaint"
            return now

        text.prepare(Text("second, longer text\nover\nthree lines"))
        assert "first text" in await shown()
        text.set(Text("second, longer text\nover\nthree lines"))
        assert "three lines" in await shown()
        text.prepare(Text("third"))
        text.set(Text("fourth"))
        assert "fourth" in await shown() and "third" not in screen_text(app)
        text.prepare(Text("fifth text, wide enough to wrap at thirty columns for sure"))
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        text.set(Text("fifth text, wide enough to wrap at thirty columns for sure"))
        assert "fifth text" in await shown()


async def test_answers_back_and_skips_show_what_a_full_repaint_shows(tmp_path: Path) -> None:
    """The labeling screen prepares the item an answer leads to; moves it did not guess
    (back, forward, skip over answered items) must show the same as a full repaint."""
    sizes = [3, 1, 5, 2, 4, 1, 3]
    folder = make_batch(tmp_path / "b", _items(sizes), task_type="binary", task={})
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        for key, expect in [
            ("a", 1),
            ("a", 2),
            ("pageup", 1),
            ("pageup", 0),
            ("x", 2),  # item 0 answered again: on to the first unanswered one
            ("pageup", 1),
            ("pagedown", 2),
            ("space", 3),
            ("a", 4),
        ]:
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            shown = screen_text(app)
            assert f"ITEM-{expect} line 0" in shown, (key, expect, shown)
            app.screen.refresh(layout=True)
            await pilot.pause()
            kpi = 2  # the live KPI line moves with the clock
            assert [line for i, line in enumerate(shown.splitlines()) if i != kpi] == [
                line for i, line in enumerate(screen_text(app).splitlines()) if i != kpi
            ], (key, expect)
    p.session.store.close()
