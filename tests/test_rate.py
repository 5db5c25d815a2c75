"""rate: models without Textual, bad input messages, and every key path with Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from task_types.base import TaskTypeError
from task_types.rate.models import RateOptions
from task_types.registry import get_task_type

RATE = get_task_type("rate")
BATCH_TOML = """\
id = "rate-test"
title = "Rate test"
task_type = "rate"
[task]
note_required = {note_required}
[[task.criteria]]
name = "helpfulness"
description = "Does the answer solve the user's problem?"
scale = [1, 5]
[[task.criteria]]
name = "correctness"
description = "Is every claim true?"
scale = [1, 5]
[[task.criteria]]
name = "tone"
scale = [1, 3]
required = false
"""
DIALOGUE = [
    {"role": "system", "content": "Je bent een behulpzame assistent."},
    {"role": "user", "content": "Wat is de hoofdstad van Nederland? [bold]markup[/bold]"},
    {"role": "assistant", "content": "Den Haag is de hoofdstad van Nederland."},
    {"role": "user", "content": "Weet je het zeker?"},
    {
        "role": "assistant",
        "content": "Excuus: Amsterdam is de hoofdstad; Den Haag is de regeringszetel.",
    },
]
SIZES = [(80, 24), (160, 50)]


def options(**extra: Any) -> RateOptions:
    table = {"criteria": [{"name": "helpfulness", "scale": [1, 5]}], **extra}
    opts = RATE.parse_options(table)
    assert isinstance(opts, RateOptions)
    return opts


# -- models and bad input --------------------------------------------------------------------
def test_default_target_is_last_assistant_message() -> None:
    task = RATE.parse_task({"id": "t", "messages": DIALOGUE}, options())
    assert task.target_index() == 4  # type: ignore[attr-defined]


def test_prompt_and_response_become_a_two_turn_dialogue() -> None:
    task = RATE.parse_task({"id": "t", "prompt": "Hoi", "response": "Hallo!"}, options())
    assert [m.role for m in task.dialogue()] == ["user", "assistant"]  # type: ignore[attr-defined]
    assert task.target_index() == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ({"messages": []}, "messages", "no messages"),
        ({}, "messages", "no dialogue"),
        ({"prompt": "Hoi"}, "response", "prompt without response"),
        ({"messages": DIALOGUE, "target": 9}, "target", "out of range"),
        ({"messages": DIALOGUE, "target": 3}, "target", "is a user message"),
        ({"messages": DIALOGUE[:2]}, "messages", "no assistant message"),
    ],
)
def test_bad_dialogues_name_the_field(raw: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(TaskTypeError) as caught:
        RATE.parse_task({"id": "t", **raw}, options())
    assert caught.value.field == field
    assert words in str(caught.value)


def test_unknown_role_is_a_shape_error() -> None:
    with pytest.raises(ValidationError) as caught:
        RATE.parse_task({"id": "t", "messages": [{"role": "bot", "content": "x"}]}, options())
    assert caught.value.errors()[0]["loc"] == ("messages", 0, "role")


@pytest.mark.parametrize(
    ("criterion", "loc", "words"),
    [
        ({"name": "h", "scale": "1-5"}, ("criteria", 0, "scale"), "valid tuple"),
        ({"name": "h", "scale": [5, 1]}, ("criteria", 0, "scale"), "low < high"),
        ({"name": "h", "scale": [0, 10]}, ("criteria", 0, "scale"), "11 points"),
        ({"name": "h", "required": "yes"}, ("criteria", 0, "required"), "boolean"),
        ({"name": "h", "weight": 2}, ("criteria", 0, "weight"), "Extra inputs"),
        ({"name": "a=b"}, ("criteria", 0, "name"), "pattern"),
    ],
)
def test_bad_criteria_name_the_field(
    criterion: dict[str, Any], loc: tuple[Any, ...], words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        RATE.parse_options({"criteria": [criterion]})
    error = caught.value.errors()[0]
    assert error["loc"] == loc
    assert words in error["msg"]


def test_criteria_are_required_and_distinct() -> None:
    with pytest.raises(ValidationError, match="criteria"):
        RATE.parse_options({})
    with pytest.raises(ValidationError, match="listed twice"):
        RATE.parse_options({"criteria": [{"name": "h"}, {"name": "h"}]})


def test_ten_point_scale_types_ten_as_zero() -> None:
    crit = options(criteria=[{"name": "h", "scale": [1, 10]}]).criteria[0]
    assert crit.score_for_digit(0) == 10
    assert crit.score_for_digit(7) == 7
    assert options().criteria[0].score_for_digit(6) is None


def test_labels_summary_and_gold() -> None:
    value = {"ratings": {"helpfulness": 4, "correctness": 2}, "target": 4, "note": "Den Haag"}
    assert RATE.labels_of(value) == ["helpfulness=4", "correctness=2"]
    assert RATE.summarize(value) == "helpfulness=4, correctness=2 · Den Haag"
    assert RATE.gold_matches(value, {"ratings": {"correctness": 2}})
    assert not RATE.gold_matches(value, {"ratings": {"correctness": 3}})
    assert RATE.labels_of(None) == []


def test_answer_model_refuses_a_missing_target() -> None:
    with pytest.raises(ValidationError):
        RATE.parse_answer({"ratings": {"h": 1}})


# -- Pilot ---------------------------------------------------------------------------------
def make_batch(tmp_path: Path, note_required: bool = False) -> Path:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "batch.toml").write_text(
        BATCH_TOML.format(note_required=str(note_required).lower()), encoding="utf-8"
    )
    lines = [
        {"id": "r1", "messages": DIALOGUE},
        {"id": "r2", "prompt": "Noem een priemgetal.", "response": "9 is een priemgetal."},
    ]
    (batch / "tasks.jsonl").write_bytes(b"\n".join(orjson.dumps(x) for x in lines) + b"\n")
    return batch


def results(batch: Path) -> list[dict[str, Any]]:
    path = batch / "results" / "anna.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


async def run_keys(batch: Path, size: tuple[int, int], keys: list[str]) -> tuple[str, Any]:
    """Press keys; return the status line and the view left on screen."""

    from tui.app import LabelDeskApp
    from tui.launch import prepare

    prepared = prepare(batch, annotator="anna")
    app = LabelDeskApp(prepared.session, prepared.keymap)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            status = str(app.screen.query_one("#status").render())
            view = app.screen.view  # type: ignore[attr-defined]
            state = None if view is None else (dict(view.ratings), view.selected, view.editing)
            return status, state
    finally:
        prepared.session.store.close()


@pytest.mark.parametrize("size", SIZES)
async def test_score_moves_to_next_criterion_and_enter_saves(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    batch = make_batch(tmp_path)
    status, _ = await run_keys(batch, size, ["4", "2", "3", "enter"])
    assert "saved r1" in status
    [line] = results(batch)
    assert line["value"] == {
        "ratings": {"helpfulness": 4, "correctness": 2, "tone": 3},
        "target": 4,
        "note": "",
    }
    assert RATE.labels_of(line["value"]) == ["helpfulness=4", "correctness=2", "tone=3"]


@pytest.mark.parametrize("size", SIZES)
async def test_up_down_select_and_clear(tmp_path: Path, size: tuple[int, int]) -> None:
    batch = make_batch(tmp_path)
    # down to correctness and score it (selection jumps to the unrated tone), up twice to
    # helpfulness and score it, k back to correctness and clear it.
    _, state = await run_keys(batch, size, ["down", "5", "up", "up", "3", "k", "delete"])
    ratings, selected, editing = state
    assert ratings == {"helpfulness": 3}
    assert selected == 1
    assert editing is False
    assert results(batch) == []


@pytest.mark.parametrize("size", SIZES)
async def test_refusal_names_the_unrated_required_criterion(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    batch = make_batch(tmp_path)
    status, state = await run_keys(batch, size, ["4", "enter"])
    assert "correctness" in status and "helpfulness" not in status
    assert state[1] == 1  # the refusal selects the criterion to rate
    assert results(batch) == []


@pytest.mark.parametrize("size", SIZES)
async def test_off_scale_digit_is_refused(tmp_path: Path, size: tuple[int, int]) -> None:
    batch = make_batch(tmp_path)
    status, state = await run_keys(batch, size, ["4", "4", "9"])
    assert "tone is scored 1-3, not 9" in status
    assert state[0] == {"helpfulness": 4, "correctness": 4}


@pytest.mark.parametrize("size", SIZES)
async def test_note_opens_takes_every_key_and_escape_leaves(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    batch = make_batch(tmp_path, note_required=True)
    # Digits typed in the note are text, not scores; Ctrl+j is a new line; Enter saves.
    keys = ["4", "2", "n", "D", "e", "n", "space", "H", "a", "a", "g", "5", "ctrl+j", "x"]
    _, state = await run_keys(batch, size, keys)
    assert state[0] == {"helpfulness": 4, "correctness": 2} and state[2] is True
    assert results(batch) == []
    status, state = await run_keys(batch, size, ["4", "2", "n", "enter"])  # an empty note
    assert "a note is required: write why" in status and state[2] is True
    assert results(batch) == []
    status, state = await run_keys(batch, size, ["4", "2", "n", "o", "k", "escape", "enter"])
    assert "saved r1" in status
    assert results(batch)[0]["value"]["note"] == "ok"


@pytest.mark.parametrize("size", SIZES)
async def test_required_note_refuses_without_one(tmp_path: Path, size: tuple[int, int]) -> None:
    batch = make_batch(tmp_path, note_required=True)
    status, _ = await run_keys(batch, size, ["4", "2", "enter"])
    assert "requires a note" in status
    assert results(batch) == []


async def test_scroll_keys_move_the_dialogue(tmp_path: Path) -> None:
    from textual.containers import VerticalScroll

    from tui.app import LabelDeskApp
    from tui.launch import prepare

    batch = tmp_path / "long"
    batch.mkdir()
    (batch / "batch.toml").write_text(BATCH_TOML.format(note_required="false"), encoding="utf-8")
    long = {"id": "l", "prompt": "Vertel.", "response": "\n".join(f"regel {n}" for n in range(80))}
    (batch / "tasks.jsonl").write_bytes(orjson.dumps(long) + b"\n")
    prepared = prepare(batch, annotator="anna")
    app = LabelDeskApp(prepared.session, prepared.keymap)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            dialogue = app.screen.query_one("#dialogue", VerticalScroll)
            start = dialogue.scroll_y
            await pilot.press("J")
            await pilot.pause()
            assert dialogue.scroll_y > start
            await pilot.press("shift+up")
            await pilot.pause()
            assert dialogue.scroll_y == start
    finally:
        prepared.session.store.close()


async def test_reediting_shows_the_saved_ratings(tmp_path: Path) -> None:
    batch = make_batch(tmp_path)
    await run_keys(batch, (80, 24), ["4", "2", "enter"])
    _, state = await run_keys(batch, (80, 24), ["pageup"])
    assert state[0] == {"helpfulness": 4, "correctness": 2}
