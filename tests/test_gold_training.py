"""Gold training (issue 15, part 3): `[gold] feedback` shows the expected answer and what
differs after a gold item, before the next one; the KPI line gets a gold accuracy figure."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from task_types.spans import TASK_TYPE as SPANS
from tests.batch_factory import make_batch, read_results
from tests.screen_text import screen_text
from tui.app import LabelDeskApp
from tui.core.batch_config import GoldSettings
from tui.core.gold_feedback import gold_score
from tui.launch import prepare
from tui.screens.gold_feedback import GoldFeedbackScreen

TASKS: list[dict[str, Any]] = [
    {"id": "g1", "text": "Geweldig product", "gold": {"label": "pos"}},
    {"id": "t2", "text": "Gewoon een tekst"},
    {"id": "g3", "text": "Slecht", "gold": {"label": "neg"}},
    {"id": "t4", "text": "Nog een"},
]


def test_who_gets_feedback_and_the_score_line() -> None:
    assert not GoldSettings().feedback_for("anna")
    assert GoldSettings(feedback=True).feedback_for("anna")
    named = GoldSettings(feedback=["anna"])
    assert named.feedback_for("anna") and not named.feedback_for("bram")
    assert gold_score([True, None, False, True]).text == "gold 2/3 (66%)"
    assert gold_score([None]).text == ""


def test_spans_differences_name_the_spans() -> None:
    mine = {"spans": [{"start": 0, "end": 4, "label": "PER"}]}
    gold = {
        "spans": [{"start": 0, "end": 4, "label": "ORG"}, {"start": 9, "end": 12, "label": "LOC"}]
    }
    assert SPANS.gold_difference(mine, gold) == [
        "missing: ORG 0-4, LOC 9-12",
        "not expected: PER 0-4",
    ]


@asynccontextmanager
async def labeling(
    folder: Path, who: str = "anna"
) -> AsyncIterator[tuple[Pilot[None], LabelDeskApp]]:
    prepared = prepare(folder, annotator=who)
    app = LabelDeskApp(prepared.session, prepared.keymap)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            yield pilot, app
    finally:
        prepared.session.store.close()


async def until(pilot: Pilot[None], check: Any) -> None:
    for _ in range(300):
        await pilot.pause(0.01)
        if check():
            return
    raise AssertionError("the screen never got there")


async def test_a_wrong_gold_answer_shows_what_was_expected_before_the_next_item(
    tmp_path: Path,
) -> None:
    folder = make_batch(tmp_path / "b", TASKS, extra="[gold]\nfeedback = true\n")
    async with labeling(folder) as (pilot, app):
        await pilot.press("2")  # g1 as neg: wrong
        await until(
            pilot, lambda: isinstance(app.screen, GoldFeedbackScreen) and app.screen.keys_ready
        )
        shown = screen_text(app)
        assert "✗ not as expected" in shown and "yours     neg" in shown
        assert "expected  pos" in shown and "missing: pos" in shown and "not expected: neg" in shown
        assert "gold 0/1 (0%) this session" in shown
        await pilot.press("space")
        await until(pilot, lambda: not isinstance(app.screen, GoldFeedbackScreen))
        assert app.screen.session.current().task_id == "t2"  # type: ignore[attr-defined]
        await pilot.press("1")  # no gold: no feedback
        await pilot.pause()
        assert not isinstance(app.screen, GoldFeedbackScreen)
        await pilot.press("2")  # g3 as neg: right
        await until(
            pilot, lambda: isinstance(app.screen, GoldFeedbackScreen) and app.screen.keys_ready
        )
        assert "✓ right" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, GoldFeedbackScreen))
        assert "gold 1/2 (50%)" in screen_text(app)  # the KPI line
    lines = read_results(folder / "results" / "anna.jsonl")
    assert [(r["task_id"], r.get("gold_correct")) for r in lines] == [
        ("g1", False),
        ("t2", None),
        ("g3", True),
    ]


async def test_feedback_only_for_the_annotators_named(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", TASKS, extra='[gold]\nfeedback = ["anna"]\n')
    async with labeling(folder, who="bram") as (pilot, app):
        await pilot.press("2")
        await pilot.pause()
        assert not isinstance(app.screen, GoldFeedbackScreen)
        assert "gold" not in screen_text(app).split("\n")[2]
    assert read_results(folder / "results" / "bram.jsonl")[0]["gold_correct"] is False
