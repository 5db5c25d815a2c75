"""The audit report and an annotator's own audit summary, on a fixture computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_audit_support import audit, make_batch, result, write_audits, write_results
from tui.core.audit.inputs import task_type_for
from tui.core.audit.report import audit_report, own_audit_summary


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = make_batch(tmp_path / "b")
    write_results(
        folder,
        [
            result("anna", "t1", {"labels": ["pos"]}),
            result("anna", "t2", {"labels": ["neg"]}),
            result("anna", "t3", {"labels": ["pos"]}, gold_correct=True),
            result("anna", "t4", {"labels": ["neu"]}, gold_correct=False),
            result("bob", "t1", {"labels": ["pos"]}),
            result("bob", "t2", {"labels": ["pos"]}, gold_correct=True),
        ],
    )
    write_audits(
        folder,
        [
            audit("dora", "anna", "t1", "pass", original={"labels": ["pos"]}),
            audit(
                "dora",
                "anna",
                "t2",
                "fail",
                errors=("wrong_label",),
                comment="should be pos",
                minute=2,
            ),
            audit(
                "dora",
                "anna",
                "t3",
                "corrected",
                errors=("wrong_label", "typo"),
                original={"labels": ["pos"]},
                corrected={"labels": ["neg"]},
                minute=3,
            ),
            audit("dora", "bob", "t1", "pass"),
            # dora changed her mind on bob/t2: the latest line wins.
            audit("dora", "bob", "t2", "fail", errors=("other",)),
            audit("dora", "bob", "t2", "pass"),
            audit("erik", "anna", "t1", "fail", errors=("guideline_violation",), minute=1),
        ],
    )
    return folder


def test_report_figures(batch: Path) -> None:
    report = audit_report([batch])
    assert (report.overall.audited, report.overall.passed) == (6, 3)
    assert report.overall.rate == pytest.approx(0.5)
    rates = {k: (v.audited, v.passed) for k, v in report.per_annotator.items()}
    assert rates == {"anna": (4, 1), "bob": (2, 2)}
    assert {k: (v.audited, v.passed) for k, v in report.per_label.items()} == {
        "pos": (5, 3),
        "neg": (1, 0),
    }
    assert {k: (v.audited, v.passed) for k, v in report.per_auditor.items()} == {
        "dora": (5, 3),
        "erik": (1, 0),
    }
    assert report.per_task_type["classify"].audited == 6
    assert report.error_counts == {"wrong_label": 2, "typo": 1, "guideline_violation": 1}
    assert report.errors_per_annotator == {
        "anna": {"wrong_label": 2, "typo": 1, "guideline_violation": 1}
    }
    assert report.confusion == {("pos", "neg"): 1}
    assert [(e.task_id, e.comment) for e in report.examples["wrong_label"]] == [
        ("t2", "should be pos"),
        ("t3", ""),
    ]
    assert {k: (v.audited, v.passed) for k, v in report.gold.items()} == {
        "anna": (2, 1),
        "bob": (1, 1),
    }
    assert report.stale == 0 and report.problems == []
    data = report.to_json_dict()
    assert data["confusion"] == [{"original": "pos", "corrected": "neg", "count": 1}]


def test_audit_of_a_changed_answer_is_stale(batch: Path) -> None:
    write_results(batch, [result("bob", "t1", {"labels": ["neg"]}, revision=2)])
    assert audit_report([batch]).stale == 1


def test_own_audit_summary(batch: Path) -> None:
    own = own_audit_summary(batch, "anna")
    assert (own.counts.audited, own.counts.passed) == (4, 1)
    assert own.pass_rate == pytest.approx(0.25)
    assert own.error_counts == {"wrong_label": 2, "typo": 1, "guideline_violation": 1}
    assert [(f.task_id, f.verdict, f.auditor) for f in own.findings] == [
        ("t3", "corrected", "dora"),
        ("t2", "fail", "dora"),
        ("t1", "fail", "erik"),
    ]
    # Summaries are the task type's own words for a value.
    assert own.findings[0].corrected == task_type_for("classify").summarize({"labels": ["neg"]})
    assert own_audit_summary(batch, "carl").pass_rate is None


def test_malformed_audit_lines_are_reported_and_skipped(batch: Path) -> None:
    path = batch / "audits" / "erik.jsonl"
    with path.open("a") as fh:
        fh.write("[1, 2]\n")
        fh.write('{"task_id": "t2", "batch_id": "b1", "verdict": "maybe"}\n')
    report = audit_report([batch])
    shown = [str(p) for p in report.problems]
    assert f"{path}:2: expected a JSON object, got list" in shown
    assert any(s.startswith(f"{path}:3: [verdict]") for s in shown)
    assert report.overall.audited == 6
