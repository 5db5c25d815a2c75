"""No action depends on Esc alone: every binding that Esc triggers has a second default key.

A terminal holds a lone Esc back for its escape timeout (tmux and ssh add to it), and some
keyboards put Esc out of reach. Leaving a text field (write, compare, rate, image, audio) and
dropping marks or a selection (spans, audio, video) also take Ctrl+l; the overlays close on
`q` or their F-key. The Pilot tests press Ctrl+l where the free-text tests press Esc, on the
demo batches at 80x24.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from task_types.registry import all_task_types
from tests.batch_factory import make_batch
from tests.demo_app import results, running, sample
from tests.test_text_fields import focus_is_sane, press, status, type_in, view
from tui.core.keymap import build_keymap


@pytest.mark.parametrize("screen", ["labeling", "audit", "adjudicate"])
def test_no_default_binding_is_esc_alone(screen: str) -> None:
    for name, task_type in all_task_types().items():
        keymap = build_keymap(task_type, audit=screen == "audit", adjudicate=screen == "adjudicate")
        for binding_id, keys in keymap.bindings.items():
            assert keys != ["escape"], f"{name}: {binding_id} has Esc as its only key"
            if "escape" in keys:
                assert len(keys) >= 2, f"{name}: {binding_id}"


async def test_ctrl_l_leaves_the_write_editor_keeping_the_text(tmp_path: Path) -> None:
    folder = sample(tmp_path, "write-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        assert v.editing
        await type_in(pilot, "Hello")
        await press(pilot, "ctrl+l")
        assert not v.editing and v.area.text == "Hello"
        focus_is_sane(app)
        await press(pilot, "o")  # an item key again, not typed: the override reason opens
        assert v.editing and v.editing_label == "the override reason"
        await press(pilot, "ctrl+l")
        assert not v.editing and v.area.text == "Hello"


async def test_ctrl_l_leaves_the_compare_reason(tmp_path: Path) -> None:
    folder = sample(tmp_path, "compare-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        await press(pilot, "r")
        await type_in(pilot, "shorter")
        await press(pilot, "ctrl+l")
        assert not v.editing and v.reason == "shorter"
        focus_is_sane(app)
        await press(pilot, "a")  # a pick, not typed into the reason
    assert results(folder)[0]["value"]["reason"] == "shorter"


async def test_ctrl_l_leaves_the_rate_note(tmp_path: Path) -> None:
    folder = sample(tmp_path, "rate-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        await press(pilot, "n")
        await type_in(pilot, "fine")
        await press(pilot, "ctrl+l")
        assert not v.editing and v.note == "fine"
        focus_is_sane(app)


async def test_ctrl_l_leaves_the_image_description(tmp_path: Path) -> None:
    folder = sample(tmp_path, "image-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        await press(pilot, "tab")
        await type_in(pilot, "a card")
        await press(pilot, "ctrl+l")
        assert not v.editing and v.field.value == "a card"
        focus_is_sane(app)


async def test_ctrl_l_leaves_the_audio_transcript(tmp_path: Path) -> None:
    folder = sample(tmp_path, "audio-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        assert v.editing
        await type_in(pilot, "Good")
        await press(pilot, "ctrl+l")
        assert not v.editing
        focus_is_sane(app)
        await press(pilot, "ctrl+t")
        assert view(app).editing and view(app).field.value == "Good"


async def test_ctrl_l_drops_the_spans_selection(tmp_path: Path) -> None:
    tasks = [{"id": "s1", "text": "Anna lives in Paris."}]
    folder = make_batch(tmp_path / "b", tasks, task_type="spans", task={"labels": ["PER", "LOC"]})
    async with running(folder) as (app, pilot):
        v = view(app)
        await press(pilot, "shift+right", "shift+right")
        assert v.editor.anchor is not None
        await press(pilot, "ctrl+l")
        assert v.editor.anchor is None
        assert results(folder) == []


async def test_ctrl_l_drops_the_video_marks(tmp_path: Path) -> None:
    folder = sample(tmp_path, "video-en")
    async with running(folder) as (app, pilot):
        v: Any = view(app)
        for _ in range(200):
            if v.editor.known:
                break
            await asyncio.sleep(0.05)
        assert v.editor.known
        await press(pilot, "a")
        assert v.editor.mark_in is not None
        await press(pilot, "ctrl+l")
        assert v.editor.mark_in is None and v.editor.mark_out is None
        assert "in/out marks cleared" in status(app)
