"""Audits: sampling answers for review, recording verdicts, reports and agreement.

The review screen uses plan_progress (what to review next), AuditWriter (record a verdict)
and own_audit_summary (an annotator's view of audits of their work). No Textual here.
"""

from tui.core.audit.agreement import AgreementReport, agreement_report
from tui.core.audit.inputs import AUDITABLE_ANSWERS, BatchInfo, read_batch_info
from tui.core.audit.plan import (
    AssignResult,
    AuditPlan,
    PlanError,
    PlanItemStatus,
    PlannedItem,
    PlanProgress,
    SampleSpec,
    assign_audit,
    load_plan,
    parse_rate,
    plan_path,
    plan_progress,
)
from tui.core.audit.report import AuditReport, OwnAuditSummary, audit_report, own_audit_summary
from tui.core.audit.writer import VERDICTS, AuditInputError, AuditWriter, build_audit_record

__all__ = [
    "AUDITABLE_ANSWERS",
    "VERDICTS",
    "AgreementReport",
    "AssignResult",
    "AuditInputError",
    "AuditPlan",
    "AuditReport",
    "AuditWriter",
    "BatchInfo",
    "OwnAuditSummary",
    "PlanError",
    "PlanItemStatus",
    "PlanProgress",
    "PlannedItem",
    "SampleSpec",
    "agreement_report",
    "assign_audit",
    "audit_report",
    "build_audit_record",
    "load_plan",
    "own_audit_summary",
    "parse_rate",
    "plan_path",
    "plan_progress",
    "read_batch_info",
]
