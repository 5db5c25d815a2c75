"""Writing audit lines: validation rules, durable appends, reading back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_audit_support import T0, make_batch, result
from tui.core.audit.inputs import load_audits, read_batch_info
from tui.core.audit.writer import AuditInputError, AuditWriter
from tui.core.jsonl_store import StoreLockedError

TIMING: dict[str, Any] = {
    "session_id": "s1",
    "started_at": T0,
    "submitted_at": T0,
    "active_ms": 2500,
    "keys": 3,
}


def test_appended_audits_read_back(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    answer = result("anna", "t1", {"labels": ["pos"]})
    with AuditWriter(folder, "dora") as writer:
        writer.record(answer, verdict="pass", **TIMING)
        writer.record(
            answer,
            verdict="corrected",
            errors=["wrong_label", "wrong_label"],
            corrected_value={"labels": ["neg"]},
            comment=" negative in the last sentence ",
            **TIMING,
        )
    audits = load_audits(read_batch_info(folder))
    assert audits.problems == []
    latest = audits.latest[("dora", "anna", "t1")]
    assert latest.verdict == "corrected"
    assert latest.errors == ["wrong_label"]
    assert latest.original_value == {"labels": ["pos"]}
    assert latest.corrected_value == {"labels": ["neg"]}
    assert latest.comment == "negative in the last sentence"
    assert (latest.active_ms, latest.keys, latest.revision) == (2500, 3, 1)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"verdict": "fail"}, "errors", "needs at least one error category"),
        (
            {"verdict": "corrected", "corrected_value": {"labels": ["neg"]}},
            "errors",
            "at least one",
        ),
        ({"verdict": "fail", "errors": ["nope"]}, "errors", "unknown error category 'nope'"),
        ({"verdict": "pass", "errors": ["typo"]}, "errors", "a pass carries no error"),
        ({"verdict": "ok"}, "verdict", "unknown verdict 'ok'"),
        ({"verdict": "corrected", "errors": ["typo"]}, "corrected_value", "needs the corrected"),
        (
            {"verdict": "corrected", "errors": ["typo"], "corrected_value": {"labels": ["pos"]}},
            "corrected_value",
            "equals the original",
        ),
        (
            {"verdict": "fail", "errors": ["typo"], "corrected_value": {"labels": ["neg"]}},
            "verdict",
            "a fail carries no correction",
        ),
    ],
)
def test_bad_audits_are_refused_precisely(
    tmp_path: Path, kwargs: dict[str, Any], field: str, message: str
) -> None:
    folder = make_batch(tmp_path / "b")
    with AuditWriter(folder, "dora") as writer:
        with pytest.raises(AuditInputError, match=message) as caught:
            writer.record(result("anna", "t1", {"labels": ["pos"]}), **kwargs, **TIMING)
        assert caught.value.field == field
    assert not (folder / "audits" / "dora.jsonl").read_bytes()


def test_own_work_and_unauditable_answers_are_refused(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    with AuditWriter(folder, "anna") as writer:
        with pytest.raises(AuditInputError, match="own work"):
            writer.record(result("anna", "t1", {"labels": ["pos"]}), verdict="pass", **TIMING)
        with pytest.raises(AuditInputError, match="'skip' answer is not auditable"):
            writer.record(result("bob", "t1", None, answer="skip"), verdict="pass", **TIMING)


def test_batch_error_categories_replace_the_defaults(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", categories=("tone", "facts"))
    with AuditWriter(folder, "dora") as writer:
        writer.record(
            result("anna", "t1", {"labels": ["pos"]}), verdict="fail", errors=["facts"], **TIMING
        )
        with pytest.raises(AuditInputError, match="this batch's categories: tone, facts"):
            writer.record(
                result("anna", "t1", {"labels": ["pos"]}), verdict="fail", errors=["typo"], **TIMING
            )


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    with AuditWriter(folder, "dora"), pytest.raises(StoreLockedError):
        AuditWriter(folder, "dora").open()
