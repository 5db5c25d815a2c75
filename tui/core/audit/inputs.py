"""What the audit engine reads from a batch folder: batch.toml, results lines and audit lines.

Everything here reads, never writes, and never locks: annotators and auditors may be
appending to these files at the same moment. Each bad line becomes a Problem naming the file,
the line and the field, and is otherwise ignored, so one bad line never hides a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from tui.core.batch_config import read_batch_config
from tui.core.i18n import _
from tui.core.problems import BatchError, Problem, pydantic_problems
from tui.core.records import AuditRecord, ResultRecord
from tui.core.result_lines import check_audit_line, check_result_line, read_lines
from tui.core.task_type import AnswerValue, TaskContent, TaskOptions, TaskType

# Only decisions about the item can be right or wrong; skip, flag and undone say nothing.
AUDITABLE_ANSWERS = frozenset({"accept", "reject"})
NO_LABEL = "(none)"

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class BatchInfo:
    """The parts of batch.toml the audit engine needs."""

    folder: Path
    id: str
    task_type: str
    labels: tuple[str, ...]
    error_categories: tuple[str, ...]

    @property
    def results_dir(self) -> Path:
        return self.folder / "results"

    @property
    def audits_dir(self) -> Path:
        return self.folder / "audits"


def check_person_name(name: str, role: str) -> str:
    """A person's name becomes a file name (audits/<name>.jsonl): keep it to safe characters."""
    if not _NAME_RE.fullmatch(name):  # match() lets "dora\n" through ($)
        raise ValueError(
            _(
                "{role} name {name!r} cannot be used as a file name: use 1-64 letters, digits, "
                "'.', '_' or '-', starting with a letter or digit"
            ).format(role=role, name=name)
        )
    return name


def read_batch_info(folder: Path) -> BatchInfo:
    """Read batch.toml of a batch folder; raises BatchError naming every problem."""
    folder = folder.expanduser()
    if not folder.is_dir():
        what = _("is a file, not a batch folder") if folder.exists() else _("no such batch folder")
        raise BatchError([Problem(folder, what)])
    config_path = folder / "batch.toml"
    config, problems = read_batch_config(config_path)
    if config is None:
        raise BatchError(problems)
    raw_labels = config.task.get("labels", [])
    if not isinstance(raw_labels, list) or not all(isinstance(x, str) for x in raw_labels):
        raise BatchError(
            [Problem(config_path, _("expected a list of label strings"), field="task.labels")]
        )
    return BatchInfo(
        folder=folder,
        id=config.id,
        task_type=config.task_type,
        labels=tuple(raw_labels),
        error_categories=tuple(config.audit.error_categories),
    )


def task_type_for(name: str) -> TaskType:
    """The registered task type, or a generic one (labels from `labels`/`label`) so that a
    report over a batch whose type is not installed still works."""
    from tui.core.task_registry import get_task_type

    try:
        return get_task_type(name)
    except KeyError:
        return TaskType(
            name=name,
            title=name,
            options_model=TaskOptions,
            task_model=TaskContent,
            answer_model=AnswerValue,
            view_path="",
        )


def label_key(labels: list[str], answer: str) -> str:
    """One category for an answer: its label set as the task type reports it (binary's
    labels_of already says accept or reject). An empty set is "(none)", or "(rejected)" for
    a reject answer whose value names no label."""
    if labels:
        return " + ".join(sorted({str(label) for label in labels}))
    return "(rejected)" if answer == "reject" else NO_LABEL


def read_model_lines(
    path: Path, model: type[ModelT], problems: list[Problem]
) -> Iterator[tuple[int, ModelT]]:
    """Yield (line number, validated record); bad lines go to `problems` with file:line.

    Lines go through the one shared reader first (tui.core.result_lines: types of every
    field, absurd numbers), then the model (pydantic) for the rest."""
    is_audit = issubclass(model, AuditRecord)
    for number, raw in read_lines(path, problems):
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            problems.append(Problem(path, _("not valid JSON: {reason}").format(reason=exc), number))
            continue
        if type(obj) is not dict:
            kind = "null" if obj is None else type(obj).__name__
            problems.append(
                Problem(path, _("expected a JSON object, got {kind}").format(kind=kind), number)
            )
            continue
        try:
            record = model.model_validate(obj)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, path, number))
            continue
        # pydantic is lax ("2" passes as a revision, 1e12 as active time): the shared
        # checker has the last word on types and ranges.
        if is_audit:
            problem = check_audit_line(obj, path, number)
        else:
            checked = check_result_line(obj, path, number)
            if isinstance(checked, Problem):
                problem = checked
            else:
                problem = None
                problems.extend(checked.notes)
        if problem is not None:
            problems.append(problem)
            continue
        yield number, record


def _jsonl_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Symlinks are read through the shared reader, which refuses them with a problem.
    return sorted(p for p in folder.glob("*.jsonl") if p.is_file() or p.is_symlink())


@dataclass
class Answers:
    """Every annotator's answers in a batch. Keys are (annotator, task_id)."""

    latest: dict[tuple[str, str], ResultRecord] = field(default_factory=dict)
    # The latest line of each (annotator, task_id, revision): what an audit of that revision saw.
    by_revision: dict[tuple[str, str, int], ResultRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def auditable(self) -> dict[tuple[str, str], ResultRecord]:
        return {k: r for k, r in self.latest.items() if r.answer in AUDITABLE_ANSWERS}

    def at_revision(self, annotator: str, task_id: str, revision: int) -> ResultRecord | None:
        return self.by_revision.get((annotator, task_id, revision))


def load_answers(batch: BatchInfo, results_dir: Path | None = None) -> Answers:
    """Read results/*.jsonl; the latest line per (annotator, task_id) wins."""
    folder = results_dir if results_dir is not None else batch.results_dir
    answers = Answers(files=_jsonl_files(folder))
    for path in answers.files:
        for number, record in read_model_lines(path, ResultRecord, answers.problems):
            if record.annotator != path.stem:
                answers.problems.append(
                    Problem(
                        path,
                        _(
                            "annotator {annotator!r} in {file}, expected {expected!r}; the "
                            "line is counted for the annotator it names"
                        ).format(annotator=record.annotator, file=path.name, expected=path.stem),
                        number,
                        "annotator",
                        severity="warning",
                    )
                )
            if record.batch_id != batch.id:
                answers.problems.append(
                    Problem(
                        path,
                        _("batch_id {found!r} is not this batch ({batch!r}); ignored").format(
                            found=record.batch_id, batch=batch.id
                        ),
                        number,
                        "batch_id",
                    )
                )
                continue
            answers.latest[(record.annotator, record.task_id)] = record
            answers.by_revision[(record.annotator, record.task_id, record.revision)] = record
    return answers


@dataclass
class Audits:
    """Every auditor's audit lines. `latest` is keyed by (auditor, annotator, task_id)."""

    latest: dict[tuple[str, str, str], AuditRecord] = field(default_factory=dict)
    # The latest line of each (auditor, annotator, task_id, revision).
    by_revision: dict[tuple[str, str, str, int], AuditRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def load_audits(batch: BatchInfo, only_auditor: str | None = None) -> Audits:
    """Read audits/*.jsonl (or only audits/<only_auditor>.jsonl); latest line per item wins."""
    if only_auditor is not None:
        path = batch.audits_dir / f"{only_auditor}.jsonl"
        files = [path] if path.is_file() else []
    else:
        files = _jsonl_files(batch.audits_dir)
    audits = Audits(files=files)
    for path in files:
        for number, record in read_model_lines(path, AuditRecord, audits.problems):
            if record.auditor != path.stem:
                audits.problems.append(
                    Problem(
                        path,
                        _(
                            "auditor {auditor!r} in {file}, expected {expected!r}; the line is "
                            "counted for the auditor it names"
                        ).format(auditor=record.auditor, file=path.name, expected=path.stem),
                        number,
                        "auditor",
                        severity="warning",
                    )
                )
            if record.batch_id != batch.id:
                audits.problems.append(
                    Problem(
                        path,
                        _("batch_id {found!r} is not this batch ({batch!r}); ignored").format(
                            found=record.batch_id, batch=batch.id
                        ),
                        number,
                        "batch_id",
                    )
                )
                continue
            key = (record.auditor, record.annotator, record.task_id)
            audits.latest[key] = record
            audits.by_revision[(*key, record.revision)] = record
    return audits
