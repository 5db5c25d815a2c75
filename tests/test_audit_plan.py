"""Audit assignment: reproducible stratified sampling, plan files, progress."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from pathlib import Path

import orjson
import pytest

from tests.test_audit_support import audit, make_batch, result, write_audits, write_results
from tui.core.audit.plan import (
    PlanError,
    SampleSpec,
    assign_audit,
    load_plan,
    parse_rate,
    plan_progress,
)
from tui.core.problems import BatchError

LABELS = ("pos", "neg", "neu")


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = make_batch(tmp_path / "b")
    records = []
    for annotator in ("anna", "bob", "carl"):
        for i in range(40):
            # pos is common, neu rare (2 of 40): stratification must still find it.
            label = "neu" if i in (7, 23) else ("neg" if i % 3 == 0 else "pos")
            records.append(result(annotator, f"t{i:03d}", {"labels": [label]}))
    # Not auditable: skipped, flagged and undone answers.
    records.append(result("anna", "t100", None, answer="skip"))
    records.append(result("anna", "t101", None, answer="flag"))
    records.append(result("bob", "t000", {"labels": ["neg"]}, revision=2))
    records.append(result("bob", "t001", None, answer="undone", revision=2))
    write_results(folder, records)
    return folder


def test_parse_rate() -> None:
    assert parse_rate("10%") == Fraction(1, 10)
    assert parse_rate("2.5%") == Fraction(1, 40)
    assert parse_rate("0.1") == Fraction(1, 10)
    for bad in ("0%", "120%", "ten", ""):
        with pytest.raises(ValueError, match="--rate"):
            parse_rate(bad)


def test_same_seed_same_plan_different_seed_differs(batch: Path) -> None:
    spec = SampleSpec(rate=Fraction(1, 4))
    first = assign_audit(batch, "dora", spec, seed="42").plan
    again = assign_audit(batch, "dora", spec, seed="42", mode="replace").plan
    other = assign_audit(batch, "dora", spec, seed="43", mode="replace").plan
    assert first.items == again.items
    assert {(i.annotator, i.task_id) for i in other.items} != {
        (i.annotator, i.task_id) for i in first.items
    }


def test_quota_per_annotator_and_strata_cover_every_label(batch: Path) -> None:
    plan = assign_audit(batch, "dora", SampleSpec(rate=Fraction(1, 10)), seed="7").plan
    per = Counter(i.annotator for i in plan.items)
    # anna and carl: 40 auditable, 10% is exactly 4 (not 5 by float rounding);
    # bob: 39 (t001 undone), 10% rounds up to 4.
    assert per == {"anna": 4, "bob": 4, "carl": 4}
    for annotator in ("anna", "bob", "carl"):
        strata = {i.stratum for i in plan.items if i.annotator == annotator}
        assert strata == set(LABELS)


def test_latest_revision_is_planned_and_unauditable_answers_are_not(batch: Path) -> None:
    plan = assign_audit(batch, "dora", SampleSpec(per_annotator=40), seed="1").plan
    keys = {(i.annotator, i.task_id): i for i in plan.items}
    assert ("anna", "t100") not in keys and ("anna", "t101") not in keys
    assert ("bob", "t001") not in keys
    assert keys[("bob", "t000")].revision == 2
    assert len(plan.items) == 40 + 39 + 40


def test_auditor_own_work_is_never_planned(batch: Path) -> None:
    plan = assign_audit(batch, "anna", SampleSpec(per_annotator=100), seed="1").plan
    assert plan.items
    assert all(i.annotator != "anna" for i in plan.items)


def test_only_own_work_is_refused(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    write_results(folder, [result("anna", "t1", {"labels": ["pos"]})])
    with pytest.raises(PlanError, match="own work"):
        assign_audit(folder, "anna", SampleSpec(per_annotator=1))


def test_existing_plan_refused_then_topped_up(batch: Path) -> None:
    first = assign_audit(batch, "dora", SampleSpec(per_annotator=2), seed="1").plan
    with pytest.raises(PlanError, match="--add"):
        assign_audit(batch, "dora", SampleSpec(per_annotator=2), seed="1")
    topped = assign_audit(batch, "dora", SampleSpec(per_annotator=5), seed="2", mode="add")
    assert len(topped.added) == 3 * 3
    assert topped.plan.items[: len(first.items)] == first.items
    keys = [(i.annotator, i.task_id) for i in topped.plan.items]
    assert len(keys) == len(set(keys))
    assert load_plan(batch, "dora").additions[0]["count"] == 9


def test_plan_file_contents(batch: Path) -> None:
    assign_audit(batch, "dora", SampleSpec(rate=Fraction(1, 10)), seed="s1")
    data = orjson.loads((batch / "audits" / "dora.plan.json").read_bytes())
    assert data["seed"] == "s1"
    assert data["parameters"] == {"rate": "1/10", "rate_text": "10%"}
    assert data["created_at"].endswith("Z")
    assert set(data["items"][0]) == {"task_id", "annotator", "revision", "stratum"}


def test_progress_and_next_item(batch: Path) -> None:
    plan = assign_audit(batch, "dora", SampleSpec(per_annotator=1), seed="1").plan
    first, second = plan.items[0], plan.items[1]
    write_audits(
        batch,
        [
            audit("dora", first.annotator, first.task_id, "pass", revision=first.revision),
            # An audit of another revision does not complete the planned one.
            audit("dora", second.annotator, second.task_id, "pass", revision=9),
        ],
    )
    progress = plan_progress(batch, "dora")
    assert (progress.done, progress.total) == (1, 3)
    following = progress.next_item()
    assert following is not None and following.item == second
    assert following.answer is not None and following.answer.task_id == second.task_id
    assert not following.stale


def test_no_results_and_unknown_plan_are_precise(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    with pytest.raises(PlanError, match="no answered items") as caught:
        assign_audit(folder, "dora", SampleSpec(per_annotator=1))
    assert caught.value.problem.file == folder / "results"
    with pytest.raises(PlanError, match="no audit plan for dora") as missing:
        plan_progress(folder, "dora")
    assert "labeldesk audit assign" in str(missing.value)
    with pytest.raises(BatchError, match=r"batch\.toml is missing"):
        assign_audit(tmp_path, "dora", SampleSpec(per_annotator=1))
    with pytest.raises(ValueError, match="file name"):
        assign_audit(folder, "../x", SampleSpec(per_annotator=1))


def test_malformed_plan_names_the_field(batch: Path) -> None:
    path = batch / "audits" / "dora.plan.json"
    path.parent.mkdir()
    path.write_text(
        '{"version": 1, "batch_id": "b1", "auditor": "dora", "seed": "1", '
        '"created_at": "x", "items": [{"task_id": "t1", "annotator": "bob", "revision": 0}]}'
    )
    with pytest.raises(PlanError) as caught:
        load_plan(batch, "dora")
    assert caught.value.problem.field == "items.0.revision"


def test_malformed_results_lines_are_reported_with_file_and_line(batch: Path) -> None:
    with (batch / "results" / "bob.jsonl").open("a") as fh:
        fh.write("{not json\n")
        fh.write('{"task_id": "t9"}\n')
        fh.write('{"task_id": "t1", "batch_id"')
    result_ = assign_audit(batch, "dora", SampleSpec(per_annotator=1), seed="1")
    shown = [str(p) for p in result_.problems]
    path = batch / "results" / "bob.jsonl"
    assert any(s.startswith(f"{path}:43: not valid JSON") for s in shown)
    assert any(s.startswith(f"{path}:44: [annotator] required field is missing") for s in shown)
    assert any(s.startswith(f"{path}:45: the last line is incomplete") for s in shown)
