"""The adjudication screen through Pilot: pick an annotator's answer, correct one in the
task's own view, quit and resume (decided items are not shown again), refusals."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any, cast

import pytest
from textual.app import App

from tests.batch_factory import make_batch, read_results
from tests.screen_text import screen_text as _screen_text
from tests.test_audit_support import result, write_results
from tui.adjudicate_app import AdjudicateApp
from tui.adjudicate_launch import (
    NothingToAdjudicate,
    make_adjudicate_app,
    open_adjudication,
)
from tui.core.active_clock import ActiveClock
from tui.core.merge import merge_batch
from tui.screens.adjudicate import AdjudicationScreen

TASKS = [{"id": f"t{i}", "text": f"Recensie {i}: het product is prima."} for i in range(5)]
POS, NEG, NEU = {"labels": ["pos"]}, {"labels": ["neg"]}, {"labels": ["neu"]}


def screen_text(app: App[Any]) -> str:
    return _screen_text(cast("App[object]", app))


def make_team_batch(folder: Path) -> Path:
    """t0-t2 unresolved (ties and a split), t3 unanimous, t4 a 2-1 majority."""
    make_batch(folder, TASKS, id="b1")
    write_results(
        folder,
        [
            result("anna", "t0", POS),
            result("bob", "t0", NEG),
            result("anna", "t1", NEU),
            result("bob", "t1", POS),
            result("anna", "t2", POS),
            result("bob", "t2", NEG),
            result("carl", "t2", NEU),
            result("anna", "t3", POS),
            result("bob", "t3", POS),
            result("anna", "t4", POS),
            result("bob", "t4", POS),
            result("carl", "t4", NEG),
        ],
    )
    return folder


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _app(folder: Path, **kw: Any) -> tuple[AdjudicateApp, FakeTime]:
    app = make_adjudicate_app(folder, "lead", **kw)
    fake = FakeTime()
    app.session.clock = ActiveClock(30.0, now=fake)
    return app, fake


def _decisions(folder: Path) -> list[dict[str, Any]]:
    path = folder / "adjudications" / "lead.jsonl"
    return read_results(path) if path.exists() else []


def _screen(app: AdjudicateApp) -> AdjudicationScreen:
    screen = app.screen
    assert isinstance(screen, AdjudicationScreen)
    return screen


async def test_pick_an_annotators_answer(tmp_path: Path) -> None:
    folder = make_team_batch(tmp_path / "b")
    app, fake = _app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "ADJUDICATE" in text and "item 1 of 3" in text and "0 of 3 decided" in text
        assert "t0" in text and "unresolved" in text and "Recensie 0" in text
        # The distinct answers, each with who gave it.
        assert "anna (accept): pos" in text and "bob (accept): neg" in text
        fake.t += 2.0
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert "decided t0: bob" in text and "item 2 of 3" in text and "1 of 3 decided" in text
        await pilot.press("9")  # there is no ninth answer: refused, nothing written
        await pilot.pause()
        assert "there is no answer 9" in screen_text(app)
    app.session.writer.close()
    [line] = _decisions(folder)
    assert line["task_id"] == "t0" and line["decision"] == "pick"
    assert line["adjudicator"] == "lead" and line["annotator"] == "lead"
    assert line["value"] == NEG and line["answer"] == "accept" and line["chosen"] == ["bob"]
    assert line["based_on"] == [
        {"annotator": "anna", "revision": 1},
        {"annotator": "bob", "revision": 1},
    ]
    assert line["active_ms"] == 2000 and line["batch_id"] == "b1"
    records = {r.task_id: r for r in merge_batch(folder).records}
    assert records["t0"].source == "adjudicated" and records["t0"].value == NEG
    assert records["t0"].agreed == ("bob",)


async def test_correct_in_the_task_view_and_show_next(tmp_path: Path) -> None:
    folder = make_team_batch(tmp_path / "b")
    app, _ = _app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        assert screen.view is not None and screen.view.ctx.previous == POS
        await pilot.press("o")  # the view shows bob's answer now
        await pilot.pause()
        assert screen.view is not None and screen.view.ctx.previous == NEG
        assert "showing the answer of bob" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert screen.mode == "correct" and screen.view is not None
        assert screen.view.ctx.mode == "correct"
        await pilot.press("space")  # navigation waits until the correction is left
        await pilot.pause()
        assert "finish the correction" in screen_text(app)
        assert _decisions(folder) == [] and app.session.position == 0
        await pilot.press("escape")
        await pilot.pause()
        assert _screen(app).mode == "review" and "correction cancelled" in screen_text(app)
        await pilot.press("c", "3")  # classify: a label key answers at once
        await pilot.pause()
        assert "decided t0: your correction" in screen_text(app)
    app.session.writer.close()
    [line] = _decisions(folder)
    assert line["decision"] == "correct" and line["value"] == NEU and line["chosen"] == []
    assert merge_batch(folder).records[0].value == NEU


async def test_quit_and_resume_shows_only_undecided_items(tmp_path: Path) -> None:
    folder = make_team_batch(tmp_path / "b")
    app, _ = _app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")  # t0: anna's
        await pilot.pause()
        await pilot.press("space")  # skip t1
        await pilot.pause()
        assert app.session.current() is not None
        assert app.session.current().task_id == "t2"  # type: ignore[union-attr]
        await pilot.press("3")  # t2: carl's
        await pilot.pause()
        await pilot.press("ctrl+q")
    app.session.writer.close()
    assert [d["task_id"] for d in _decisions(folder)] == ["t0", "t2"]
    again, _ = _app(folder)
    assert [item.task_id for item in again.session.items] == ["t1"]
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(again)
        assert "item 1 of 1" in text and "t1" in text
        await pilot.press("1")
        await pilot.pause()
        assert "All 1 item(s) of the queue are decided" in screen_text(again)
    again.session.writer.close()
    with pytest.raises(NothingToAdjudicate, match="0 unresolved"):
        make_adjudicate_app(folder, "lead")
    assert open_adjudication(folder, "lead") == 0


async def test_all_disagreements_adds_majority_items(tmp_path: Path) -> None:
    folder = make_team_batch(tmp_path / "b")
    app, _ = _app(folder, with_majority=True)
    assert [item.task_id for item in app.session.items] == ["t0", "t1", "t2", "t4"]
    app.session.writer.close()


def test_a_bad_name_or_batch_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_team_batch(tmp_path / "b")
    assert open_adjudication(folder, "../evil") == 2
    assert "cannot be used as a file name" in capsys.readouterr().err
    assert open_adjudication(tmp_path / "missing", "lead") == 2
    assert "no such batch folder" in capsys.readouterr().err


async def test_help_lists_the_decision_keys_and_enter_alone_decides_nothing(
    tmp_path: Path,
) -> None:
    folder = make_team_batch(tmp_path / "b")
    app, _ = _app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "decide: 1… takes that answer" in screen_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "decide: answer 1 of the list is right" in text
        assert "show the next annotator's answer" in text
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, AdjudicationScreen)
    app.session.writer.close()
    assert _decisions(folder) == []


def test_a_second_adjudicator_process_is_refused(tmp_path: Path) -> None:
    from tui.adjudicate_launch import AdjudicateLaunchError, prepare_adjudication

    folder = make_team_batch(tmp_path / "b")
    first, _ = prepare_adjudication(folder, "lead")
    try:
        with pytest.raises(AdjudicateLaunchError, match=r"lead\.jsonl"):
            prepare_adjudication(folder, "lead")
    finally:
        first.writer.close()


SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PER = {"start": 0, "end": 13, "label": "PER", "token_start": 0, "token_end": 1}
LOC = {**PER, "label": "ORG"}
TYPED = {
    "binary-en": (
        "ref-en-0001",
        ("accept", {"accept": True, "label": "REFUSAL"}),
        ("reject", {"accept": False, "label": "REFUSAL"}),
    ),
    "spans-en": ("ner-en-0001", ("accept", {"spans": [PER]}), ("accept", {"spans": [LOC]})),
    "compare-en": (
        "compare-en-001",
        (
            "accept",
            {
                "outcome": "win",
                "winner": "compare-en-001-a",
                "shown_order": ["compare-en-001-a", "compare-en-001-b"],
                "seed": 1,
            },
        ),
        (
            "accept",
            {
                "outcome": "win",
                "winner": "compare-en-001-b",
                "shown_order": ["compare-en-001-b", "compare-en-001-a"],
                "seed": 2,
            },
        ),
    ),
    "rate-en": (
        "rate-en-001",
        ("accept", {"ratings": {"helpfulness": 4, "correctness": 5}, "target": 1, "note": ""}),
        ("accept", {"ratings": {"helpfulness": 2, "correctness": 5}, "target": 1, "note": ""}),
    ),
    "write-en": (
        "tr-0001",
        (
            "accept",
            {"text": "Hello there", "words": 2, "chars": 11, "language": None, "checks": []},
        ),
        (
            "accept",
            {"text": "Hi there", "words": 2, "chars": 8, "language": None, "checks": []},
        ),
    ),
}


@pytest.mark.parametrize("sample", list(TYPED))
async def test_every_task_type_shows_its_answers_and_takes_a_pick(
    tmp_path: Path, sample: str
) -> None:
    folder = tmp_path / sample
    shutil.copytree(SAMPLES / sample, folder, ignore=shutil.ignore_patterns("results", "audits"))
    batch_id = tomllib.loads((folder / "batch.toml").read_text("utf-8"))["id"]
    task_type = sample.removesuffix("-en")
    task_id, (kind_a, value_a), (kind_b, value_b) = TYPED[sample]
    write_results(
        folder,
        [
            result(who, task_id, value, answer=kind, task_type=task_type).model_copy(
                update={"batch_id": batch_id}
            )
            for who, kind, value in (("anna", kind_a, value_a), ("bob", kind_b, value_b))
        ],
    )
    app, _ = _app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        assert screen.view is not None and screen.view.ctx.mode == "review"
        assert screen.view.ctx.previous == value_a
        text = screen_text(app)
        assert "item 1 of 1" in text and "anna (" in text and "bob (" in text
        await pilot.press("o")
        await pilot.pause()
        assert screen.view is not None and screen.view.ctx.previous == value_b
        await pilot.press("2")
        await pilot.pause()
        assert "decided" in screen_text(app)
    app.session.writer.close()
    [line] = _decisions(folder)
    assert line["chosen"] == ["bob"] and line["value"] == value_b and line["answer"] == kind_b
    [merged] = merge_batch(folder).records
    assert merged.source == "adjudicated" and merged.agreed == ("bob",)


async def test_correct_a_binary_item_with_its_own_keys(tmp_path: Path) -> None:
    folder = tmp_path / "binary-en"
    shutil.copytree(SAMPLES / "binary-en", folder, ignore=shutil.ignore_patterns("results"))
    batch_id = "refusal-en-0001"
    toml = (folder / "batch.toml").read_text("utf-8")
    assert f'id = "{batch_id}"' in toml
    _, (kind_a, value_a), (kind_b, value_b) = TYPED["binary-en"]
    write_results(
        folder,
        [
            result(who, "ref-en-0002", value, answer=kind, task_type="binary").model_copy(
                update={"batch_id": batch_id}
            )
            for who, kind, value in (("anna", kind_a, value_a), ("bob", kind_b, value_b))
        ],
    )
    app, _ = _app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert _screen(app).mode == "correct"
        await pilot.press("x")  # binary's reject key answers at once: bob's answer
        await pilot.pause()
        assert "decided ref-en-0002: bob" in screen_text(app)
    app.session.writer.close()
    [line] = _decisions(folder)
    assert line["decision"] == "pick" and line["chosen"] == ["bob"]
    assert line["answer"] == "reject" and line["value"]["accept"] is False


async def test_a_correction_equal_to_an_answer_is_a_pick_of_it(tmp_path: Path) -> None:
    folder = make_team_batch(tmp_path / "b")
    app, _ = _app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c", "2")  # "neg": bob's answer on t0
        await pilot.pause()
        assert "decided t0: bob" in screen_text(app)
    app.session.writer.close()
    [line] = _decisions(folder)
    assert line["decision"] == "pick" and line["chosen"] == ["bob"] and line["value"] == NEG
