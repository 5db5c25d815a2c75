"""Pilot tests of the spans view: every key path, at 80×24 and 160×50."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

from task_types.spans.view import SpansView
from tests.conftest import SAMPLES
from tests.demo_app import running
from tui.app import LabelDeskApp

SIZES = [(80, 24), (160, 50)]
TEXT = "Minister Dilan Yeşilgöz sprak in de Tweede Kamer. Daarna ging ze naar Den Haag."
# token indexes: 0 Minister 1 Dilan 2 Yeşilgöz 3 sprak 4 in 5 de 6 Tweede 7 Kamer 8 .
#                9 Daarna 10 ging 11 ze 12 naar 13 Den 14 Haag 15 .


def make_batch(tmp_path: Path, tasks: list[dict[str, Any]]) -> Path:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "batch.toml").write_text(
        'id = "t"\ntitle = "T"\ntask_type = "spans"\nlanguage = "nl"\n'
        '[task]\nlabels = ["PER", "LOC", "ORG"]\n',
        encoding="utf-8",
    )
    lines = b"".join(orjson.dumps(t) + b"\n" for t in tasks)
    (batch / "tasks.jsonl").write_bytes(lines)
    return batch


def results(batch: Path) -> list[dict[str, Any]]:
    return [orjson.loads(x) for x in (batch / "results" / "anna.jsonl").read_bytes().splitlines()]


def triples(record: dict[str, Any]) -> list[tuple[int, int, str, int, int]]:
    return [
        (s["start"], s["end"], s["label"], s["token_start"], s["token_end"])
        for s in record["value"]["spans"]
    ]


def view_of(app: LabelDeskApp) -> SpansView:
    return app.screen.query_one(SpansView)


@pytest.mark.parametrize("size", SIZES)
async def test_move_extend_label_submit(tmp_path: Path, size: tuple[int, int]) -> None:
    batch = make_batch(tmp_path, [{"id": "a", "text": TEXT}, {"id": "b", "text": "Ajax won."}])
    async with running(batch, size) as (app, pilot):
        await pilot.press("right", "shift+right", "1")  # Dilan Yeşilgöz -> PER
        await pilot.press("end", "right", "right", "right", "right", "shift+right", "2")
        assert "marked LOC: Den Haag" in str(app.screen.query_one("#status").render())
        await pilot.press("home", "home", "right", "right", "right", "right", "right")
        await pilot.press("right", "shift+right", "3")  # Tweede Kamer -> ORG
        await pilot.press("enter")
        await pilot.pause()
        assert view_of(app).editor.text == "Ajax won."
    assert triples(results(batch)[0]) == [
        (9, 23, "PER", 1, 2),
        (36, 48, "ORG", 6, 7),
        (70, 78, "LOC", 13, 14),
    ]


@pytest.mark.parametrize("size", SIZES)
async def test_edit_pre_set_spans(tmp_path: Path, size: tuple[int, int]) -> None:
    task = {
        "id": "a",
        "text": TEXT,
        "spans": [
            {"start": 9, "end": 23, "label": "ORG"},
            {"start": 33, "end": 48, "label": "ORG"},
            {"start": 70, "end": 78, "label": "LOC"},
        ],
    }
    batch = make_batch(tmp_path, [task])
    async with running(batch, size) as (app, pilot):
        view = view_of(app)
        assert len(view.editor.spans) == 3
        await pilot.press("ctrl+right", "1")  # relabel Dilan Yeşilgöz ORG -> PER
        await pilot.press("ctrl+right")  # to "de Tweede Kamer": shrink it by re-marking
        assert view.editor.cursor == 5
        await pilot.press("right", "shift+right", "3")
        await pilot.press("ctrl+right", "delete")  # drop Den Haag
        await pilot.press("ctrl+right")
        assert "no span that way" in str(app.screen.query_one("#status").render())
        await pilot.press("ctrl+left", "ctrl+left", "ctrl+left")
        assert view.editor.cursor == 1
        await pilot.press("enter")
        await pilot.pause()
    assert triples(results(batch)[0]) == [(9, 23, "PER", 1, 2), (36, 48, "ORG", 6, 7)]


async def test_up_down_extend_lines_and_cancel(tmp_path: Path) -> None:
    batch = make_batch(tmp_path, [{"id": "a", "text": TEXT}])
    async with running(batch, (40, 24)) as (app, pilot):
        view = view_of(app)
        wrapped = view.text_view.wrapped
        assert wrapped is not None and len(wrapped) >= 3
        await pilot.press("down")
        assert view.text_view.cursor_line() == 1
        await pilot.press("up", "up")
        assert view.editor.cursor == 0
        await pilot.press("shift+down")
        assert view.editor.anchor == 0 and view.text_view.cursor_line() == 1
        await pilot.press("shift+up")
        assert view.editor.selection == (0, 0)
        await pilot.press("shift+right", "escape")
        assert view.editor.anchor is None
        await pilot.press("x")
        assert "no span under the cursor" in str(app.screen.query_one("#status").render())
        await pilot.press("9")
        assert "9 is not a label key here: labels are 1–3" in str(
            app.screen.query_one("#status").render()
        )
        await pilot.press("enter")
        await pilot.pause()
    assert results(batch)[0]["value"] == {"spans": []}


async def test_back_shows_the_saved_spans_for_editing(tmp_path: Path) -> None:
    pre = {"id": "a", "text": TEXT, "spans": [{"start": 70, "end": 78, "label": "LOC"}]}
    batch = make_batch(tmp_path, [pre, {"id": "b", "text": "Ajax won."}])
    async with running(batch, (80, 24)) as (app, pilot):
        await pilot.press("right", "shift+right", "1", "enter")
        await pilot.press("pageup")
        await pilot.pause()
        view = view_of(app)
        assert [s.label for s in view.editor.spans] == ["PER", "LOC"]
        await pilot.press("ctrl+right", "ctrl+right", "delete", "enter")
        await pilot.pause()
    records = results(batch)
    assert [r["revision"] for r in records] == [1, 2]
    assert triples(records[1]) == [(9, 23, "PER", 1, 2)]


@pytest.mark.parametrize("size", SIZES)
async def test_long_text_keeps_the_cursor_in_view(tmp_path: Path, size: tuple[int, int]) -> None:
    words = [f"Woord{n}" if n % 10 else "Utrecht." for n in range(5000)]
    batch = make_batch(tmp_path, [{"id": "long", "text": " ".join(words)}])
    async with running(batch, size) as (app, pilot):
        view = view_of(app)
        text = view.text_view
        height = text.scrollable_content_region.height
        for _ in range(height + 5):
            await pilot.press("down")
        top = round(text.scroll_y)
        assert top > 0
        assert top <= text.cursor_line() < top + height
        for _ in range(30):
            await pilot.press("end")
        assert top <= round(text.scroll_y)
        line = text.cursor_line()
        assert round(text.scroll_y) <= line < round(text.scroll_y) + height
        painted = "".join(text.render_line(y).text for y in range(height))
        cursor = view.editor.tokens[view.editor.cursor]
        assert view.editor.text[cursor.start : cursor.end] in painted
        before = view.editor.cursor
        await pilot.press("home")
        assert view.editor.cursor < before and view.editor.cursor in view.editor.sentence_starts


async def test_task_text_is_shown_literally(tmp_path: Path) -> None:
    text = "[bold]Rutte[/bold] \x1b[31mrood\x1b[0m"
    batch = make_batch(tmp_path, [{"id": "a", "text": text}])
    async with running(batch, (80, 24)) as (app, pilot):
        painted = view_of(app).text_view.render_line(0).text
        assert "[bold]Rutte[/bold]" in painted
        assert "\x1b" not in painted and "\u241b[31mrood" in painted
        await pilot.press("right", "right", "right", "2", "enter")  # "Rutte" after "[", "bold", "]"
        await pilot.pause()
    assert triples(results(batch)[0]) == [(6, 11, "LOC", 3, 3)]


@pytest.mark.parametrize("sample", ["spans-nl", "spans-en"])
async def test_samples_open_and_label(tmp_path: Path, sample: str) -> None:
    batch = tmp_path / sample
    shutil.copytree(SAMPLES / sample, batch)
    async with running(batch, (80, 24)) as (app, pilot):
        assert view_of(app).editor.spans
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
    assert len(results(batch)) == 1


@pytest.mark.parametrize("size", SIZES)
async def test_tab_selects_the_next_name_and_one_label_key_marks_it(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    text = "Gisteren sprak Frans van der Berg met Jan Peter Balkenende in 's-Hertogenbosch."
    batch = make_batch(tmp_path, [{"id": "a", "text": text}])
    async with running(batch, size) as (app, pilot):
        await pilot.press("tab", "1", "tab", "1", "tab", "2")
        await pilot.press("shift+tab")  # back to Jan Peter Balkenende: selected again
        await pilot.pause()
        lo, hi = view_of(app).editor.selection_chars()
        assert text[lo:hi] == "Jan Peter Balkenende"
        await pilot.press("escape", "enter")
        await pilot.pause()
    marked = [(text[s[0] : s[1]], s[2]) for s in triples(results(batch)[0])]
    assert marked == [
        ("Frans van der Berg", "PER"),
        ("Jan Peter Balkenende", "PER"),
        ("'s-Hertogenbosch", "LOC"),
    ]


@pytest.mark.parametrize("size", SIZES)
async def test_slash_finds_words_and_enter_again_finds_the_next(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    batch = make_batch(tmp_path, [{"id": "a", "text": TEXT}])
    async with running(batch, size) as (app, pilot):
        await pilot.press("slash", *"den haag", "enter")
        await pilot.pause()
        view = view_of(app)
        assert not view.editing
        lo, hi = view.editor.selection_chars()
        assert TEXT[lo:hi] == "Den Haag"
        await pilot.press("2")
        # The last words come back selected: ⏎ finds their next match (none: the same one).
        await pilot.press("home", "slash", "enter")
        await pilot.pause()
        lo, hi = view.editor.selection_chars()
        assert TEXT[lo:hi] == "Den Haag"
        # Letters typed in the search are text, not label keys; Esc leaves it untouched.
        await pilot.press("slash", *"kamer", "escape")
        await pilot.pause()
        assert not view.editing and len(view.editor.spans) == 1
        await pilot.press("slash", *"nergens", "enter")
        await pilot.pause()
        assert "not in the text: nergens" in str(app.screen.query_one("#status").render())
        await pilot.press("enter")
        await pilot.pause()
    assert [(TEXT[s[0] : s[1]], s[2]) for s in triples(results(batch)[0])] == [("Den Haag", "LOC")]
