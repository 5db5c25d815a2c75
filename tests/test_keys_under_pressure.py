"""Regression tests for the bugs of issue 9 ("Keys under pressure") that had no test of
their own, on the demo batches at 80x24.

A burst is keys posted to the app all at once, before any is handled: what the terminal
driver does with keys that arrive in one packet (ssh, a fast typist). Each test names the
bug it guards; the others are in tests/test_text_fields.py, tests/test_escape_keys.py,
tests/test_labeling_screen.py and tests/test_key_burst_e2e.py.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from textual import events
from textual.pilot import Pilot

from tests.batch_factory import make_batch, read_results, texts
from tests.demo_app import results, running, sample
from tests.screen_text import screen_text, status_text
from tests.tmux_terminal import LABELDESK, TmuxTerminal
from tui.app import LabelDeskApp
from tui.screens.labeling import LabelingScreen

_CHARACTERS = {"enter": "\r", "escape": "\x1b", "space": " ", "exclamation_mark": "!"}


async def burst(app: LabelDeskApp, keys: list[str]) -> None:
    for key in keys:
        character = _CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


async def settle(pilot: Pilot[None], app: LabelDeskApp, done: Any, timeout: float = 30.0) -> None:
    """Wait (by state, not by time) until done() holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        if done():
            return
    raise AssertionError(f"not reached in {timeout:.0f} s; status: {status_text(app)!r}")


# -- bug 1: compare-en, two quick picks crashed (IndexError in the next item's view) --------
async def test_quick_picks_in_compare_answer_one_painted_item_each(tmp_path: Path) -> None:
    folder = sample(tmp_path, "compare-en")
    async with running(folder) as (app, pilot):
        await burst(app, ["a", "a", "a"])
        await settle(pilot, app, lambda: len(results(folder)) == 3)
        assert isinstance(app.screen, LabelingScreen)
    rows = results(folder)
    assert len({r["task_id"] for r in rows}) == 3  # three items, one pick each
    assert all(r["value"]["outcome"] == "win" for r in rows)
    assert all(isinstance(r["shown_ms"], int) for r in rows), "answered before it was painted"


# -- bug 5: overlay keys queued while the app was busy crashed (NoMatches in StatsScreen) ---
async def test_overlay_keys_in_a_burst_open_and_close_in_order(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(5))
    async with running(folder) as (app, pilot):
        keys = ["1", "f6", "f5", "escape", "f6", "f1", "escape", "escape", "2"]
        keys += ["f5", "f6", "ctrl+g", "question_mark", "f7", "escape"] * 2
        keys += ["escape"] * 6 + ["3"]
        await burst(app, keys)
        await settle(pilot, app, lambda: len(results(folder)) == 3)
        assert isinstance(app.screen, LabelingScreen), app.screen
    assert [r["task_id"] for r in results(folder)] == ["t0", "t1", "t2"]


# -- bug 6: type-ahead answered items nobody saw ---------------------------------------------
async def test_keys_typed_ahead_wait_for_their_item_to_be_painted(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(21), task_type="binary", task={})
    async with running(folder) as (app, pilot):
        await burst(app, ["a"] * 20)
        await settle(pilot, app, lambda: len(results(folder)) == 20)
    rows = results(folder)
    assert [r["task_id"] for r in rows] == [f"t{i}" for i in range(20)]
    unseen = [r["task_id"] for r in rows if not isinstance(r.get("shown_ms"), int)]
    assert not unseen, f"answered before they were painted: {unseen}"


@pytest.mark.e2e
def test_twenty_keys_in_one_packet_then_30_ms_apart_answer_only_painted_items(
    tmp_path: Path, terminal: TmuxTerminal
) -> None:
    """The bug in a real terminal: 20 keys in one packet (a slow link), then 20 keys 30 ms
    apart (a fast typist); each answered item was painted before its answer
    (LABELDESK_PAINT_LOG), and each answer went to the item then on screen."""
    folder = make_batch(tmp_path / "b", texts(41), task_type="binary", task={})
    paints = tmp_path / "paint.jsonl"
    terminal.env["LABELDESK_PAINT_LOG"] = str(paints)
    terminal.start([str(LABELDESK), str(folder), "--annotator", "anna"], tmp_path)
    terminal.wait_for("item 1 of 41")
    terminal.type_text("a" * 20)
    terminal.wait_for("saved t19", timeout=60)
    terminal.keys(*["a"] * 20, pause=0.03)
    terminal.wait_for("saved t39", timeout=60)
    terminal.keys("C-q")
    terminal.wait_for("LABELDESK-EXIT=0")
    rows = read_results(folder / "results" / "anna.jsonl")
    assert [r["task_id"] for r in rows] == [f"t{i}" for i in range(40)]
    painted = [orjson.loads(line) for line in paints.read_bytes().splitlines() if line.strip()]
    for row in rows:
        from datetime import datetime

        at = datetime.fromisoformat(row["submitted_at"].replace("Z", "+00:00")).timestamp()
        # submitted_at is cut to milliseconds: the next item's paint may fall in that
        # millisecond, so the item on screen is the last paint up to `at` or up to at + 2 ms.
        loose = [p["task_id"] for p in painted if p["ts"] <= at + 0.002]
        strict = [p["task_id"] for p in painted if p["ts"] <= at]
        assert loose, f"{row['task_id']} was answered before anything was painted"
        on_screen = {loose[-1], *(strict[-1:])}
        assert row["task_id"] in on_screen, (
            f"{row['task_id']} was answered while {sorted(on_screen)} was on screen"
        )


# -- bug 10: messages that mislead --------------------------------------------------------
async def test_a_hidden_binary_item_and_a_says_how_to_reveal_it(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2), task_type="binary", task={}, sensitive=True)
    async with running(folder) as (app, pilot):
        await pilot.press("a")
        await pilot.pause()
        assert "hidden" in status_text(app) and "Ctrl+r" in status_text(app)
        assert "nothing to label" not in status_text(app)
        bar = screen_text(app).splitlines()[-2:]
        assert "Ctrl+r  reveal" in " ".join(bar)
    assert results(folder) == []


@pytest.mark.parametrize(
    ("name", "keys", "field"),
    [
        ("write-en", [], "your text"),  # a write batch opens typing
        ("audio-en", [], "the transcript"),  # so does a transcription batch
        ("compare-nl", ["b"], "the reason"),
        ("rate-en", ["n"], "the note"),
        ("image-en", ["tab"], "the description"),
    ],
)
async def test_ctrl_c_while_typing_says_which_key_quits(
    tmp_path: Path, name: str, keys: list[str], field: str
) -> None:
    folder = sample(tmp_path, name)
    async with running(folder) as (app, pilot):
        await pilot.press(*keys)
        await pilot.pause()
        view = app.screen.view  # type: ignore[attr-defined]
        assert view.editing and view.editing_label == field
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert "Ctrl+c does not quit: Ctrl+q quits" in status_text(app)
        assert view.editing  # still typing where it was
        assert app.is_running


@pytest.mark.parametrize(
    ("key", "closes"),
    [
        ("question_mark", "Esc/q"),
        ("ctrl+g", "Esc/q"),
        ("f5", "Esc/q"),
        ("f6", "Esc/q"),
        ("f3", "Esc/F3"),
    ],
)
async def test_ctrl_c_and_ctrl_q_in_an_overlay_say_how_to_quit(
    tmp_path: Path, key: str, closes: str
) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    async with running(folder) as (app, pilot):
        await pilot.press(key)
        await pilot.pause()
        overlay = app.screen
        assert not isinstance(overlay, LabelingScreen)
        for quit_key in ("ctrl+c", "ctrl+q"):
            said = len(app.notices)
            await pilot.press(quit_key)
            await pilot.pause()
            new = [n.message for n in app.notices[said:]]
            assert any(f"{closes} closes it, then Ctrl+q quits" in m for m in new), new
            assert app.screen is overlay and app.is_running


# -- point 4: a draft is never lost by one key, Ctrl+q included ------------------------------
@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("write-en", ["H", "e", "l", "l", "o"]),  # typed into the editor, not saved
        ("audio-en", ["G", "o", "o", "d"]),  # a transcript typed
        ("image-en", ["1"]),  # a label toggled, the description still to come
    ],
)
async def test_ctrl_q_with_a_changed_draft_asks_once(
    tmp_path: Path, name: str, keys: list[str]
) -> None:
    folder = sample(tmp_path, name)
    async with running(folder) as (app, pilot):
        await pilot.press(*keys)
        await pilot.pause()
        assert app.screen.view.draft_changed  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and "not saved: Ctrl+q again" in status_text(app)
        await pilot.press("ctrl+q")  # the same key again: quits without the draft
        await pilot.pause()
        assert not app.is_running
    assert results(folder) == []


async def test_ctrl_q_without_a_draft_quits_at_once(tmp_path: Path) -> None:
    folder = sample(tmp_path, "write-en")
    async with running(folder) as (app, pilot):
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


# -- the gate: a key stopped on its way up is finished behind the app's queue ----------------
async def test_a_key_marked_stopped_at_the_screen_is_finished_behind_the_app(
    tmp_path: Path,
) -> None:
    """Found by the key-burst torture (image, seed 2: an item skipped unseen after the zoom
    closed, 1 run in 3). Textual marks a key stopped at the screen when the app created it
    (an Esc split off an alt+key creates both keys) and still hands it to the app; the gate
    took the mark for "handled" and let the next key through before the app had resolved the
    first, which then changed the item under it. The key must count as handled only behind
    what the app's queue holds."""
    folder = make_batch(tmp_path / "b", texts(3), task_type="binary", task={})
    async with running(folder) as (app, pilot):
        screen = app.screen
        key = events.Key("space", " ")
        key.stop()
        order: list[str] = []
        done = app._done

        def spy(event: events.Key) -> None:
            order.append("done")
            done(event)

        app._done = spy  # type: ignore[method-assign]
        app._in_flight, app._origin, app._settling = key, screen, False
        app.call_later(order.append, "the app's queue")  # e.g. the key itself, bubbled up
        app._after_node(screen, key)
        await settle(pilot, app, lambda: "done" in order)
        assert order[:2] == ["the app's queue", "done"]
        assert app._in_flight is None  # and the gate goes on
