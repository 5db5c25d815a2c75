"""Adjudications: one adjudicator's decisions on items the annotators disagreed on.

Each decision is a line of adjudications/<adjudicator>.jsonl (DESIGN, "Merged results and
adjudications"), appended and fsynced before the next item is shown, never rewritten. A line
is shaped like a results line (task_id, answer, value, batch_id, task_type, submitted_at,
active_ms; `annotator` is the adjudicator) so the one results checker
(tui.core.result_lines) validates its common fields; the adjudication's own fields
(adjudicator, decision, chosen, based_on) are checked here. The latest decision per task
wins, across every adjudicator's file (by submitted_at; file order breaks ties).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, get_args

import orjson

from tui.core.audit.inputs import BatchInfo, check_person_name
from tui.core.i18n import _
from tui.core.jsonl_store import AppendOnlyJsonl
from tui.core.problems import Problem
from tui.core.records import iso_ms
from tui.core.result_lines import check_result_line, read_lines
from tui.core.stats.scan import canonical_time

Decision = Literal["pick", "correct"]
DECISIONS: tuple[str, ...] = get_args(Decision)
# An adjudication settles what the item's answer is: skip, flag and undone settle nothing.
DECIDING_ANSWERS = ("accept", "reject")
ADJUDICATIONS_DIR = "adjudications"


@dataclass(frozen=True)
class BasedOn:
    """One annotator's answer the adjudicator saw: who, and which revision of it."""

    annotator: str
    revision: int | None

    def to_json_dict(self) -> dict[str, Any]:
        return {"annotator": self.annotator, "revision": self.revision}


@dataclass(frozen=True)
class Adjudication:
    task_id: str
    batch_id: str
    task_type: str
    adjudicator: str
    decision: str  # one of DECISIONS
    answer: str  # accept or reject
    value: dict[str, Any] | None
    chosen: tuple[str, ...]  # the annotators whose answer was picked ("correct": none)
    based_on: tuple[BasedOn, ...]
    submitted_at: str  # canonical UTC text
    active_ms: int = 0
    keys: int = 0
    session_id: str = ""
    app_version: str = ""
    comment: str = ""
    line: int = 0
    path: Path | None = field(default=None, compare=False)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "batch_id": self.batch_id,
            "task_type": self.task_type,
            "annotator": self.adjudicator,
            "adjudicator": self.adjudicator,
            "decision": self.decision,
            "answer": self.answer,
            "value": self.value,
            "chosen": list(self.chosen),
            "based_on": [b.to_json_dict() for b in self.based_on],
            "comment": self.comment,
            "session_id": self.session_id,
            "submitted_at": self.submitted_at,
            "active_ms": self.active_ms,
            "keys": self.keys,
            "app_version": self.app_version,
        }


def adjudications_dir(batch: BatchInfo) -> Path:
    return batch.folder / ADJUDICATIONS_DIR


def adjudication_path(batch: BatchInfo, adjudicator: str) -> Path:
    check_person_name(adjudicator, "adjudicator")
    return adjudications_dir(batch) / f"{adjudicator}.jsonl"


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _names(obj: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = obj.get(name, [])
    if type(value) is not list or not all(type(x) is str for x in value):
        raise _Bad(name, _("expected a list of annotator names, got {got!r:.60}").format(got=value))
    return tuple(value)


def _based_on(obj: Mapping[str, Any]) -> tuple[BasedOn, ...]:
    value = obj.get("based_on", [])
    if type(value) is not list:
        raise _Bad(
            "based_on",
            _("expected a list of {{annotator, revision}}, got {got!r:.60}").format(got=value),
        )
    found: list[BasedOn] = []
    for i, entry in enumerate(value):
        if type(entry) is not dict or type(entry.get("annotator")) is not str:
            raise _Bad(
                f"based_on.{i}", _("expected {{annotator: name, revision: number}}").format()
            )
        revision = entry.get("revision")
        if revision is not None and type(revision) is not int:
            raise _Bad(
                f"based_on.{i}.revision",
                _("expected a whole number, got {got!r:.60}").format(got=revision),
            )
        found.append(BasedOn(entry["annotator"], revision))
    return tuple(found)


def check_adjudication_line(obj: object, path: Path, number: int) -> Adjudication | Problem:
    """A parsed adjudication line, or the Problem (file:line: [field] what was expected)."""
    common = check_result_line(obj, path, number)
    if isinstance(common, Problem):
        return common
    raw = common.raw
    try:
        adjudicator = raw.get("adjudicator")
        if type(adjudicator) is not str or not adjudicator.strip():
            raise _Bad(
                "adjudicator",
                _("expected the adjudicator's name, got {got!r:.60}").format(got=adjudicator),
            )
        decision = raw.get("decision")
        if decision not in DECISIONS:
            raise _Bad(
                "decision",
                _("expected one of {choices}, got {got!r:.60}").format(
                    choices=", ".join(DECISIONS), got=decision
                ),
            )
        if common.answer not in DECIDING_ANSWERS:
            first, last = DECIDING_ANSWERS
            raise _Bad(
                "answer",
                _("expected {first} or {last}, got {got!r}").format(
                    first=first, last=last, got=common.answer
                ),
            )
        when = canonical_time(common.submitted_at)
        if when is None:
            raise _Bad(
                "submitted_at",
                _("expected an ISO 8601 time, got {got!r}").format(got=common.submitted_at),
            )
        chosen = _names(raw, "chosen")
        based_on = _based_on(raw)
        comment = raw.get("comment", "")
        if type(comment) is not str:
            raise _Bad("comment", _("expected a string, got {got!r:.60}").format(got=comment))
    except _Bad as bad:
        return Problem(path, bad.message, number, bad.field)
    return Adjudication(
        task_id=common.task_id,
        batch_id=common.batch_id or "",
        task_type=common.task_type or "",
        adjudicator=adjudicator,
        decision=decision,
        answer=common.answer,
        value=common.value,
        chosen=chosen,
        based_on=based_on,
        submitted_at=when,
        active_ms=common.active_ms,
        session_id=str(raw.get("session_id") or ""),
        app_version=str(raw.get("app_version") or ""),
        comment=comment,
        line=number,
        path=path,
    )


def read_adjudications(batch: BatchInfo, problems: list[Problem]) -> dict[str, Adjudication]:
    """The latest adjudication per task over adjudications/*.jsonl (lines of another batch
    are reported and ignored)."""
    folder = adjudications_dir(batch)
    if not folder.is_dir():
        return {}
    files = sorted(p for p in folder.glob("*.jsonl") if p.is_file() or p.is_symlink())
    latest: dict[str, Adjudication] = {}
    for path in files:
        for number, raw in read_lines(path, problems):
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                problems.append(
                    Problem(path, _("not valid JSON: {reason}").format(reason=exc), number)
                )
                continue
            found = check_adjudication_line(obj, path, number)
            if isinstance(found, Problem):
                problems.append(found)
                continue
            if found.batch_id != batch.id:
                problems.append(
                    Problem(
                        path,
                        _("batch_id {found!r} is not this batch ({batch!r}); ignored").format(
                            found=found.batch_id, batch=batch.id
                        ),
                        number,
                        "batch_id",
                    )
                )
                continue
            before = latest.get(found.task_id)
            if before is None or found.submitted_at >= before.submitted_at:
                latest[found.task_id] = found
    return latest


class AdjudicationWriter:
    """Holds adjudications/<adjudicator>.jsonl open and locked (the store of results and
    audit files: no symlinks, explicit modes, fsync per line, torn-line recovery)."""

    def __init__(self, batch: BatchInfo, adjudicator: str) -> None:
        self.batch = batch
        self.adjudicator = adjudicator
        self.path = adjudication_path(batch, adjudicator)
        self._store = AppendOnlyJsonl(self.path, owner=adjudicator)

    def open(self) -> list[Problem]:
        return list(self._store.open().problems)

    def close(self) -> None:
        self._store.close()

    def record(
        self,
        *,
        task_id: str,
        decision: str,
        answer: str,
        value: dict[str, Any] | None,
        chosen: Sequence[str],
        based_on: Sequence[BasedOn],
        submitted_at: datetime,
        active_ms: int = 0,
        keys: int = 0,
        session_id: str = "",
        app_version: str = "",
        comment: str = "",
    ) -> Adjudication:
        """Check, append and fsync one decision; returns once the line is on disk."""
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r}; expected {', '.join(DECISIONS)}")
        if answer not in DECIDING_ANSWERS:
            raise ValueError(f"an adjudicated answer is accept or reject, not {answer!r}")
        record = Adjudication(
            task_id=task_id,
            batch_id=self.batch.id,
            task_type=self.batch.task_type,
            adjudicator=self.adjudicator,
            decision=decision,
            answer=answer,
            value=value,
            chosen=tuple(chosen),
            based_on=tuple(based_on),
            submitted_at=iso_ms(submitted_at),
            active_ms=active_ms,
            keys=keys,
            session_id=session_id,
            app_version=app_version,
            comment=comment,
            path=self.path,
        )
        self._store.append(record.to_json_dict())
        return record
