"""Builders for the audit tests' batch folders (no tests here)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from tui.core.records import AuditRecord, ResultRecord

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def make_batch(
    folder: Path,
    *,
    task_type: str = "classify",
    labels: tuple[str, ...] = ("pos", "neg", "neu"),
    categories: tuple[str, ...] | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ['id = "b1"', f'task_type = "{task_type}"', "[task]", f"labels = {list(labels)!r}"]
    if categories is not None:
        lines += ["[audit]", f"error_categories = {list(categories)!r}"]
    (folder / "batch.toml").write_text("\n".join(lines).replace("'", '"') + "\n", "utf-8")
    (folder / "tasks.jsonl").write_text('{"id": "t1", "text": "x"}\n', "utf-8")
    return folder


def result(
    annotator: str,
    task_id: str,
    value: dict[str, Any] | None,
    *,
    answer: str = "accept",
    revision: int = 1,
    task_type: str = "classify",
    gold_correct: bool | None = None,
) -> ResultRecord:
    return ResultRecord(
        task_id=task_id,
        batch_id="b1",
        annotator=annotator,
        task_type=task_type,
        answer=answer,  # type: ignore[arg-type]
        value=value,
        session_id="s",
        started_at=T0,
        submitted_at=T0,
        active_ms=1000,
        revision=revision,
        gold_correct=gold_correct,
    )


def write_results(folder: Path, records: list[ResultRecord]) -> None:
    (folder / "results").mkdir(exist_ok=True)
    for record in records:
        path = folder / "results" / f"{record.annotator}.jsonl"
        with path.open("ab") as fh:
            fh.write(orjson.dumps(record.to_json_dict()) + b"\n")


def audit(
    auditor: str,
    annotator: str,
    task_id: str,
    verdict: str,
    *,
    errors: tuple[str, ...] = (),
    original: dict[str, Any] | None = None,
    corrected: dict[str, Any] | None = None,
    comment: str = "",
    revision: int = 1,
    minute: int = 0,
) -> AuditRecord:
    return AuditRecord(
        task_id=task_id,
        batch_id="b1",
        auditor=auditor,
        annotator=annotator,
        revision=revision,
        task_type="classify",
        verdict=verdict,  # type: ignore[arg-type]
        errors=list(errors),
        original_value=original,
        corrected_value=corrected,
        comment=comment,
        session_id="s",
        started_at=T0,
        submitted_at=T0.replace(minute=minute),
        active_ms=500,
    )


def write_audits(folder: Path, records: list[AuditRecord]) -> None:
    (folder / "audits").mkdir(exist_ok=True)
    for record in records:
        path = folder / "audits" / f"{record.auditor}.jsonl"
        with path.open("ab") as fh:
            fh.write(orjson.dumps(record.to_json_dict()) + b"\n")
