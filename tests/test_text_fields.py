"""One convention for free text in every task type, on the demo batches at 80x24 (issue 9).

Enter saves the item (a refusal is shown and the keys stay in the field); Ctrl+j (and
Shift+Enter where the terminal tells it apart) is a newline in multi-line fields; Esc leaves
the field keeping its text; Ctrl+s saves from anywhere. Views say when a draft would be lost
(`draft_changed`) and where typed keys go (`editing_label`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget

from tests.batch_factory import make_batch, texts
from tests.demo_app import SIZE, results, running, sample
from tests.screen_text import screen_text, status_text
from tui.app import LabelDeskApp
from tui.screens.labeling import LabelingScreen
from tui.task_view import TaskView


def screen(app: LabelDeskApp) -> LabelingScreen:
    s = app.screen
    assert isinstance(s, LabelingScreen)
    return s


def view(app: LabelDeskApp) -> Any:
    v = screen(app).view
    assert isinstance(v, TaskView)
    return v


def status(app: LabelDeskApp) -> str:
    return status_text(app)  # type: ignore[arg-type]


def shown(app: LabelDeskApp) -> str:
    return screen_text(app)  # type: ignore[arg-type]


async def type_in(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space", "?": "question_mark"}.get(c, c) for c in text])
    await pilot.pause()


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


def focus_is_sane(app: LabelDeskApp) -> None:
    """No view leaves the keys on a hidden or removed widget."""
    focused = app.focused
    if focused is None:
        return
    assert isinstance(focused, Widget)
    assert focused.is_attached and focused.screen is app.screen
    node: Any = focused
    while node is not None and node is not app.screen:
        assert node.display, f"focus on a hidden widget: {focused!r}"
        node = node.parent


# -- compare ---------------------------------------------------------------------------------


async def test_compare_nl_reason_enter_saves_and_the_next_keys_work(tmp_path: Path) -> None:
    folder = sample(tmp_path, "compare-nl")
    async with running(folder) as (app, pilot):
        first = view(app).ctx.task.id
        await press(pilot, "b")
        v = view(app)
        assert v.editing and v.editing_label == "the reason"
        assert v.draft_changed  # a pick not saved yet
        await type_in(pilot, "korter en juist")
        await press(pilot, "enter")
        assert [r["task_id"] for r in results(folder)] == [first]
        assert results(folder)[0]["value"]["reason"] == "korter en juist"
        nxt = view(app)
        assert nxt.ctx.task.id != first and not nxt.editing
        focus_is_sane(app)
        await press(pilot, "a")  # acts on the next item: the pick asks for its reason
        assert view(app).editing and view(app).choice is not None
        await press(pilot, "ctrl+q")  # quits while typing the reason
    assert app.return_code in (0, None)
    assert len(results(folder)) == 1


async def test_compare_reason_refusal_keeps_the_keys_in_the_field(tmp_path: Path) -> None:
    folder = sample(tmp_path, "compare-en")
    async with running(folder) as (app, pilot):
        await press(pilot, "r")
        await type_in(pilot, "shorter")
        v = view(app)
        assert v.draft_changed
        await press(pilot, "enter")  # no pick yet: refused, still typing the reason
        assert results(folder) == []
        assert v.editing and "pick" in status(app) and "the reason" in status(app)
        await type_in(pilot, " and right")
        await press(pilot, "escape")
        assert not v.editing and v.reason == "shorter and right"
        focus_is_sane(app)
        await press(pilot, "a")
    assert results(folder)[0]["value"]["reason"] == "shorter and right"


async def test_compare_ctrl_s_saves_from_the_reason(tmp_path: Path) -> None:
    folder = sample(tmp_path, "compare-nl")
    async with running(folder) as (_app, pilot):
        await press(pilot, "a")
        await type_in(pilot, "klopt")
        await press(pilot, "ctrl+s")
    assert results(folder)[0]["value"]["reason"] == "klopt"


# -- rate ------------------------------------------------------------------------------------


async def test_rate_note_enter_saves_ctrl_j_is_a_newline(tmp_path: Path) -> None:
    folder = sample(tmp_path, "rate-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        assert not v.draft_changed
        await press(pilot, "4")
        assert v.draft_changed
        await press(pilot, "n")
        assert v.editing and v.editing_label == "the note"
        await type_in(pilot, "fine")
        await press(pilot, "enter")  # correctness is required: refused, still in the note
        assert results(folder) == [] and v.editing
        assert "correctness" in status(app) and "the note" in status(app)
        await press(pilot, "ctrl+j")
        await type_in(pilot, "ok")
        await press(pilot, "escape")
        assert not v.editing and v.note == "fine\nok"
        focus_is_sane(app)
        await press(pilot, "5", "n")
        await type_in(pilot, "!")
        await press(pilot, "enter")
    value = results(folder)[0]["value"]
    assert value["note"] == "fine\nok!" and value["ratings"]["correctness"] == 5


async def test_the_newline_key_is_the_keymaps(tmp_path: Path) -> None:
    """text.newline (Ctrl+j, Shift+Enter) comes from the keymap like every other binding."""
    folder = sample(tmp_path, "rate-en")
    with (folder / "batch.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[keymap]\n"text.newline" = "ctrl+n"\n')
    async with running(folder) as (app, pilot):
        v = view(app)
        await press(pilot, "n")
        await type_in(pilot, "one")
        await press(pilot, "ctrl+n")
        await type_in(pilot, "two")
        await press(pilot, "ctrl+j")  # no longer a newline key here
        assert v.editing and v.note == "one\ntwo"
        assert "Ctrl+n new line" in shown(app)


# -- write -----------------------------------------------------------------------------------


async def test_write_enter_saves_from_the_editor(tmp_path: Path) -> None:
    folder = sample(tmp_path, "write-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        assert v.editing and v.editing_label == "your text" and not v.draft_changed
        await type_in(pilot, "Hello {name}, your order {order_id} is on its way.")
        await press(pilot, "ctrl+j")
        await type_in(pilot, "Track it at https://track.example.com/{order_id}.")
        await press(pilot, "shift+enter")  # where the terminal tells it apart
        await type_in(pilot, "Thanks!")
        assert v.draft_changed and v.area.text.count("\n") == 2
        await press(pilot, "enter")
    rows = results(folder)
    assert len(rows) == 1 and rows[0]["answer"] == "accept"
    assert rows[0]["value"]["text"].count("\n") == 2


async def test_write_refused_enter_stays_in_the_editor(tmp_path: Path) -> None:
    folder = sample(tmp_path, "write-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        await type_in(pilot, "Hi")
        await press(pilot, "enter")
        assert results(folder) == [] and v.editing and v.area.text == "Hi"
        assert "your text" in status(app)
        await press(pilot, "o")  # typed, not the override key
        assert v.area.text == "Hio"


async def test_write_override_reason_label(tmp_path: Path) -> None:
    folder = sample(tmp_path, "write-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        await type_in(pilot, "Hello there my friend, how are you")
        await press(pilot, "escape", "o")
        assert v.editing and v.editing_label == "the override reason"
        await press(pilot, "escape")
        assert not v.editing
        focus_is_sane(app)


async def test_write_e_after_a_skip_never_crashes(tmp_path: Path) -> None:
    folder = sample(tmp_path, "write-en")
    async with running(folder) as (app, pilot):
        await type_in(pilot, "Hello")
        await press(pilot, "escape")
        v = view(app)
        assert not v.editing and v.area.text == "Hello"  # the draft stays in the view
        await press(pilot, "space")  # asks first: a draft is never thrown away by one key
        assert results(folder) == [] and "not saved" in status(app)
        await press(pilot, "space")
        assert results(folder)[0]["answer"] == "skip"
        await press(pilot, "e")
        assert view(app).editing
        focus_is_sane(app)
        await type_in(pilot, "x")
        assert view(app).area.text.endswith("x")
        await press(pilot, "escape", "e", "escape", "e")
        assert view(app).editing


# -- image -----------------------------------------------------------------------------------


async def test_image_refusal_keeps_the_description_focused(tmp_path: Path) -> None:
    folder = sample(tmp_path, "image-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        await press(pilot, "1")
        assert v.draft_changed
        await press(pilot, "tab")
        assert v.editing and v.editing_label == "the description"
        await type_in(pilot, "short")
        await press(pilot, "enter")
        assert results(folder) == []
        assert v.editing and "10 characters" in status(app) and "the description" in status(app)
        await press(pilot, "2", "3")
        assert v.field.value == "short23"
        await press(pilot, "tab")  # Tab does not leave: Esc does
        assert v.editing
        await press(pilot, "escape")
        assert not v.editing and v.field.value == "short23"
        focus_is_sane(app)
        await press(pilot, "tab")
        await type_in(pilot, " is long enough")
        await press(pilot, "enter")
    value = results(folder)[0]["value"]
    assert value["description"] == "short23 is long enough"


async def test_image_describe_only_opens_typing(tmp_path: Path) -> None:
    folder = sample(tmp_path, "image-en")
    toml = (folder / "batch.toml").read_text(encoding="utf-8")
    toml = toml.split("[task]")[0] + "[task]\ndescribe = true\n"
    (folder / "batch.toml").write_text(toml, encoding="utf-8")
    async with running(folder) as (app, pilot):
        await type_in(pilot, "a test card")
        await press(pilot, "enter")
        assert view(app).editing  # the next item opens typing too
        await press(pilot, "escape")
        assert not view(app).editing
    assert results(folder)[0]["value"]["description"] == "a test card"


# -- audio -----------------------------------------------------------------------------------


async def test_audio_transcription_opens_in_the_transcript(tmp_path: Path) -> None:
    folder = sample(tmp_path, "audio-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        assert v.editing and v.editing_label == "the transcript" and not v.draft_changed
        await type_in(pilot, "Good morning")
        assert v.draft_changed
        await press(pilot, "enter")
        assert [r["value"]["transcript"] for r in results(folder)] == ["Good morning"]
        assert view(app).editing  # the next item opens typing too
        await press(pilot, "escape")
        assert not view(app).editing
        focus_is_sane(app)
        await press(pilot, "ctrl+t")
        assert view(app).editing


# -- classify, spans, binary -------------------------------------------------------------------


async def test_classify_unbound_letter_names_the_label_keys(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    async with running(folder) as (app, pilot):
        await press(pilot, "z")
        assert "z is not a label key here: labels are 1–3" in status(app)
        assert not view(app).draft_changed


async def test_classify_multi_draft(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2), task={"labels": ["a", "b"], "multi": True})
    async with running(folder) as (app, pilot):
        v = view(app)
        assert not v.draft_changed
        await press(pilot, "1")
        assert v.draft_changed
        await press(pilot, "1")
        assert not v.draft_changed


async def test_spans_draft(tmp_path: Path) -> None:
    tasks = [{"id": "s1", "text": "Anna lives in Paris."}, {"id": "s2", "text": "Bob too."}]
    folder = make_batch(tmp_path / "b", tasks, task_type="spans", task={"labels": ["PER", "LOC"]})
    async with running(folder) as (app, pilot):
        v = view(app)
        assert not v.draft_changed
        await press(pilot, "1")
        assert v.draft_changed
        await press(pilot, "space")  # asks before the marks are thrown away
        assert results(folder) == []
        await press(pilot, "9")
        assert "9 is not a label key here: labels are 1, 2" in status(app)


async def test_going_back_to_a_skipped_item_says_so(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3))
    async with running(folder) as (app, pilot):
        await press(pilot, "space", "pageup")
        assert view(app).ctx.task.id == "t0"
        assert "you skipped this item" in shown(app)


async def test_transcripts_typed_ahead_go_to_their_own_items(tmp_path: Path) -> None:
    """Keys typed right after Enter wait for the next item and land in its transcript."""
    folder = sample(tmp_path, "audio-en")
    async with running(folder) as (app, pilot):
        keys = [*"one", "enter", *"two", "enter", *"three"]
        await pilot.press(*keys)
        await pilot.pause()
        assert view(app).field.value == "three" and view(app).editing
    rows = results(folder)
    assert [(r["task_id"], r["value"]["transcript"]) for r in rows] == [
        ("aud-en-001", "one"),
        ("aud-en-002", "two"),
    ]


async def test_write_texts_typed_ahead_go_to_their_own_items(tmp_path: Path) -> None:
    folder = sample(tmp_path, "write-en")
    async with running(folder) as (app, pilot):
        first = "Hello {name}, your order {order_id} is on its way: https://track.example.com/{order_id}."
        await type_in(pilot, first)
        await pilot.press("enter", *"Dear")
        await pilot.pause()
        assert view(app).area.text == "Dear" and view(app).editing
    assert [r["value"]["text"] for r in results(folder)] == [first]


async def burst(app: LabelDeskApp, pilot: Pilot[None], keys: list[str]) -> None:
    """Keys arriving in one packet (ssh, a fast typist): all queued before any is handled,
    as the terminal driver posts them."""
    from textual import events

    names = {"enter": "\r", "escape": "\x1b", "space": " "}
    for key in keys:
        character = names.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))
    await pilot.pause()
    await pilot.pause()


async def test_a_burst_after_a_pick_types_into_the_reason(tmp_path: Path) -> None:
    folder = sample(tmp_path, "compare-nl")
    async with running(folder) as (app, pilot):
        await burst(app, pilot, ["b", "k", "o", "r", "t", "enter", "a"])
        assert view(app).editing and view(app).choice is not None  # 'a' on the next item
    assert [r["value"]["reason"] for r in results(folder)] == ["kort"]


async def test_a_burst_esc_then_a_key_acts_on_the_item(tmp_path: Path) -> None:
    folder = sample(tmp_path, "image-en")
    async with running(folder) as (app, pilot):
        await burst(app, pilot, ["1", "tab", "a", "b", "escape", "2"])
        v = view(app)
        assert v.field.value == "ab" and v.chosen == ["test card", "colour bars"]
    folder = sample(tmp_path, "rate-en")
    async with running(folder) as (app, pilot):
        await burst(app, pilot, ["n", "o", "k", "escape", "4", "5", "n", "!", "enter"])
    value = results(folder)[0]["value"]
    assert value["note"] == "ok!" and value["ratings"] == {"helpfulness": 4, "correctness": 5}


async def test_compare_ranking_moved_is_a_draft(tmp_path: Path) -> None:
    from tests.test_compare import TRIO
    from tests.test_compare import make_batch as compare_batch

    folder = compare_batch(tmp_path, "optional", TRIO)
    async with running(folder) as (app, pilot):
        v = view(app)
        await press(pilot, "down")
        assert not v.draft_changed  # selecting only looks
        await press(pilot, "shift+up")
        assert v.draft_changed
        await press(pilot, "space")  # asks before the new order is thrown away
        assert results(folder) == [] and "not saved" in status(app)


async def test_video_segments_and_item_labels_are_a_draft(tmp_path: Path) -> None:
    import asyncio

    folder = sample(tmp_path, "video-en")
    async with running(folder) as (app, pilot):
        v = view(app)
        for _ in range(200):
            if v.editor.known:
                break
            await asyncio.sleep(0.05)
        assert v.editor.known and not v.draft_changed
        await press(pilot, "a", "shift+right", "f", "1")
        assert len(v.editor.segments) == 1 and v.draft_changed
        await press(pilot, "x")  # the segment under the cursor goes again
        assert not v.draft_changed
        await press(pilot, "tab", "1")  # an item label
        assert v.draft_changed
        await press(pilot, "9")
        assert "9 is not a item label key here" not in status(app)
        assert "9 is not an item label key here: item labels are 1–3" in status(app)


async def test_a_text_field_rendered_after_removal_paints_blank_not_a_crash() -> None:
    """Textual 8.2 can build a frame with a TextArea that was just removed (the item moved on
    mid-frame); its theme then looks up component styles that are gone (Textual #6528).
    Seen in CI as a crash of the rate note and the write editor while typing fast."""
    from textual.app import App, ComposeResult
    from textual.geometry import Region

    from task_types.media_common.view import TextField

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield TextField("een notitie", on_enter=lambda: None, on_leave=lambda: None)

    app = Host()
    async with app.run_test(size=SIZE):
        field = app.query_one(TextField)
        painted = field.render_lines(Region(0, 0, 20, 3))
        assert any("een notitie" in strip.text for strip in painted)
        await field.remove()
        strips = field.render_lines(Region(0, 0, 12, 3))
        assert len(strips) == 3
        assert all(strip.cell_length == 12 and not strip.text.strip() for strip in strips)
