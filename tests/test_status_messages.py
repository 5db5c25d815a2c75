"""Messages are never cut (issue 9, point 8): at 80x24 a refusal with its remedy, and the
screen's " · keys type into <field>", is longer than one line; the status line grows to show
all of it and shrinks back with the next short message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.screen_text import screen_text, status_text
from tui.app import LabelDeskApp
from tui.launch import prepare

REPO = Path(__file__).resolve().parent.parent


# Dutch in an English batch: "reads as Dutch (…%), the batch asks for English (+4 more)".
DUTCH = [{" ": "space"}.get(c, c) for c in "Dit is een hele mooie zin over het weer"]


def _flat(text: str) -> str:
    return " ".join(text.split())


async def _seen(tmp_path: Path, sample: str, keys: list[str], size: tuple[int, int]) -> None:
    folder = tmp_path / sample
    shutil.copytree(
        REPO / "samples" / sample, folder, ignore=shutil.ignore_patterns("results", "audits")
    )
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.pause()
            message = status_text(app)
            assert len(message) > size[0] - 2, f"not a long message: {message!r}"
            # The whole message is on screen, the remedy at its end included.
            assert _flat(message) in _flat(screen_text(app)), screen_text(app)
            await pilot.press("ctrl+c")  # a short message: one line again
            await pilot.pause()
            await pilot.pause()
            assert app.screen.query_one("#status").size.height == 1
    finally:
        p.session.store.close()


@pytest.mark.parametrize(
    ("sample", "keys"),
    [
        # a broken rule while typing: the rule, then where the keys go
        ("write-en", [*DUTCH, "enter"]),
        # a broken rule after leaving the editor: the rule, then the override key
        ("write-en", [*DUTCH, "escape", "enter"]),
        # a required rating missing while typing the note: which key leaves the note
        ("rate-nl", ["n", "o", "k", "enter"]),
        # a flag noted before the answer: how to save it alone
        ("binary-en", ["exclamation_mark", "1", "enter"]),
    ],
)
async def test_a_long_message_is_shown_whole_at_80_columns(
    tmp_path: Path, sample: str, keys: list[str]
) -> None:
    await _seen(tmp_path, sample, keys, (80, 24))


@pytest.mark.parametrize(("sample", "keys"), [("audio-nl", []), ("spans-en", ["slash"])])
async def test_the_key_bar_says_esc_leaves_a_field_not_cancels_it(
    tmp_path: Path, sample: str, keys: list[str]
) -> None:
    """Esc keeps the typed text (the free-text convention): the key bar must not say
    "cancel the editor", which reads as if the transcript were thrown away."""
    folder = tmp_path / sample
    shutil.copytree(
        REPO / "samples" / sample, folder, ignore=shutil.ignore_patterns("results", "audits")
    )
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.pause()
            bar = _flat(" ".join(screen_text(app).splitlines()[-2:]))
            assert "typing into" in bar and "Esc leave the editor" in bar, bar
            assert "cancel" not in bar
    finally:
        p.session.store.close()
