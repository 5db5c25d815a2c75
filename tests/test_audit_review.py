"""The audit review screen through Pilot: every verdict path, refusals, navigation, stale
items, the end of the plan, and what the audit lines hold."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import orjson
import pytest
from textual.app import App

from tests.batch_factory import make_batch, read_results
from tests.screen_text import screen_text as _screen_text
from tests.test_audit_support import result, write_results
from tui.app_launch import AuditLaunchError, make_audit_app, open_audit, prepare_audit
from tui.audit_app import AuditApp
from tui.core.active_clock import ActiveClock
from tui.core.audit import SampleSpec, assign_audit
from tui.screens.audit_review import AuditReviewScreen, ErrorsScreen

TASKS = [{"id": f"t{i}", "text": f"Recensie {i}: het product is prima."} for i in range(4)]
CATEGORIES = ["wrong_label", "guideline_violation", "typo"]


def screen_text(app: App[Any]) -> str:
    return _screen_text(cast("App[object]", app))


def _batch(tmp_path: Path, *, plan: bool = True, **kw: Any) -> Path:
    extra = "[audit]\nerror_categories = " + str(CATEGORIES).replace("'", '"') + "\n"
    folder = make_batch(tmp_path / "b", TASKS, id="b1", extra=extra, **kw)
    write_results(
        folder,
        [
            result("anna", "t0", {"labels": ["pos"]}),
            result("anna", "t1", {"labels": ["neg"]}),
            result("bob", "t2", {"labels": ["neu"]}),
            result("bob", "t3", {"labels": ["pos"]}),
        ],
    )
    if plan:
        assign_audit(folder, "qa", SampleSpec(per_annotator=2), seed="1")
    return folder


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _app(folder: Path) -> tuple[AuditApp, FakeTime]:
    app = make_audit_app(folder, "qa")
    fake = FakeTime()
    app.session.clock = ActiveClock(30.0, now=fake)
    return app, fake


def _audits(folder: Path) -> list[dict[str, Any]]:
    path = folder / "audits" / "qa.jsonl"
    return read_results(path) if path.exists() else []


def _screen(app: AuditApp) -> AuditReviewScreen:
    screen = app.screen
    assert isinstance(screen, AuditReviewScreen)
    return screen


async def test_pass_writes_a_timed_line_and_moves_on(tmp_path: Path) -> None:
    folder = _batch(tmp_path)
    app, fake = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = app.session
        first = s.current()
        assert first is not None and s.position == 0
        text = screen_text(app)
        assert "item 1 of 4" in text and "0 of 4 done" in text
        assert f"by {first.item.annotator}" in text and "revision 1" in text
        assert "answer: " in text and first.item.task_id in text
        assert "Recensie" in text  # the classify view shows the task itself
        fake.t += 2.5
        await pilot.press("p")
        await pilot.pause()
        assert s.position == 1
        text = screen_text(app)
        assert "item 2 of 4" in text and "1 of 4 done (1 pass" in text
        assert f"pass saved for {first.item.task_id}" in text
    app.session.writer.close()
    [line] = _audits(folder)
    assert line["task_id"] == first.item.task_id
    assert line["annotator"] == first.item.annotator
    assert line["auditor"] == "qa" and line["revision"] == 1
    assert line["verdict"] == "pass" and line["errors"] == []
    assert line["corrected_value"] is None and line["comment"] == ""
    assert line["active_ms"] == 2500 and line["keys"] == 1
    assert line["session_id"] == app.session.session_id and line["app_version"]
    started = datetime.fromisoformat(line["started_at"])
    assert started <= datetime.fromisoformat(line["submitted_at"])


async def test_fail_with_categories_and_comment(tmp_path: Path) -> None:
    folder = _batch(tmp_path)
    app, fake = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        first = app.session.current()
        assert first is not None
        await pilot.press("f")
        assert isinstance(app.screen, ErrorsScreen)
        assert "wrong_label" in screen_text(app) and "typo" in screen_text(app)
        await pilot.press("1", "3", "2", "2", "tab", *"zie", "space", *"regel", "space", "4")
        fake.t += 4.0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditReviewScreen)
        assert "fail saved" in screen_text(app)
    app.session.writer.close()
    [line] = _audits(folder)
    assert (line["task_id"], line["annotator"]) == (first.item.task_id, first.item.annotator)
    assert line["verdict"] == "fail"
    assert line["errors"] == ["wrong_label", "typo"]  # 2 toggled on and off again
    assert line["comment"] == "zie regel 4"
    assert line["corrected_value"] is None
    assert line["original_value"] == first.answer.value  # type: ignore[union-attr]
    assert line["active_ms"] == 4000
    assert line["keys"] == 1 + 4 + 1 + 11 + 1  # f, four toggles, tab, the comment, enter


async def test_fail_without_a_category_is_refused(tmp_path: Path) -> None:
    folder = _batch(tmp_path)
    app, _ = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        assert "choose at least one error category" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AuditReviewScreen)
        assert "fail not recorded (cancelled)" in screen_text(app)
        assert app.session.position == 0 and app.session.done == 0
    app.session.writer.close()
    assert _audits(folder) == []


async def test_correct_in_the_classify_view(tmp_path: Path) -> None:
    folder = _batch(tmp_path)
    app, fake = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        first = app.session.current()
        assert first is not None and first.answer is not None
        original = first.answer.value["labels"][0]  # type: ignore[index]
        labels = ["pos", "neg", "neu"]
        same_key = str(labels.index(original) + 1)
        other = next(label for label in labels if label != original)
        other_key = str(labels.index(other) + 1)
        await pilot.press("c")
        screen = _screen(app)
        assert screen.mode == "correct" and screen.view is not None
        assert screen.view.ctx.mode == "correct"
        assert screen.view.ctx.previous == {"labels": [original]}
        await pilot.press("f")  # a verdict key is refused while correcting
        assert "finish the correction" in screen_text(app)
        await pilot.press(same_key)  # the annotator's own answer is no correction
        await pilot.pause()
        assert "that is the annotator's answer" in screen_text(app)
        assert isinstance(app.screen, AuditReviewScreen)
        fake.t += 3.0
        await pilot.press(other_key)
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        await pilot.press("1", "tab", *"sarcasme", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditReviewScreen)
        assert "corrected saved" in screen_text(app)
    app.session.writer.close()
    [line] = _audits(folder)
    assert line["task_id"] == first.item.task_id and line["revision"] == 1
    assert line["annotator"] == first.item.annotator
    assert line["verdict"] == "corrected"
    assert line["errors"] == ["wrong_label"]
    assert line["corrected_value"] == {"labels": [other]}
    assert line["original_value"] == {"labels": [original]}
    assert line["comment"] == "sarcasme"
    assert line["active_ms"] == 3000


async def test_correction_can_be_cancelled(tmp_path: Path) -> None:
    folder = _batch(tmp_path)
    app, _ = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "escape")
        screen = _screen(app)
        assert screen.mode == "review" and screen.view is not None
        assert screen.view.ctx.mode == "review"
        assert "correction cancelled" in screen_text(app)
        await pilot.press("enter")  # no verdict on enter in review mode
        assert "choose a verdict" in screen_text(app)
    app.session.writer.close()
    assert _audits(folder) == []


async def test_back_next_skip_and_the_end(tmp_path: Path) -> None:
    folder = _batch(tmp_path)
    app, _ = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        s = app.session
        await pilot.press("pageup")
        assert "this is the first planned item" in screen_text(app)
        await pilot.press("pagedown", "pagedown")
        assert s.position == 2 and "item 3 of 4" in screen_text(app)
        await pilot.press("left_square_bracket")
        assert s.position == 1
        await pilot.press("p")  # item 2 passes; the next open one after it is item 3
        assert s.position == 2
        await pilot.press("space")  # skip item 3: item 4 is next
        assert s.position == 3 and "skipped" in screen_text(app)
        await pilot.press("p")  # wraps round to item 1, still open
        assert s.position == 0
        await pilot.press("p", "p")
        await pilot.pause()
        assert s.finished
        text = screen_text(app)
        assert "All 4 planned items are audited: 4 pass" in text
        assert "all done" in text
        await pilot.press("pageup")  # back from the end to the last item, marked done
        assert s.position == 3
        assert "audited: pass" in screen_text(app)
    app.session.writer.close()
    lines = _audits(folder)
    assert len(lines) == 4
    assert len({(x["task_id"], x["annotator"]) for x in lines}) == 4


async def test_stale_item_is_marked(tmp_path: Path) -> None:
    folder = _batch(tmp_path)
    from tui.core.audit import load_plan

    planned = load_plan(folder, "qa").items[0]
    write_results(
        folder,
        [result(planned.annotator, planned.task_id, {"labels": ["neu", "pos"]}, revision=2)],
    )
    app, _ = _app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "STALE" in text and "now revision 2" in text
        await pilot.press("p")  # the verdict is on the planned revision
        await pilot.pause()
        assert "STALE" not in screen_text(app)  # the next item is current
    app.session.writer.close()
    [line] = _audits(folder)
    assert (line["task_id"], line["revision"]) == (planned.task_id, 1)


async def test_binary_view_in_review_shows_the_answer(tmp_path: Path) -> None:
    tasks = [{"id": "b0", "text": "jij bent dom", "label": "INSULT"}]
    folder = make_batch(tmp_path / "b", tasks, task_type="binary", task={}, id="b1")
    value = {"label": "INSULT", "accept": False}
    write_results(folder, [result("anna", "b0", value, answer="reject", task_type="binary")])
    assign_audit(folder, "qa", SampleSpec(per_annotator=1), seed="1")
    app, _ = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "the annotator's answer: rejected" in screen_text(app)
        await pilot.press("x")  # the view's own keys do nothing in review mode
        assert app.session.done == 0
        await pilot.press("c", "a")  # correct: accept instead
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.session.finished
    app.session.writer.close()
    [line] = _audits(folder)
    assert line["corrected_value"] == {"label": "INSULT", "accept": True}


def test_launch_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _batch(tmp_path, plan=False)
    with pytest.raises(AuditLaunchError, match=r"qa\.plan\.json"):
        prepare_audit(folder, "qa")
    assert open_audit(folder, "qa") == 2
    err = capsys.readouterr().err
    assert "qa.plan.json" in err and "Traceback" not in err
    assert open_audit(tmp_path / "nope", "qa") == 2
    assert "no such batch folder" in capsys.readouterr().err
    assign_audit(folder, "qa", SampleSpec(per_annotator=1), seed="1")
    session, _ = prepare_audit(folder, "qa")
    try:
        assert open_audit(folder, "qa") == 2
        assert "already open for writing by another labeldesk" in capsys.readouterr().err
    finally:
        session.writer.close()


def test_audit_keys_can_be_overridden_by_the_user(tmp_path: Path) -> None:
    folder = _batch(tmp_path)
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "keymap.toml").write_text('[audit]\npass = "y"\n', encoding="utf-8")
    session, problems = prepare_audit(folder, "qa")
    session.writer.close()
    assert session.keymap.keys_for("audit.pass") == ["y"]
    assert session.keymap.lookup(["y"], ("audit", "app")) == "audit.pass"
    assert session.keymap.lookup(["f"], ("audit", "app")) == "audit.fail"
    assert not [p for p in problems if "audit." in (p.field or "")]


async def test_a_task_beyond_the_first_indexed_lines_is_found_in_a_worker(
    tmp_path: Path,
) -> None:
    tasks = [{"id": f"t{i}", "text": f"Tekst {i}"} for i in range(600)]
    folder = make_batch(tmp_path / "b", tasks, id="b1")
    write_results(folder, [result("anna", "t599", {"labels": ["pos"]})])
    assign_audit(folder, "qa", SampleSpec(per_annotator=1), seed="1")
    app, _ = _app(folder)
    assert not app.session.located_all  # only the first lines were indexed on open
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.task_index == {"t599": 599}
        assert "Tekst 599" in screen_text(app)
    app.session.writer.close()


async def test_a_planned_task_missing_from_tasks_jsonl_can_still_be_judged(
    tmp_path: Path,
) -> None:
    folder = _batch(tmp_path)
    (folder / "tasks.jsonl").write_text('{"id": "other", "text": "x"}\n', encoding="utf-8")
    app, _ = _app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "is not in tasks.jsonl" in screen_text(app)
        await pilot.press("c")
        assert "cannot correct here" in screen_text(app)
        await pilot.press("p")
        assert app.session.done == 1
    app.session.writer.close()


async def test_an_unchanged_rate_answer_is_no_correction(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import SAMPLES

    folder = tmp_path / "rate"
    shutil.copytree(SAMPLES / "rate-en", folder, ignore=shutil.ignore_patterns("results", "audits"))
    batch_id = tomllib.loads((folder / "batch.toml").read_text("utf-8"))["id"]
    task_id = orjson.loads((folder / "tasks.jsonl").read_bytes().splitlines()[1])["id"]
    value = {"ratings": {"helpfulness": 4, "correctness": 5}, "target": 1}
    answer = result("anna", task_id, value, task_type="rate")
    write_results(folder, [answer.model_copy(update={"batch_id": batch_id})])
    assign_audit(folder, "qa", SampleSpec(per_annotator=1), seed="1")
    app, _ = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert _screen(app).mode == "correct"
        await pilot.press("enter")  # the view adds note="" — still the annotator's answer
        await pilot.pause()
        assert "that is the annotator's answer" in screen_text(app)
        assert isinstance(app.screen, AuditReviewScreen)
    app.session.writer.close()
    assert _audits(folder) == []


async def test_an_answer_given_with_a_flag_is_audited_and_shows_the_flag(tmp_path: Path) -> None:
    """A flag goes with the answer (issue 9, point 6): the flagged accept is still a decision,
    drawn for the audit like any other, and the reviewer sees the flag and its note."""
    from tui.core.records import Flag

    folder = make_batch(tmp_path / "b", TASKS[:1], id="b1")
    flagged = result("anna", "t0", {"labels": ["pos"]}).model_copy(
        update={"flag": Flag(reason="guidelines", note="regel 3 is onduidelijk")}
    )
    write_results(folder, [flagged])
    assign_audit(folder, "qa", SampleSpec(per_annotator=1), seed="1")
    app, _ = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        current = app.session.current()
        assert current is not None and current.item.task_id == "t0"
        flat = " ".join(screen_text(app).split())
        assert "flag: guidelines — regel 3 is onduidelijk" in flat
    app.session.writer.close()
