"""compare: models without Textual, bad input messages, and every key path with Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from task_types.base import TaskTypeError
from task_types.compare.models import CompareOptions, seed_for, shuffled
from task_types.registry import get_task_type

COMPARE = get_task_type("compare")
SIZES = [(80, 24), (160, 50)]
PAIR = {
    "id": "c1",
    "prompt": "Leg recursie kort uit.",
    "responses": [
        {"id": "m1", "text": "Een functie die zichzelf aanroept op een kleiner probleem."},
        {"id": "m2", "text": "Recursie is een lus die [bold]heel vaak[/bold] herhaalt."},
    ],
}
TRIO = {
    "id": "c2",
    "prompt": "Beste pizzabeleg?",
    "responses": [
        {"id": "x", "text": "Margherita."},
        {"id": "y", "text": "Ananas."},
        {"id": "z", "text": "Champignons."},
    ],
}


def opts(reason: str = "optional") -> CompareOptions:
    parsed = COMPARE.parse_options({"reason": reason})
    assert isinstance(parsed, CompareOptions)
    return parsed


# -- models and bad input --------------------------------------------------------------------
def test_one_response_is_refused_precisely() -> None:
    with pytest.raises(TaskTypeError) as caught:
        COMPARE.parse_task({**PAIR, "responses": PAIR["responses"][:1]}, opts())
    assert caught.value.field == "responses"
    assert "at least two responses; this task has 1" in str(caught.value)


def test_duplicate_ids_are_refused_with_both_places() -> None:
    twice = [{"id": "m1", "text": "a"}, {"id": "m2", "text": "b"}, {"id": "m1", "text": "c"}]
    with pytest.raises(TaskTypeError) as caught:
        COMPARE.parse_task({**PAIR, "responses": twice}, opts())
    assert caught.value.field == "responses.2.id"
    assert "'m1' is used twice (responses.0 and responses.2)" in str(caught.value)


def test_shapes_and_options() -> None:
    with pytest.raises(ValidationError) as caught:
        COMPARE.parse_task({"id": "c", "prompt": "p", "responses": [{"id": "a"}]}, opts())
    assert caught.value.errors()[0]["loc"] == ("responses", 0, "text")
    with pytest.raises(ValidationError) as bad:
        COMPARE.parse_options({"reason": "sometimes"})
    assert bad.value.errors()[0]["loc"] == ("reason",)
    numeric = COMPARE.parse_task(
        {**PAIR, "responses": [{"id": 1, "text": "a"}, {"id": 2, "text": "b"}]}, opts()
    )
    assert [r.id for r in numeric.responses] == ["1", "2"]  # type: ignore[attr-defined]


def test_seed_is_stable_per_task_and_annotator() -> None:
    assert seed_for("c1", "anna") == seed_for("c1", "anna")
    assert seed_for("c1", "anna") != seed_for("c1", "bram")
    ids = [str(n) for n in range(8)]
    assert shuffled(ids, 7) == shuffled(ids, 7) and sorted(shuffled(ids, 7)) == ids
    # Over many items both placements occur about equally often, so bias is measurable.
    firsts = sum(shuffled(["a", "b"], seed_for(f"t{n}", "anna"))[0] == "a" for n in range(400))
    assert 150 < firsts < 250


def test_answer_model_keeps_only_its_own_keys() -> None:
    ab = {"winner": "m1", "outcome": "win", "shown_order": ["m2", "m1"], "seed": 5}
    assert COMPARE.parse_answer(ab).model_dump(mode="json") == {**ab, "reason": ""}
    rank = {"ranking": ["z", "x", "y"], "shown_order": ["x", "y", "z"], "seed": 5}
    assert COMPARE.parse_answer(rank).model_dump(mode="json") == {**rank, "reason": ""}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"outcome": "win", "shown_order": ["a", "b"], "seed": 1}, "names its winner"),
        (
            {"outcome": "tie", "winner": "a", "shown_order": ["a", "b"], "seed": 1},
            "names its winner",
        ),
        ({"outcome": "win", "winner": "c", "shown_order": ["a", "b"], "seed": 1}, "not one of"),
        ({"ranking": ["a", "c"], "shown_order": ["a", "b"], "seed": 1}, "exactly the shown"),
        ({"shown_order": ["a", "b"], "seed": 1}, "outcome"),
    ],
)
def test_inconsistent_answers_are_refused(value: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        COMPARE.parse_answer(value)


def test_labels_and_summary() -> None:
    win = {"winner": "m1", "outcome": "win", "shown_order": ["m2", "m1"], "seed": 1}
    assert COMPARE.labels_of(win) == ["m1"]
    assert COMPARE.summarize(win) == "winner m1 (shown as B)"
    assert COMPARE.labels_of({"outcome": "both_bad", "winner": None}) == ["both_bad"]
    assert COMPARE.labels_of({"ranking": ["z", "x"]}) == ["z>x"]
    assert COMPARE.gold_matches(win, {"winner": "m1", "outcome": "win"})
    assert not COMPARE.gold_matches(win, {"outcome": "tie"})


# -- Pilot ---------------------------------------------------------------------------------
def make_batch(tmp_path: Path, reason: str, task: dict[str, Any]) -> Path:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "batch.toml").write_text(
        f'id = "cmp"\ntitle = "Compare test"\ntask_type = "compare"\n[task]\nreason = "{reason}"\n',
        encoding="utf-8",
    )
    (batch / "tasks.jsonl").write_bytes(orjson.dumps(task) + b"\n")
    return batch


def results(batch: Path) -> list[dict[str, Any]]:
    path = batch / "results" / "anna.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


async def run_keys(batch: Path, size: tuple[int, int], keys: list[str]) -> dict[str, Any]:
    from textual.containers import Horizontal

    from tui.app import LabelDeskApp
    from tui.launch import prepare

    prepared = prepare(batch, annotator="anna")
    app = LabelDeskApp(prepared.session, prepared.keymap)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            view = app.screen.view  # type: ignore[attr-defined]
            seen: dict[str, Any] = {"shown": list(view.shown_order) if view else None}
            pairs = app.screen.query("#pair")
            if pairs:
                seen["stacked"] = pairs.first(Horizontal).has_class("stacked")
                panes = app.screen.query(".pane")
                seen["pane_x"] = [p.region.x for p in panes]
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            seen["status"] = str(app.screen.query_one("#status").render())
            after = app.screen.view  # type: ignore[attr-defined]
            seen["editing"] = after.editing if after is not None else None
            seen["ranking"] = list(after.ranking) if after is not None else None
            seen["shown_after"] = list(after.shown_order) if after is not None else None
            return seen
    finally:
        prepared.session.store.close()


@pytest.mark.parametrize("size", SIZES)
async def test_layout_side_by_side_only_when_wide(tmp_path: Path, size: tuple[int, int]) -> None:
    seen = await run_keys(make_batch(tmp_path, "none", PAIR), size, [])
    wide = size[0] >= 100
    assert seen["stacked"] is not wide
    left, right = seen["pane_x"]
    assert (left != right) is wide


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("key", "position", "outcome"),
    [("a", 0, "win"), ("b", 1, "win"), ("t", None, "tie"), ("x", None, "both_bad")],
)
async def test_one_key_decides_and_names_the_winner_by_id(
    tmp_path: Path, size: tuple[int, int], key: str, position: int | None, outcome: str
) -> None:
    batch = make_batch(tmp_path, "optional", PAIR)
    seen = await run_keys(batch, size, [key])
    [line] = results(batch)
    value = line["value"]
    assert value["shown_order"] == seen["shown"]
    assert value["seed"] == seed_for("c1", "anna")
    assert value["shown_order"] == shuffled(["m1", "m2"], value["seed"])
    assert value["outcome"] == outcome
    assert value["winner"] == (None if position is None else seen["shown"][position])


@pytest.mark.parametrize("size", SIZES)
async def test_required_reason_opens_editor_then_enter_saves(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    batch = make_batch(tmp_path, "required", PAIR)
    seen = await run_keys(batch, size, ["b", "escape", "enter"])
    assert "requires a reason" in seen["status"]
    assert results(batch) == []
    seen = await run_keys(batch, size, ["b", "k", "o", "r", "t", "a", "enter"])
    [line] = results(batch)
    assert line["value"]["reason"] == "korta" and line["value"]["winner"] == seen["shown"][1]


@pytest.mark.parametrize("size", SIZES)
async def test_optional_reason_written_first_goes_with_the_pick(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    batch = make_batch(tmp_path, "optional", PAIR)
    # Enter saves the item; without a pick it is refused and the keys stay in the reason.
    seen = await run_keys(batch, size, ["r", "a", "b", "enter"])
    assert "no pick yet: Esc, then a/b/t/x" in seen["status"] and results(batch) == []
    assert seen["editing"] is True
    await run_keys(batch, size, ["r", "a", "b", "escape", "t"])
    assert results(batch)[0]["value"]["reason"] == "ab"


@pytest.mark.parametrize("size", SIZES)
async def test_enter_without_a_pick_is_refused(tmp_path: Path, size: tuple[int, int]) -> None:
    batch = make_batch(tmp_path, "optional", PAIR)
    seen = await run_keys(batch, size, ["enter"])
    assert "pick a (A better)" in seen["status"]
    assert results(batch) == []


@pytest.mark.parametrize("size", SIZES)
async def test_ranking_moves_and_submit(tmp_path: Path, size: tuple[int, int]) -> None:
    batch = make_batch(tmp_path, "optional", TRIO)
    # select the last row, move it to the top, then move the new second row down
    seen = await run_keys(batch, size, ["down", "j", "shift+up", "u", "down", "d", "enter"])
    shown = seen["shown"]
    [line] = results(batch)
    assert line["value"] == {
        "ranking": [shown[2], shown[1], shown[0]],
        "shown_order": shown,
        "seed": seed_for("c2", "anna"),
        "reason": "",
    }
    assert COMPARE.labels_of(line["value"]) == [">".join([shown[2], shown[1], shown[0]])]


@pytest.mark.parametrize("size", SIZES)
async def test_pick_keys_do_not_rank(tmp_path: Path, size: tuple[int, int]) -> None:
    batch = make_batch(tmp_path, "optional", TRIO)
    seen = await run_keys(batch, size, ["a"])
    assert "order them best first" in seen["status"]
    assert results(batch) == []


async def test_reediting_keeps_the_order_first_shown(tmp_path: Path) -> None:
    batch = make_batch(tmp_path, "optional", TRIO)
    first = await run_keys(batch, (80, 24), ["u", "enter", "enter"])
    again = await run_keys(batch, (80, 24), ["pageup"])
    assert again["shown_after"] == first["shown"]
    assert again["ranking"] == results(batch)[0]["value"]["ranking"]


async def test_digits_type_each_responses_rank_a_first(tmp_path: Path) -> None:
    batch = make_batch(tmp_path, "optional", TRIO)
    # A is 3rd, B is 1st: C's rank is the one left (2), no third digit needed.
    seen = await run_keys(batch, (80, 24), ["3", "1", "enter"])
    shown = seen["shown"]
    [line] = results(batch)
    assert line["value"]["ranking"] == [shown[1], shown[2], shown[0]]
    assert line["value"]["shown_order"] == shown


async def test_enter_on_the_shuffled_order_asks_once_more(tmp_path: Path) -> None:
    batch = make_batch(tmp_path, "optional", TRIO)
    seen = await run_keys(batch, (80, 24), ["enter"])
    assert "order as shuffled" in seen["status"] and results(batch) == []
    seen = await run_keys(batch, (80, 24), ["enter", "enter"])
    assert results(batch)[0]["value"]["ranking"] == seen["shown"]


async def test_typed_ranks_refuse_repeats_out_of_range_and_half_done(tmp_path: Path) -> None:
    batch = make_batch(tmp_path, "optional", TRIO)
    seen = await run_keys(batch, (80, 24), ["2", "2"])
    assert "rank 2 is already A's" in seen["status"]
    seen = await run_keys(batch, (80, 24), ["4"])
    assert "there are 3 responses" in seen["status"]
    seen = await run_keys(batch, (80, 24), ["2", "enter"])
    assert "type the rank of B" in seen["status"] and results(batch) == []
    # A move key drops the half-typed ranks: the order on screen is the one saved.
    seen = await run_keys(batch, (80, 24), ["2", "down", "shift+up", "enter"])
    [line] = results(batch)
    assert line["value"]["ranking"] == [seen["shown"][1], seen["shown"][0], seen["shown"][2]]


async def test_digits_in_a_pair_say_how_to_pick(tmp_path: Path) -> None:
    batch = make_batch(tmp_path, "optional", PAIR)
    seen = await run_keys(batch, (80, 24), ["1"])
    assert "pick with a/b" in seen["status"] and results(batch) == []
