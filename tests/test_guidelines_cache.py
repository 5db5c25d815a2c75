"""The guidelines are rendered once per batch and shown at once (issue 10, part 5): the
Markdown is rendered to lines in a worker when the item screen opens (warm_guidelines),
cached per text and width, and the overlay is kept for the next Ctrl+g — so opening it
renders nothing, and neither does opening it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rich.markdown
from textual.pilot import Pilot

from tests.batch_factory import make_batch, texts
from tests.demo_app import running
from tests.screen_text import screen_text
from tui.screens.guidelines import GuidelinesScreen, render_guidelines, text_width

TEXT = "# Guidelines\n\n" + "".join(f"## Rule {n}\n\nLabel **carefully**.\n\n" for n in range(30))


def test_rendered_once_per_text_and_width() -> None:
    first = render_guidelines(TEXT, 60)
    assert render_guidelines(TEXT, 60) is first
    assert render_guidelines(TEXT, 61) is not first  # another width: laid out again
    assert render_guidelines(TEXT + "x", 60) is not first
    assert all(strip.cell_length <= 60 for strip in first)
    assert any("Rule 29" in strip.text for strip in first)


async def _wait(pilot: Pilot[Any], check: Any, what: str) -> None:
    for _ in range(500):
        if check():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never: {what}")


async def test_ctrl_g_renders_nothing_warm_and_keeps_the_overlay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[str] = []

    class CountingMarkdown(rich.markdown.Markdown):
        def __init__(self, markup: str, *args: Any, **kwargs: Any) -> None:
            renders.append(markup)
            super().__init__(markup, *args, **kwargs)

    # render_guidelines imports Markdown when it has to render (a cache miss). The text is
    # this test's own, so no other test's cached lines count.
    monkeypatch.setattr(rich.markdown, "Markdown", CountingMarkdown)
    text = f"{TEXT}\n{tmp_path.name}\n"
    folder = make_batch(tmp_path / "b", texts(3), guidelines=text)
    async with running(folder, (80, 24)) as (app, pilot):
        await _wait(pilot, lambda: len(renders) == 1, "the item screen warmed the guidelines")
        await pilot.press("ctrl+g")
        await _wait(pilot, lambda: isinstance(app.screen, GuidelinesScreen), "guidelines open")
        await _wait(pilot, lambda: getattr(app.screen, "keys_ready", False), "painted")
        first = app.screen
        assert "Rule 0" in screen_text(app)
        assert len(renders) == 1, "Ctrl+g rendered the Markdown again"
        await pilot.press("q")
        await _wait(pilot, lambda: not isinstance(app.screen, GuidelinesScreen), "closed")
        await pilot.press("ctrl+g")
        await _wait(pilot, lambda: app.screen is first, "the same overlay, kept")
        assert len(renders) == 1
    assert text_width(80) == 80 - 6  # border, padding and the scrollbar's gutter
