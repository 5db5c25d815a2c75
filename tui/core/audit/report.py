"""Audit reports: error patterns per annotator, label and task type, for QA leads; and the
audits of one annotator's own work, for the annotator.

An audit counts once per (auditor, annotator, task): an auditor's latest line wins. Two
auditors auditing the same item count twice (two judgements). An audit of a revision the
annotator has since changed still counts — it judged what was there — and is counted as
`stale` so a reader knows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.audit.inputs import (
    NO_LABEL,
    Answers,
    label_key,
    load_answers,
    load_audits,
    read_batch_info,
    task_type_for,
)
from tui.core.problems import Problem
from tui.core.records import AuditRecord


@dataclass
class PassCount:
    audited: int = 0
    passed: int = 0

    @property
    def rate(self) -> float | None:
        return self.passed / self.audited if self.audited else None

    def add(self, passed: bool) -> None:
        self.audited += 1
        self.passed += int(passed)

    def to_json_dict(self) -> dict[str, Any]:
        return {"audited": self.audited, "passed": self.passed, "rate": self.rate}


@dataclass(frozen=True)
class AuditedItem:
    """One audit as a reader sees it: who, what, the verdict and the answers summarized."""

    batch_id: str
    task_id: str
    annotator: str
    auditor: str
    revision: int
    verdict: str
    errors: tuple[str, ...]
    comment: str
    original: str
    corrected: str | None
    current: bool  # the audited revision is still the annotator's latest answer

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "task_id": self.task_id,
            "annotator": self.annotator,
            "auditor": self.auditor,
            "revision": self.revision,
            "verdict": self.verdict,
            "errors": list(self.errors),
            "comment": self.comment,
            "original": self.original,
            "corrected": self.corrected,
            "current": self.current,
        }


def _original(audit: AuditRecord, answers: Answers) -> tuple[str, dict[str, Any] | None]:
    """The audited answer's kind and value: from the audit line, else the results line."""
    seen = answers.at_revision(audit.annotator, audit.task_id, audit.revision)
    answer = seen.answer if seen is not None else "accept"
    if audit.original_value is not None:
        return answer, audit.original_value
    return answer, seen.value if seen is not None else None


def _labels(task_type: str, value: dict[str, Any] | None) -> list[str]:
    return task_type_for(task_type).labels_of(value)


def _audited_item(audit: AuditRecord, answers: Answers) -> AuditedItem:
    task_type = task_type_for(audit.task_type)
    _, original = _original(audit, answers)
    corrected: str | None = None
    if audit.verdict == "corrected":
        value = audit.corrected_value if audit.corrected_value is not None else original
        corrected = task_type.summarize(value)
    current = answers.latest.get((audit.annotator, audit.task_id))
    return AuditedItem(
        batch_id=audit.batch_id,
        task_id=audit.task_id,
        annotator=audit.annotator,
        auditor=audit.auditor,
        revision=audit.revision,
        verdict=audit.verdict,
        errors=tuple(audit.errors),
        comment=audit.comment,
        original=task_type.summarize(original),
        corrected=corrected,
        current=current is not None and current.revision == audit.revision,
    )


@dataclass
class AuditReport:
    batch_ids: list[str]
    overall: PassCount = field(default_factory=PassCount)
    per_annotator: dict[str, PassCount] = field(default_factory=dict)
    per_auditor: dict[str, PassCount] = field(default_factory=dict)
    per_label: dict[str, PassCount] = field(default_factory=dict)
    per_task_type: dict[str, PassCount] = field(default_factory=dict)
    error_counts: dict[str, int] = field(default_factory=dict)
    errors_per_annotator: dict[str, dict[str, int]] = field(default_factory=dict)
    # (original label key, corrected label key) -> count, over corrected verdicts.
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    examples: dict[str, list[AuditedItem]] = field(default_factory=dict)
    # Gold accuracy per annotator from the latest results lines carrying gold_correct.
    gold: dict[str, PassCount] = field(default_factory=dict)
    stale: int = 0
    problems: list[Problem] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        def table(counts: dict[str, PassCount]) -> dict[str, Any]:
            return {k: v.to_json_dict() for k, v in sorted(counts.items())}

        return {
            "batches": self.batch_ids,
            "overall": self.overall.to_json_dict(),
            "per_annotator": table(self.per_annotator),
            "per_auditor": table(self.per_auditor),
            "per_label": table(self.per_label),
            "per_task_type": table(self.per_task_type),
            "error_counts": dict(sorted(self.error_counts.items())),
            "errors_per_annotator": {
                k: dict(sorted(v.items())) for k, v in sorted(self.errors_per_annotator.items())
            },
            "confusion": [
                {"original": o, "corrected": c, "count": n}
                for (o, c), n in sorted(self.confusion.items())
            ],
            "examples": {
                k: [e.to_json_dict() for e in v] for k, v in sorted(self.examples.items())
            },
            "gold": table(self.gold),
            "stale_audits": self.stale,
            "problems": [str(p) for p in self.problems],
        }


def audit_report(batch_folders: Sequence[Path], *, examples_per_category: int = 3) -> AuditReport:
    """The QA report over one or more batches (raises BatchError if a batch.toml is bad)."""
    batches = [read_batch_info(folder) for folder in batch_folders]
    report = AuditReport(batch_ids=[b.id for b in batches])
    errors_per_annotator: dict[str, Counter[str]] = defaultdict(Counter)
    error_counts: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for batch in batches:
        answers = load_answers(batch)
        audits = load_audits(batch)
        report.problems.extend(answers.problems + audits.problems)
        for record in answers.latest.values():
            if record.gold_correct is not None:
                report.gold.setdefault(record.annotator, PassCount()).add(record.gold_correct)
        for key in sorted(audits.latest):
            audit = audits.latest[key]
            passed = audit.verdict == "pass"
            answer, original = _original(audit, answers)
            labels = _labels(audit.task_type, original) or [NO_LABEL]
            report.overall.add(passed)
            report.per_annotator.setdefault(audit.annotator, PassCount()).add(passed)
            report.per_auditor.setdefault(audit.auditor, PassCount()).add(passed)
            report.per_task_type.setdefault(audit.task_type, PassCount()).add(passed)
            for label in dict.fromkeys(labels):
                report.per_label.setdefault(label, PassCount()).add(passed)
            error_counts.update(audit.errors)
            errors_per_annotator[audit.annotator].update(audit.errors)
            item = _audited_item(audit, answers)
            report.stale += int(not item.current)
            for category in audit.errors:
                shown = report.examples.setdefault(category, [])
                if len(shown) < examples_per_category:
                    shown.append(item)
            if audit.verdict == "corrected":
                new_value = audit.corrected_value if audit.corrected_value is not None else original
                before = label_key(_labels(audit.task_type, original), answer)
                after = label_key(_labels(audit.task_type, new_value), answer)
                confusion[(before, after)] += 1
    report.error_counts = dict(error_counts)
    report.errors_per_annotator = {k: dict(v) for k, v in errors_per_annotator.items() if v}
    report.confusion = dict(confusion)
    return report


@dataclass
class OwnAuditSummary:
    """The audits of one annotator's work, for their own view."""

    annotator: str
    counts: PassCount
    error_counts: dict[str, int]
    # Failed and corrected items, newest audit first.
    findings: list[AuditedItem]
    problems: list[Problem]

    @property
    def pass_rate(self) -> float | None:
        return self.counts.rate

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "annotator": self.annotator,
            **self.counts.to_json_dict(),
            "error_counts": dict(sorted(self.error_counts.items())),
            "findings": [f.to_json_dict() for f in self.findings],
            "problems": [str(p) for p in self.problems],
        }


def own_audit_summary(batch_folder: Path, annotator: str) -> OwnAuditSummary:
    """Pass rate, error counts and every failed or corrected item of `annotator`'s work."""
    batch = read_batch_info(batch_folder)
    answers = load_answers(batch)
    audits = load_audits(batch)
    counts = PassCount()
    errors: Counter[str] = Counter()
    findings: list[tuple[str, AuditedItem]] = []
    for audit in audits.latest.values():
        if audit.annotator != annotator:
            continue
        counts.add(audit.verdict == "pass")
        errors.update(audit.errors)
        if audit.verdict != "pass":
            stamp = audit.submitted_at.isoformat()
            findings.append((stamp, _audited_item(audit, answers)))
    findings.sort(key=lambda pair: (pair[0], pair[1].task_id), reverse=True)
    return OwnAuditSummary(
        annotator=annotator,
        counts=counts,
        error_counts=dict(errors),
        findings=[item for _, item in findings],
        problems=answers.problems + audits.problems,
    )
