"""'Item painted' (what lets the next key through, tui/key_gate.py) is said only once a frame
has gone out after the item was put up: never from the screen's after-refresh work that
Textual can run before the frame of a widget whose repaint is still on its way.

A frame is observed where Textual hands it to the terminal (App._display with a renderable,
outside a batch update; called in headless runs too): Textual's public post_display_hook
also runs for an empty update, so it cannot tell a frame. "Painted" is observed through
tui.paint_log.paint_log, which the gate calls exactly when it lets the keys through (the
LABELDESK_PAINT_LOG record)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.demo_app import running, sample
from tui.screens.labeling import LabelingScreen


@pytest.mark.parametrize("name", ["binary-en", "classify-nl", "compare-en"])
async def test_each_item_is_painted_after_a_frame(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = sample(tmp_path, name)
    events: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        "tui.key_gate.paint_log", lambda task_id: events.append(("painted", task_id))
    )
    async with running(folder) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, LabelingScreen)
        display = app._display

        def frame(on: Any, renderable: Any) -> None:
            if renderable is not None and not app._batch_count:
                events.append(("frame", None))
            display(on, renderable)

        setattr(app, "_display", frame)  # noqa: B010 (this app instance only)
        key = {"binary-en": "a", "classify-nl": "1", "compare-en": "a"}
        answered = 0
        for _ in range(4):
            shown = screen.painted_task_id
            events.append(("key", shown))
            await pilot.press(key[name])
            for _ in range(200):
                if screen.keys_ready and screen.painted_task_id != shown:
                    break
                await pilot.pause(0.01)
            assert screen.painted_task_id != shown, "the next item was never painted"
            answered += 1
        assert answered == 4
        # Between a key and the 'painted' of the item it led to, a frame went out.
        last_key = -1
        for i, (what, _id) in enumerate(events):
            if what == "key":
                last_key = i
            elif what == "painted" and last_key >= 0:
                between = [w for w, _ in events[last_key:i]]
                assert "frame" in between, f"item {_id} said painted before any frame: {events}"


def test_screens_with_key_handlers_keep_textuals_way() -> None:
    """tui/key_gate.py looks a key up in the bindings at once only on a screen that would
    hand it straight back (no key handler of its own)."""
    from textual import events, on
    from textual.screen import Screen

    from tui.key_gate import _has_key_handlers

    class Plain(Screen[None]):
        pass

    class KeyMethod(Screen[None]):
        def key_x(self) -> None:
            pass

    class OnKey(Screen[None]):
        def on_key(self, event: events.Key) -> None:
            pass

    class Decorated(Screen[None]):
        @on(events.Key)
        def took(self, event: events.Key) -> None:
            pass

    for cls in (Plain, KeyMethod, OnKey, Decorated):
        cls.__module__ = "tui.screens.example"
    assert not _has_key_handlers(Plain())
    assert _has_key_handlers(KeyMethod())
    assert _has_key_handlers(OnKey())
    assert _has_key_handlers(Decorated())
    assert not _has_key_handlers(LabelingScreen.__new__(LabelingScreen))
