"""The lines labeldesk writes: answers (results/<annotator>.jsonl) and audits (audits/<auditor>.jsonl).

See docs/DESIGN.md §3. These models are the single definition of the on-disk format.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tui.core.i18n import N_, NC_, _, pgettext

# Defined apart so that the readers of results lines do not import pydantic; re-exported.
from tui.core.record_kinds import FLAG_REASONS as FLAG_REASONS
from tui.core.record_kinds import AnswerKind as AnswerKind
from tui.core.record_kinds import FlagReason as FlagReason
from tui.core.record_kinds import Verdict as Verdict
from tui.core.task_type import empty_list

# What the interface calls each reason (the ids above are what the files hold).
FLAG_REASON_NAMES: dict[str, str] = {
    "ambiguous": N_("ambiguous"),
    "guidelines": N_("guidelines"),
    "tooling": N_("tooling"),
    "sensitive": N_("sensitive"),
    "other": N_("other"),
}


ANSWER_KIND_NAMES: dict[str, str] = {
    "accept": NC_("answer kind", "accept"),
    "reject": NC_("answer kind", "reject"),
    "skip": NC_("answer kind", "skip"),
    "flag": NC_("answer kind", "flag"),
    "undone": NC_("answer kind", "undone"),
}


def answer_kind_name(kind: str) -> str:
    """An answer kind in the interface language (the files keep the English id)."""
    name = ANSWER_KIND_NAMES.get(kind)
    return pgettext("answer kind", name) if name is not None else kind


VERDICT_NAMES: dict[str, str] = {
    "pass": NC_("verdict", "pass"),
    "fail": NC_("verdict", "fail"),
    "corrected": NC_("verdict", "corrected"),
}


def verdict_name(verdict: str) -> str:
    """An audit verdict in the interface language (the files keep the English id)."""
    name = VERDICT_NAMES.get(verdict)
    return pgettext("verdict", name) if name is not None else verdict


def flag_reason_name(reason: str) -> str:
    """A flag reason in the interface language (an unknown id is shown as it is)."""
    name = FLAG_REASON_NAMES.get(reason)
    return _(name) if name is not None else reason


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_ms(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and a Z, as in the design's examples."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


class Flag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: FlagReason
    note: str = ""


class ResultRecord(BaseModel):
    """One answer line. The latest line per task_id wins; undo and edits append."""

    # Built when the first answer is made (~1.5 ms with Flag): the first item needs none,
    # the results store keeps the lines it reads as plain dicts.
    model_config = ConfigDict(extra="allow", defer_build=True)

    task_id: str
    batch_id: str
    annotator: str
    task_type: str
    answer: AnswerKind
    value: dict[str, Any] | None = None
    flag: Flag | None = None
    session_id: str
    started_at: datetime
    submitted_at: datetime
    active_ms: int = Field(ge=0)
    keys: int = Field(ge=0, default=0)
    revision: int = Field(ge=1, default=1)
    guidelines_sha256: str | None = None
    app_version: str = ""
    # Gold items are scored silently at submit time: None when the task carries no gold.
    gold_correct: bool | None = None
    # Milliseconds the item had been painted on screen when the answer was given (the app
    # holds an answer key until its item is painted); absent where no screen was involved.
    shown_ms: int | None = Field(default=None, ge=0)

    def to_json_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="python", exclude_none=False)
        data["started_at"] = iso_ms(self.started_at)
        data["submitted_at"] = iso_ms(self.submitted_at)
        if self.gold_correct is None:
            data.pop("gold_correct", None)
        if self.shown_ms is None:
            data.pop("shown_ms", None)
        return data


class AuditRecord(BaseModel):
    """One audit line in audits/<auditor>.jsonl. The latest line per (task_id, annotator) wins."""

    # Built when first used (~3 ms): opening a batch for labeling imports this module but
    # reads no audit line before the first item is on screen.
    model_config = ConfigDict(extra="allow", defer_build=True)

    task_id: str
    batch_id: str
    auditor: str
    annotator: str
    revision: int = Field(ge=1)
    task_type: str
    verdict: Verdict
    errors: list[str] = Field(default_factory=empty_list)
    original_value: dict[str, Any] | None = None
    corrected_value: dict[str, Any] | None = None
    comment: str = ""
    session_id: str
    started_at: datetime
    submitted_at: datetime
    active_ms: int = Field(ge=0)
    keys: int = Field(ge=0, default=0)
    app_version: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="python")
        data["started_at"] = iso_ms(self.started_at)
        data["submitted_at"] = iso_ms(self.submitted_at)
        return data
