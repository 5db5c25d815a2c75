"""Writing audit lines: validated AuditRecords appended durably to audits/<auditor>.jsonl.

Rules enforced before anything is written, each with a message that says what to do:
- an auditor never audits their own work;
- pass carries no error categories and no correction (a remark goes in the comment);
- fail and corrected carry at least one of the batch's error categories;
- corrected carries a corrected value that differs from the original and, when the task
  type is installed, is a valid answer of that type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from tui.core.audit.inputs import BatchInfo, check_person_name, read_batch_info, task_type_for
from tui.core.i18n import _, ngettext
from tui.core.jsonl_store import AppendOnlyJsonl
from tui.core.problems import Problem, pydantic_problems
from tui.core.records import AuditRecord, ResultRecord, Verdict, verdict_name

VERDICTS: tuple[str, ...] = get_args(Verdict)


class AuditInputError(ValueError):
    """An audit cannot be recorded as given; `field` names the offending part."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def build_audit_record(
    batch: BatchInfo,
    auditor: str,
    answer: ResultRecord,
    *,
    verdict: str,
    errors: Sequence[str] = (),
    corrected_value: Mapping[str, Any] | None = None,
    comment: str = "",
    session_id: str,
    started_at: datetime,
    submitted_at: datetime,
    active_ms: int,
    keys: int = 0,
    app_version: str = "",
) -> AuditRecord:
    """Check an auditor's judgement of `answer` and build its line (nothing is written)."""
    check_person_name(auditor, "auditor")
    if answer.annotator == auditor:
        raise AuditInputError(_("auditors never audit their own work"), "annotator")
    if answer.answer not in ("accept", "reject"):
        raise AuditInputError(
            _("a {answer!r} answer is not auditable: only accept and reject answers are").format(
                answer=answer.answer
            ),
            "answer",
        )
    if verdict not in VERDICTS:
        raise AuditInputError(
            _("unknown verdict {verdict!r}; expected one of: {choices}").format(
                verdict=verdict, choices=", ".join(VERDICTS)
            ),
            "verdict",
        )
    chosen = list(dict.fromkeys(errors))
    unknown = [e for e in chosen if e not in batch.error_categories]
    if unknown:
        raise AuditInputError(
            ngettext(
                "unknown error category {unknown}; this batch's categories: {categories}",
                "unknown error categories {unknown}; this batch's categories: {categories}",
                len(unknown),
            ).format(
                unknown=", ".join(repr(e) for e in unknown),
                categories=", ".join(batch.error_categories),
            ),
            "errors",
        )
    has_correction = corrected_value is not None
    if verdict == "pass":
        if chosen:
            raise AuditInputError(
                _(
                    "a pass carries no error categories; choose fail or corrected, or put a "
                    "remark in the comment"
                ),
                "errors",
            )
        if has_correction:
            raise AuditInputError(_("a pass carries no correction; choose corrected"), "verdict")
    else:
        if not chosen:
            raise AuditInputError(
                _("a {verdict} verdict needs at least one error category ({categories})").format(
                    verdict=verdict_name(verdict), categories=", ".join(batch.error_categories)
                ),
                "errors",
            )
        if verdict == "fail" and has_correction:
            raise AuditInputError(
                _("a fail carries no correction; choose corrected to record the right answer"),
                "verdict",
            )
        if verdict == "corrected":
            _check_correction(answer, corrected_value)
    try:
        return AuditRecord(
            task_id=answer.task_id,
            batch_id=batch.id,
            auditor=auditor,
            annotator=answer.annotator,
            revision=answer.revision,
            task_type=answer.task_type,
            verdict=verdict,
            errors=chosen,
            original_value=answer.value,
            corrected_value=dict(corrected_value) if corrected_value is not None else None,
            comment=comment.strip(),
            session_id=session_id,
            started_at=started_at,
            submitted_at=submitted_at,
            active_ms=active_ms,
            keys=keys,
            app_version=app_version,
        )
    except ValidationError as exc:
        first = pydantic_problems(exc, "audit")[0]
        raise AuditInputError(first.message, first.field) from None


def _check_correction(answer: ResultRecord, corrected_value: Mapping[str, Any] | None) -> None:
    if corrected_value is None:
        raise AuditInputError(_("a corrected verdict needs the corrected value"), "corrected_value")
    from tui.core.task_registry import task_type_names

    if answer.task_type in task_type_names():
        try:
            task_type_for(answer.task_type).parse_answer(corrected_value)
        except ValidationError as exc:
            first = pydantic_problems(exc, "corrected_value", prefix="corrected_value.")[0]
            raise AuditInputError(
                _("the corrected value is not a valid {task_type} answer: {why}").format(
                    task_type=answer.task_type, why=first.message
                ),
                first.field,
            ) from None
    if dict(corrected_value) == (answer.value or {}):
        raise AuditInputError(
            _("the correction equals the original answer; choose pass, or change the answer"),
            "corrected_value",
        )


class AuditWriter:
    """Holds audits/<auditor>.jsonl open (and locked) for a review session.

    `open()` returns the problems found in the existing file (a torn last line is moved aside
    by the store and reported). `record()` validates, appends and fsyncs one line.
    """

    def __init__(self, batch_folder: Path, auditor: str, batch: BatchInfo | None = None) -> None:
        check_person_name(auditor, "auditor")
        self.batch = batch if batch is not None else read_batch_info(batch_folder)
        self.auditor = auditor
        self.path = self.batch.audits_dir / f"{auditor}.jsonl"
        self._store = AppendOnlyJsonl(self.path, owner=auditor)

    def open(self) -> list[Problem]:
        return list(self._store.open().problems)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> AuditWriter:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(
        self,
        answer: ResultRecord,
        *,
        verdict: str,
        errors: Sequence[str] = (),
        corrected_value: Mapping[str, Any] | None = None,
        comment: str = "",
        session_id: str,
        started_at: datetime,
        submitted_at: datetime,
        active_ms: int,
        keys: int = 0,
        app_version: str = "",
    ) -> AuditRecord:
        """Validate and append one audit; returns once the line is on disk."""
        record = build_audit_record(
            self.batch,
            self.auditor,
            answer,
            verdict=verdict,
            errors=errors,
            corrected_value=corrected_value,
            comment=comment,
            session_id=session_id,
            started_at=started_at,
            submitted_at=submitted_at,
            active_ms=active_ms,
            keys=keys,
            app_version=app_version,
        )
        self._store.append(record.to_json_dict())
        return record
