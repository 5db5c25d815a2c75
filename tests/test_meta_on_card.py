"""Task meta on the card (issue 15, part 4): batch.toml `show_meta` picks the fields, the
line sits at the right end of the progress line, sanitized like all content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.batch_factory import make_batch
from tests.screen_text import screen_text
from tui.app import LabelDeskApp
from tui.core.meta_line import MAX_VALUE_CHARS, meta_fields, meta_line
from tui.launch import prepare


def test_all_fields_in_file_order_when_not_configured() -> None:
    meta = {"source": "wiki", "model": "gpt-x", "score": 0.5, "ok": True}
    assert meta_line(meta, None) == "source wiki · model gpt-x · score 0.5 · ok true"


def test_show_meta_picks_and_orders_and_empty_shows_none() -> None:
    meta = {"source": "wiki", "model": "gpt-x", "topic": "koken"}
    assert meta_line(meta, ["topic", "source", "missing"]) == "topic koken · source wiki"
    assert meta_line(meta, []) == ""
    assert meta_line(None, None) == "" and meta_line(["a"], None) == ""


def test_values_are_sanitized_flattened_and_cut() -> None:
    meta = {
        "src\x1b]0;pwned\x07": "a\x1b[2Jb\nc",
        "nested": {"k": [1, 2]},
        "long": "x" * 100,
        "rlo": "abc\u202edef",
        "sensitive": True,  # the hiding switch, not information
    }
    pairs = dict(meta_fields(meta, None))
    assert all("\x1b" not in k + v and "\x07" not in k + v for k, v in pairs.items())
    assert "\u202e" not in pairs["rlo"]
    assert pairs["nested"] == '{"k":[1,2]}'
    assert len(pairs["long"]) == MAX_VALUE_CHARS and pairs["long"].endswith("…")
    assert "sensitive" not in pairs


def _tasks() -> list[dict[str, Any]]:
    return [
        {"id": "t1", "text": "Eerste tekst", "meta": {"source": "forum", "model": "m-7"}},
        {"id": "t2", "text": "Tweede tekst", "meta": {"source": "\x1b[31mrood", "sensitive": True}},
    ]


async def _progress_line(folder: Path, size: tuple[int, int], keys: list[str]) -> str:
    prepared = prepare(folder, annotator="anna")
    app = LabelDeskApp(prepared.session, prepared.keymap)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            # The progress line (the header above it is left out in a small window).
            return next(x for x in screen_text(app).splitlines() if x.startswith(" item "))
    finally:
        prepared.session.store.close()


async def test_the_progress_line_carries_the_meta_at_its_right_end(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", _tasks())
    line = await _progress_line(folder, (80, 24), [])
    assert line.startswith(" item 1 of 2")
    assert line.rstrip().endswith("source forum · model m-7")


async def test_show_meta_in_batch_toml_and_a_narrow_window(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", _tasks(), show_meta=["model"])
    line = await _progress_line(folder, (80, 24), [])
    assert line.rstrip().endswith("model m-7") and "source" not in line
    folder = make_batch(tmp_path / "c", _tasks())
    line = await _progress_line(folder, (44, 16), [])
    assert line.startswith(" item 1 of 2") and line.rstrip().endswith("…")


async def test_a_hidden_sensitive_item_shows_no_meta(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", _tasks())
    line = await _progress_line(folder, (80, 24), ["1"])
    assert line.startswith(" item 2 of 2") and "source" not in line and "rood" not in line
