"""Terminals as they are (issue 10, item 6): 256 and 16 colours, NO_COLOR, ASCII-only
terminals, small windows, PuTTY's arrows."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.style import Style
from textual.color import Color

from tests.conftest import REPO, SAMPLES
from tests.screen_text import screen_text
from tui.app import LabelDeskApp
from tui.core.symbols import needs_ascii, set_ascii_mode, to_ascii
from tui.launch import prepare

SYSTEMS = ("truecolor", "256", "16", "NO_COLOR")


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _in_system(color: Color, system: str) -> tuple[int, int, int]:
    """The colour as the terminal shows it: downgraded to 256 or 16 colours the way Rich
    writes it (16 colours in Rich's default terminal palette), or Textual's NO_COLOR grey."""
    if system == "NO_COLOR":
        grey = color.monochrome
        return grey.r, grey.g, grey.b
    rich_color = color.rich_color
    if system == "256":
        rich_color = rich_color.downgrade(ColorSystem.EIGHT_BIT)
    elif system == "16":
        rich_color = rich_color.downgrade(ColorSystem.STANDARD)
    rgb = rich_color.get_truecolor()
    return rgb.red, rgb.green, rgb.blue


def contrast(fg: Color, bg: Color, system: str) -> float:
    a, b = sorted((_luminance(_in_system(fg, system)), _luminance(_in_system(bg, system))))
    return (b + 0.05) / (a + 0.05)


def _copy(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / name
    shutil.copytree(SAMPLES / name, folder, ignore=shutil.ignore_patterns("results", "audits"))
    return folder


def _style_at(app: LabelDeskApp, char: str) -> Style:
    """The painted style of the first cell showing `char` (filters applied), found on the
    screen's text and read through the public Screen.get_style_at."""
    for y, line in enumerate(screen_text(app).splitlines()):
        if char in line:
            return app.screen.get_style_at(cell_len(line[: line.index(char)]), y)
    raise AssertionError(f"{char!r} is not on screen")


# -- colours ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("term", "colorterm", "system"),
    [
        ("xterm-256color", "truecolor", "truecolor"),
        ("xterm-256color", None, "256"),  # ssh: COLORTERM is not forwarded
        ("xterm", None, "standard"),
        ("screen", None, "standard"),
    ],
)
def test_how_textual_picks_the_colour_system(
    term: str, colorterm: str | None, system: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    if colorterm is None:
        monkeypatch.delenv("COLORTERM", raising=False)
    else:
        monkeypatch.setenv("COLORTERM", colorterm)
    assert LabelDeskApp().console.color_system == system


@pytest.mark.parametrize("system", SYSTEMS)
async def test_item_frame_and_key_bar_keep_3_to_1_in_every_colour_system(
    system: str, tmp_path: Path
) -> None:
    p = prepare(_copy("compare-en", tmp_path), annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        body = screen.query_one("#body")
        keys = screen.query_one("#keys")
        background = screen.styles.background
        frame = body.styles.border_top[1]
        assert contrast(frame, background, system) >= 3, (system, frame.hex)
        # The compare panes have their own frames.
        pane = screen.query_one(".pane")
        assert contrast(pane.styles.border_top[1], background, system) >= 3
        # Key chips are reverse video of the bar's text on its background.
        bar_bg = keys.styles.background.blend(background, 1 - keys.styles.background.a)
        assert contrast(keys.styles.color, bar_bg, system) >= 3
    p.session.store.close()


async def test_frame_under_no_color_is_painted_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    p = prepare(_copy("binary-en", tmp_path), annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        style = _style_at(app, "╭")
        assert style.color is not None and style.bgcolor is not None
        fg, bg = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
        assert fg.monochrome == fg  # the NO_COLOR filter has run: greys only
        # Drawn in the default foreground, not a tint of the theme.
        assert fg == app.screen.query_one("#body").styles.border_top[1].monochrome
        frame = app.screen.query_one("#body").styles.border_top[1]
        assert frame == Color.parse(app.current_theme.foreground or "")
        assert contrast(fg, bg, "truecolor") >= 7, (fg.hex, bg.hex)
    p.session.store.close()


# -- ASCII -----------------------------------------------------------------------------------
def test_ascii_is_needed_when_the_terminal_is_not_utf8() -> None:
    assert not needs_ascii({"LANG": "en_US.UTF-8"}, "utf-8")
    assert not needs_ascii({"LANG": "nl_NL.utf8"}, "utf-8")
    assert needs_ascii({"LANG": "C"}, "ascii")
    assert needs_ascii({"LANG": "en_US.ISO-8859-1"}, "utf-8")
    assert needs_ascii({}, "utf-8")  # no locale at all is C
    # Python's C-locale coercion (PEP 538) sets LC_CTYPE=C.UTF-8; the terminal is still C.
    assert needs_ascii({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, "utf-8")
    assert needs_ascii({"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"}, "utf-8")
    assert needs_ascii({"LANG": "en_US.UTF-8"}, "latin-1")
    assert not needs_ascii({"LANG": "C", "LABELDESK_ASCII": "0"}, "ascii")
    assert needs_ascii({"LANG": "en_US.UTF-8", "LABELDESK_ASCII": "1"}, "utf-8")


def test_key_names_in_ascii() -> None:
    from tui.core.keymap import key_display

    set_ascii_mode(True)
    shown = [key_display(k) for k in ("backspace", "enter", "left", "right", "up", "down")]
    assert shown == ["Bksp", "Enter", "<-", "->", "^", "v"]
    assert key_display("ctrl+left") == "Ctrl+<-"
    set_ascii_mode(False)
    assert key_display("backspace") == "⌫" and key_display("enter") == "⏎"


def test_every_symbol_has_a_one_cell_ascii_twin() -> None:
    drawn = "╭─╮│╰╯┃━▁▇█ · — … ✓ ✗ ■ □ ▶ ↶ ← → ↑ ↓ ⏎ ⌫ « » “ ”"
    twin = to_ascii(drawn)
    assert twin.isascii() and len(twin) == len(drawn)
    assert to_ascii("Dën Haag é") == "Dën Haag é"  # letters of the data stay


@pytest.mark.parametrize("name", ["binary-en", "compare-en", "classify-en", "spans-en"])
async def test_nothing_the_app_draws_needs_utf8(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABELDESK_ASCII", "")
    monkeypatch.setenv("LANG", "C")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    set_ascii_mode(None)
    p = prepare(_copy(name, tmp_path), annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.ascii_only
        text = screen_text(app)
        assert text.isascii(), [c for c in text if not c.isascii()]
        assert "+-" in text and "-+" in text  # the item frame, in ASCII
        assert "? " in text and "Ctrl+q" in text
        assert "Bksp  undo" in text  # key names as words, not ⌫ turned into "<"
    p.session.store.close()


# -- PuTTY: Ctrl+arrows arrive as plain arrows -----------------------------------------------
async def test_span_jumps_and_scrolling_work_without_ctrl_arrows(tmp_path: Path) -> None:
    p = prepare(_copy("spans-en", tmp_path), annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "«Satya Nadella»" in screen_text(app)
        await pilot.press("full_stop")
        await pilot.pause()
        assert "«Seattle»" in screen_text(app)
        await pilot.press("full_stop")
        await pilot.pause()
        assert "«Microsoft»" in screen_text(app)
        await pilot.press("comma")
        await pilot.pause()
        assert "«Seattle»" in screen_text(app)
    p.session.store.close()


async def test_scrolling_a_long_item_with_ctrl_e_and_ctrl_y(tmp_path: Path) -> None:
    from tests.batch_factory import make_batch

    long_text = "\n".join(f"line {n} of a long answer" for n in range(80))
    tasks = [{"id": "t1", "text": long_text}]
    folder = make_batch(tmp_path / "long", tasks, task_type="binary", task={})
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        body = app.screen.query_one("#body")
        assert body.scroll_y == 0
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert body.scroll_y == 0
    p.session.store.close()


# -- span labels as text ---------------------------------------------------------------------
async def test_four_span_labels_stay_apart_under_no_color(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.batch_factory import make_batch

    monkeypatch.setenv("NO_COLOR", "1")
    text = "Anna Smit of Rabobank flew from Den Haag to the Olympics."
    spans = [
        {"start": 0, "end": 9, "label": "PER"},
        {"start": 13, "end": 21, "label": "ORG"},
        {"start": 32, "end": 40, "label": "LOC"},
        {"start": 48, "end": 56, "label": "MISC"},
    ]
    folder = make_batch(
        tmp_path / "four",
        [{"id": "t1", "text": text, "spans": spans}],
        task_type="spans",
        task={"labels": ["PER", "LOC", "ORG", "MISC"]},
    )
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        for words in ("[Anna Smit]PER", "[Rabobank]ORG", "[Den Haag]LOC", "[Olympics]MISC"):
            assert words in shown, shown
        # Moving the cursor does not shift the text: the tags are laid out with the spans.
        await pilot.press("full_stop")
        await pilot.pause()
        assert "«Rabobank»" in screen_text(app)
        # Deleting a span removes its tag.
        await pilot.press("x")
        await pilot.pause()
        shown = screen_text(app)
        assert "Rabobank]ORG" not in shown and " Rabobank " in shown
    p.session.store.close()


def test_tags_nest_and_map_offsets_both_ways() -> None:
    from tui.widgets.task_text import tagged

    t = tagged("Den Haag is mooi", [(0, 8, "LOC"), (4, 8, "X")])
    assert t.shown == "[Den [Haag]X]LOC is mooi"
    assert [t.shown[a:b] for a, b in t.ranges] == ["[Den [Haag]X]LOC", "[Haag]X"]
    assert t.shown[t.pos[4]] == "H" and t.back[t.pos[4] - 1] == 4
    assert len(t.pos) == len("Den Haag is mooi") + 1 and len(t.back) == len(t.shown) + 1


def test_a_label_has_the_same_colour_in_every_process() -> None:
    import os
    import subprocess

    code = (
        "from tui.widgets.task_text import label_style_index as f;"
        "print([f(x) for x in ('LOC', 'PER', 'Organisatie', 'misc')])"
    )
    seen = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        seen.add(run.stdout.strip())
    assert len(seen) == 1, seen
    from tui.widgets.task_text import label_style_index

    assert label_style_index("LOC", ["PER", "LOC"]) == 1  # the batch's order comes first


# -- small windows ---------------------------------------------------------------------------
KEY_CONTENT = {
    # binary: the text (the assistant's reply) and the label line
    "binary-en": ("Label: REFUSAL", "Assistant: I'm sorry", "with that request."),
    # compare: both responses, stacked
    "compare-en": ("About 6 minutes", "cold water.", "Boil it for 12 minutes", "fully cooked."),
    # rate: the criteria
    "rate-en": ("helpfulness", "correctness", "clarity"),
}


@pytest.mark.parametrize("name", sorted(KEY_CONTENT))
async def test_the_thing_to_judge_is_visible_at_40x12(name: str, tmp_path: Path) -> None:
    p = prepare(_copy(name, tmp_path), annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        # Where a line wraps depends on the width left beside the bar that marks a response.
        words = " ".join(text.replace("█", " ").split())
        for known in KEY_CONTENT[name]:
            assert known in words, text
        assert "too small" not in text
        bottom = text.splitlines()[-1]
        assert "? " in bottom and "keys" in bottom and "Ctrl+q" in bottom and "quit" in bottom
        assert "0/h" not in text  # the KPI line gives way first
    p.session.store.close()


async def test_a_window_too_small_says_so_and_keys_do_not_act(tmp_path: Path) -> None:
    p = prepare(_copy("binary-en", tmp_path), annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(36, 9)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "too small" in text and "40×10" in text and "Ctrl+q" in text, text
        await pilot.press("a")  # accept, unseen: must not be saved
        await pilot.pause()
        assert p.session.position == 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        text = screen_text(app)
        assert "too small" not in text and "Assistant: I'm sorry" in text
        await pilot.press("a")
        await pilot.pause()
        assert p.session.position == 1
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        await pilot.press("ctrl+q")  # quit still acts
        await pilot.pause()
        assert not app.is_running
    p.session.store.close()


@pytest.mark.parametrize("name", ["binary-en", "compare-en", "spans-en"])
async def test_the_key_bar_is_laid_out_again_after_a_resize(name: str, tmp_path: Path) -> None:
    p = prepare(_copy(name, tmp_path), annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for width, height in ((50, 14), (40, 12), (120, 40), (44, 30), (80, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            lines = screen_text(app).splitlines()
            assert len(lines) == height
            assert all(len(line) <= width for line in lines)
            bottom = lines[-1]
            assert "?  keys" in bottom and "Ctrl+q  quit" in bottom, (width, height, lines[-2:])
            kpi_shown = any("0/h" in line for line in lines)
            assert kpi_shown == (width >= 60 and height >= 18), (width, height)
            if width >= 120:  # the KPI line is laid out for the new width at once
                assert any("· active 0s" in line for line in lines), lines[:4]
        # Resized while an overlay is open: the key bar fits the new size once it closes.
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.resize_terminal(44, 14)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        bottom = screen_text(app).splitlines()[-1]
        assert "?  keys" in bottom and "Ctrl+q  quit" in bottom, bottom
    p.session.store.close()


async def test_f6_statistics_name_every_annotator_at_80_columns(tmp_path: Path) -> None:
    from tests.test_stats_scan import D22, answer, write

    folder = _copy("binary-en", tmp_path)
    for name in ("annemarie.van-der-berg", "annemarie.van-den-bos"):
        rows: list[dict[str, Any] | bytes] = [
            answer(f"t{n}", name, "accept", 1000 + 900_000 * n, D22 + f"1{n}:00:00.000Z")
            for n in range(5)
        ]
        write(folder / "results" / f"{name}.jsonl", rows)
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        for _ in range(50):
            await pilot.pause(0.05)
            if "annemarie" in screen_text(app):
                break
        text = screen_text(app)
        assert "annemarie.van-der-berg" in text and "annemarie.van-den-bos" in text, text
        assert "items" in text and "fast" in text
    p.session.store.close()


async def test_while_typing_a_small_window_still_shows_help_and_quit(tmp_path: Path) -> None:
    p = prepare(_copy("write-en", tmp_path), annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        bottom = screen_text(app).splitlines()[-1]
        assert "typing" in bottom and "F1  keys" in bottom and "Ctrl+q  quit" in bottom
    p.session.store.close()


@pytest.mark.parametrize("system", SYSTEMS)
def test_span_label_chips_keep_their_text_readable(system: str) -> None:
    from task_types.spans.text_area import SELECTION
    from tui.widgets.task_text import SPAN_STYLES

    for style in [Style.parse(s) for s in SPAN_STYLES] + [SELECTION]:
        assert style.color is not None and style.bgcolor is not None
        # Standard colours (black) as Rich's default terminal palette shows them.
        fg, bg = (Color(*c.get_truecolor()) for c in (style.color, style.bgcolor))
        assert contrast(fg, bg, system) >= 3, (system, style)
