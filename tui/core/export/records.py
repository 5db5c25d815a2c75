"""One streaming pass from a batch folder to export records: each answer joined with its task.

Memory stays bounded for a million answers: the first pass over the results files keeps, per
(annotator, task id), only the line number of the latest line (`--select latest`); tasks are
never held as objects but as offsets in tasks.jsonl (the batch's byte-offset index), and a
task line is read and parsed again when an answer needs it. Results lines are read only
through tui.core.result_lines (the one reader): a bad line is a Problem, never a traceback.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from tui.core.batch import Batch
from tui.core.i18n import _
from tui.core.problems import Problem, pydantic_problems
from tui.core.result_lines import ResultLine, parse_line, read_lines, read_result_lines

Select = Literal["latest", "all"]


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One answer with everything a peer tool needs: the task's content and the answer."""

    batch_id: str
    task_type: str
    task_id: str
    task: dict[str, Any]  # the task line as written in tasks.jsonl (with `id` set)
    annotator: str
    answer: str  # accept | reject | skip | flag | undone
    value: dict[str, Any] | None
    flag: dict[str, Any] | None
    active_ms: int
    shown_ms: int | None
    started_at: str | None
    submitted_at: str | None
    revision: int | None
    session_id: str | None
    gold_correct: bool | None
    # A team batch: the provenance of the task's merged answer (single | unanimous |
    # majority | adjudicated | unresolved, see tui/core/merge), the same on each of its
    # answers; None outside team mode, or for a task without a vote.
    source: str | None = None

    @property
    def flag_reason(self) -> str | None:
        return None if self.flag is None else str(self.flag.get("reason"))

    @property
    def note(self) -> str:
        """The annotator's note: the flag's, else one the task type's value carries."""
        if self.flag is not None and self.flag.get("note"):
            return str(self.flag["note"])
        if self.value:
            for key in ("note", "reason"):
                text = self.value.get(key)
                if isinstance(text, str) and text:
                    return text
        return ""

    def to_json(self) -> dict[str, Any]:
        """The self-contained jsonl line: task + answer."""
        return {
            "batch_id": self.batch_id,
            "task_type": self.task_type,
            "task_id": self.task_id,
            "task": self.task,
            "annotator": self.annotator,
            "answer": self.answer,
            "value": self.value,
            "flag": self.flag,
            "note": self.note,
            "active_ms": self.active_ms,
            "shown_ms": self.shown_ms,
            "started_at": self.started_at,
            "submitted_at": self.submitted_at,
            "revision": self.revision,
            "session_id": self.session_id,
            "gold_correct": self.gold_correct,
            "source": self.source,
        }


@dataclass
class ExportSource:
    """A batch opened for export: its tasks by id (offsets), its results files, problems."""

    batch: Batch
    results_files: list[Path]
    problems: list[Problem] = field(default_factory=list)
    # task id -> index in tasks.jsonl, only for ids some answer names.
    task_index: dict[str, int] = field(default_factory=dict)
    skipped_undone: int = 0
    # Team batches: task id -> the merge source of its answers (see ExportRecord.source).
    merge_sources: dict[str, str] | None = None

    @property
    def task_type(self) -> str:
        return self.batch.task_type.name


def open_source(folder: Path) -> ExportSource:
    """Open a batch folder for export (raises BatchError when the batch cannot be opened)."""
    batch = Batch.open(folder)
    batch.index_rest()
    results_dir = batch.results_dir
    files: list[Path] = []
    if results_dir.is_dir():
        # Symlinks are listed so that the shared reader refuses them with a problem.
        files = sorted(p for p in results_dir.glob("*.jsonl") if p.is_file() or p.is_symlink())
    source = ExportSource(batch=batch, results_files=files, problems=list(batch.problems))
    if batch.config.team is not None:
        from tui.core.merge import merge_batch

        merged = merge_batch(folder)
        source.merge_sources = {r.task_id: r.source for r in merged.records}
    return source


def _annotator(line: ResultLine, path: Path) -> str:
    return line.annotator if line.annotator else path.stem


# The first pass keeps one int per (annotator, task): the results file's number and the line
# number of the latest line, negative for a withdrawal (`undone`).
_LINE_BITS = 32


def _first_pass(source: ExportSource, select: Select) -> list[array[int]] | None:
    """Per results file, the sorted line numbers to export (None: every line, for `all`);
    fills source.task_index for the task ids those lines name. For `latest`: the latest
    line of each (annotator, task) unless it is a withdrawal. Memory: one int per
    (annotator, task) in a dict per annotator, then 4 bytes per exported line."""
    latest: dict[str, dict[str, int]] = {}
    needed: set[str] = set()
    for number, path in enumerate(source.results_files):
        # Bad lines are reported here, once; the second pass parses only lines this one
        # found valid.
        for line in read_result_lines(path, source.problems):
            if select == "all":
                needed.add(line.task_id)
                continue
            code = (number << _LINE_BITS) | line.line
            of_annotator = latest.get(_annotator(line, path))
            if of_annotator is None:
                of_annotator = latest[_annotator(line, path)] = {}
            of_annotator[line.task_id] = -code if line.withdrawn else code
    if select == "all":
        _index_tasks(source, needed.__contains__)
        return None
    chosen: list[list[int]] = [[] for _ in source.results_files]
    mask = (1 << _LINE_BITS) - 1
    for of_annotator in latest.values():
        for code in of_annotator.values():
            if code < 0:
                source.skipped_undone += 1
            else:
                chosen[code >> _LINE_BITS].append(code & mask)

    def answered(task_id: str) -> bool:
        return any(task_id in of_annotator for of_annotator in latest.values())

    _index_tasks(source, answered)
    latest.clear()  # the line numbers below are all the second pass needs
    return [array("I", sorted(numbers)) for numbers in chosen]


def _index_tasks(source: ExportSource, needed: Callable[[str], bool]) -> None:
    """task id -> index in tasks.jsonl for the ids an exported answer names (the first line
    of a duplicated id: the batch refuses the others). One small int per answered task."""
    batch = source.batch
    index = source.task_index
    for i in range(len(batch)):
        task_id = batch.task_id_at(i)
        if needed(task_id) and task_id not in index:
            index[task_id] = i


def _value_fits(source: ExportSource, line: ResultLine, path: Path) -> bool:
    """The value is the task type's answer (its pydantic model): the shared reader checks
    only that it is an object, and every format maps its fields. Otherwise reported, and
    the answer is not exported."""
    assert line.value is not None
    try:
        source.batch.task_type.parse_answer(line.value)
    except ValidationError as exc:
        for problem in pydantic_problems(exc, path, line.line, prefix="value."):
            source.problems.append(
                Problem(
                    path,
                    _("{problem}; not a {task_type} answer, not exported").format(
                        problem=problem.message, task_type=source.task_type
                    ),
                    line.line,
                    problem.field,
                )
            )
        return False
    return True


def task_line(source: ExportSource, task_id: str) -> dict[str, Any] | None:
    i = source.task_index.get(task_id)
    if i is None:
        return None
    _, raw, _ = source.batch.raw_line(i)
    if raw is None:
        return None
    task = dict(raw)
    task["id"] = task_id
    return task


def iter_records(source: ExportSource, select: Select = "latest") -> Iterator[ExportRecord]:
    """Every selected answer as an ExportRecord, results file by file in file order.

    `latest`: the latest line per annotator and task (an `undone` latest line withdraws the
    answer: nothing is exported for it). `all`: every line, edits and withdrawals included.
    An answer whose task is not in tasks.jsonl is reported and skipped."""
    chosen = _first_pass(source, select)
    batch = source.batch
    merge_sources = source.merge_sources
    missing_reported: set[str] = set()
    for number, path in enumerate(source.results_files):
        wanted = chosen[number] if chosen is not None else None
        next_wanted = 0  # index into `wanted`: both are in line order
        again: list[Problem] = []  # the first pass said these already
        for line_no, raw_line in read_lines(path, again):
            if wanted is not None:
                if next_wanted >= len(wanted) or wanted[next_wanted] != line_no:
                    continue  # not the latest of its task: not even parsed
                next_wanted += 1
            line = parse_line(raw_line, path, line_no)
            if isinstance(line, Problem):
                if wanted is not None:  # valid in the first pass: the file changed since
                    source.problems.append(line)
                continue
            if line.value is not None and not _value_fits(source, line, path):
                continue
            task = task_line(source, line.task_id)
            if task is None:
                if line.task_id not in missing_reported and len(missing_reported) < 1000:
                    missing_reported.add(line.task_id)
                    source.problems.append(
                        Problem(
                            path,
                            _(
                                "task {task_id!r} is not in {tasks} (or its line is invalid); "
                                "the answer is not exported"
                            ).format(task_id=line.task_id, tasks=batch.tasks_path.name),
                            line.line,
                            "task_id",
                            severity="warning",
                        )
                    )
                continue
            raw = line.raw
            shown = raw.get("shown_ms")
            started = raw.get("started_at")
            session = raw.get("session_id")
            yield ExportRecord(
                batch_id=line.batch_id or batch.id,
                task_type=line.task_type or batch.task_type.name,
                task_id=line.task_id,
                task=task,
                annotator=_annotator(line, path),
                answer=line.answer,
                value=line.value,
                flag=line.flag,
                active_ms=line.active_ms,
                shown_ms=shown if type(shown) is int and shown >= 0 else None,
                started_at=started if type(started) is str else None,
                submitted_at=line.submitted_at,
                revision=line.revision,
                session_id=session if type(session) is str else None,
                gold_correct=line.gold_correct,
                source=merge_sources.get(line.task_id) if merge_sources is not None else None,
            )
