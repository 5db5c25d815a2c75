"""Esc typed just before another key stays Esc, then the key (tui/escape_keys.py, key_gate).

The bytes are what a terminal (or ssh) sends when Esc and the next key arrive in one packet;
they go through Textual's real parser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from tests.batch_factory import read_results
from tests.conftest import SAMPLES
from tui.app import LabelDeskApp
from tui.escape_keys import install
from tui.launch import prepare


def _keys(data: str) -> list[str]:
    install()
    parser = XTermParser()
    tokens = [*parser.feed(data), *parser.feed("")]
    return [t.key for t in tokens if isinstance(t, events.Key)]


@pytest.mark.parametrize(
    ("data", "keys"),
    [
        ("\x1b5", ["alt+5"]),  # Textual alone: "infinity" (a macOS Option character)
        ("\x1b1", ["alt+1"]),
        ("\x1b ", ["alt+space"]),  # Textual alone: "space", the Esc lost
        ("\x1b\r", ["alt+enter"]),
        ("\x1ba", ["alt+a"]),
        ("\x1b", ["escape"]),
        ("\x1b[A", ["up"]),  # real escape sequences are untouched
        ("\x1bOP", ["f1"]),
        ("\x1b[1;5A", ["ctrl+up"]),
        ("\x1b\x7f", ["ctrl+w"]),  # Alt+Backspace stays a word delete
    ],
)
def test_the_parser_keeps_an_esc_before_a_key(data: str, keys: list[str]) -> None:
    assert _keys(data) == keys


async def test_esc_and_enter_in_one_packet_leave_the_reason_then_save(tmp_path: Path) -> None:
    batch = tmp_path / "compare-nl"
    shutil.copytree(SAMPLES / "compare-nl", batch, ignore=shutil.ignore_patterns("results"))
    p = prepare(batch, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b", *"klopt")  # the reason is required here: the field opens
        await pilot.pause()
        app.post_message(events.Key("alt+enter", "\r"))  # Esc, Enter typed together
        for _ in range(100):
            await pilot.pause(0.05)
            if app.session.position == 1:
                break
    app.session.store.close()
    [line] = read_results(batch / "results" / "anna.jsonl")
    assert line["task_id"] == "compare-nl-001"
    assert line["value"]["reason"] == "klopt"


async def test_esc_and_a_digit_in_one_packet_leave_the_field_and_pick_the_label(
    tmp_path: Path,
) -> None:
    batch = tmp_path / "image-en"
    shutil.copytree(SAMPLES / "image-en", batch, ignore=shutil.ignore_patterns("results"))
    p = prepare(batch, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.view  # type: ignore[attr-defined]
        edit = p.keymap.keys_for("image.edit")[0]
        await pilot.press(edit, *"a photo")
        await pilot.pause()
        assert view.editing
        app.post_message(events.Key("alt+1", "1"))  # Esc, 1 typed together
        for _ in range(100):  # a loaded machine may take a while; the state decides
            await pilot.pause(0.05)
            if view.chosen:
                break
        assert not view.editing
        assert "¡" not in view.field.value and view.field.value.endswith("a photo")
        assert view.chosen  # label 1 was toggled on the item, not typed into the field


@pytest.mark.parametrize(
    ("name", "typed", "joined", "check"),
    [
        # write: Esc, Enter typed together after a text that keeps every rule: saved
        (
            "write-en",
            "Hello {name}, your order {order_id} is on its way: https://track.example.com/{order_id}.",
            ("alt+enter", "\r"),
            "saved",
        ),
        # rate: Esc, 4 typed together in the note: out of the note, the criterion scored
        ("rate-en", "n" + "ok", ("alt+4", "4"), "scored"),
    ],
)
async def test_esc_joined_to_the_next_key_leaves_the_field_then_acts(
    tmp_path: Path, name: str, typed: str, joined: tuple[str, str], check: str
) -> None:
    batch = tmp_path / name
    shutil.copytree(SAMPLES / name, batch, ignore=shutil.ignore_patterns("results"))
    p = prepare(batch, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.view  # type: ignore[attr-defined]
        await pilot.press(*[{" ": "space"}.get(c, c) for c in typed])
        await pilot.pause()
        assert view.editing
        app.post_message(events.Key(*joined))  # Esc and the key in one packet
        for _ in range(100):  # a loaded machine may take a while; the state decides
            await pilot.pause(0.05)
            if app.session.position == 1 or getattr(view, "ratings", None):
                break
        if check == "saved":
            assert app.session.position == 1
        else:
            assert not view.editing and view.note == "ok"
            assert list(view.ratings.values()) == [4]
    app.session.store.close()
    if check == "saved":
        [line] = read_results(batch / "results" / "anna.jsonl")
        assert line["value"]["text"].startswith("Hello {name}")
