"""One record per task from every annotator's answers, with where the answer came from.

Rules (README "Merging a team's answers", DESIGN "Merged results and adjudications"):

- each annotator's latest line per task counts, read through the one results reader
  (tui.core.result_lines, as `stats` and `audit` do: the same checks, the same problems, a
  batch_id of another batch ignored); an `undone` latest line withdraws the answer;
- accept and reject are votes. A skip is no vote (the annotator did not decide). A flag
  without an answer is no vote either, but its reason and note are carried into the record;
  an answer that carries a flag is a vote and its flag is carried too;
- two votes are the same when their answer kind and the task type's answer_key() agree;
- source: adjudicated (an adjudication exists; the latest wins) > single (one vote) >
  unanimous (two or more, all the same) > majority (one answer has strictly more than half
  of the votes) > unresolved (a tie or a split: no merged answer);
- a task with no vote and no adjudication has no record (it is counted as `no_votes`).
"""

from __future__ import annotations

import gc
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from tui.core.audit.inputs import BatchInfo, read_batch_info, task_type_for
from tui.core.i18n import _
from tui.core.merge.adjudications import Adjudication, read_adjudications
from tui.core.problems import Problem
from tui.core.result_lines import ResultLine, read_result_lines
from tui.core.stats.scan import canonical_time
from tui.core.task_type import TaskType

Source = Literal["single", "unanimous", "majority", "adjudicated", "unresolved"]
SOURCES: tuple[str, ...] = get_args(Source)
VOTING_ANSWERS = frozenset({"accept", "reject"})


@dataclass(slots=True)
class Vote:
    """One annotator's latest line on a task that counts in the merge (a vote or an
    abstention: skip, or a flag without an answer)."""

    annotator: str
    answer: str
    value: dict[str, Any] | None
    revision: int
    submitted_at: str
    flag: dict[str, str] | None
    key: Hashable = field(compare=False, default=None)

    @property
    def votes(self) -> bool:
        return self.answer in VOTING_ANSWERS

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "annotator": self.annotator,
            "answer": self.answer,
            "value": self.value,
            "revision": self.revision,
            "submitted_at": self.submitted_at,
            "flag": self.flag,
        }


@dataclass(frozen=True)
class Group:
    """Votes that are the same answer, with the first (by annotator name) as its value."""

    key: Hashable
    votes: tuple[Vote, ...]

    @property
    def annotators(self) -> list[str]:
        return [v.annotator for v in self.votes]

    @property
    def first(self) -> Vote:
        return self.votes[0]


@dataclass(frozen=True)
class MergedRecord:
    task_id: str
    batch_id: str
    task_type: str
    source: str  # one of SOURCES
    answer: str | None
    value: dict[str, Any] | None
    agreed: tuple[str, ...]  # annotators whose answer is the merged one
    votes: tuple[Vote, ...]
    abstained: tuple[Vote, ...]
    groups: tuple[Group, ...]  # distinct answers, most votes first
    adjudication: Adjudication | None = None

    @property
    def flags(self) -> list[dict[str, str]]:
        every = sorted((*self.votes, *self.abstained), key=lambda v: v.annotator)
        return [{"annotator": v.annotator, **v.flag} for v in every if v.flag is not None]

    @property
    def disagreement(self) -> bool:
        return len(self.groups) > 1

    def to_json_dict(self) -> dict[str, Any]:
        adjudication: dict[str, Any] | None = None
        if self.adjudication is not None:
            a = self.adjudication
            seen = {(b.annotator, b.revision) for b in a.based_on}
            now = {(v.annotator, v.revision) for v in self.votes}
            adjudication = {
                "adjudicator": a.adjudicator,
                "decision": a.decision,
                "chosen": list(a.chosen),
                "submitted_at": a.submitted_at,
                "comment": a.comment,
                # Annotators changed their answers after the decision: worth a second look.
                "stale": bool(a.based_on) and seen != now,
            }
        return {
            "task_id": self.task_id,
            "batch_id": self.batch_id,
            "task_type": self.task_type,
            "source": self.source,
            "answer": self.answer,
            "value": self.value,
            "agreed": list(self.agreed),
            "votes": [v.to_json_dict() for v in self.votes],
            "abstained": [v.to_json_dict() for v in self.abstained],
            "flags": self.flags,
            "adjudication": adjudication,
        }


@dataclass
class MergeResult:
    batch: BatchInfo
    records: list[MergedRecord]
    no_votes: int
    annotators: list[str]
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = Counter(r.source for r in self.records)
        return {source: found.get(source, 0) for source in SOURCES}

    def summary(self) -> dict[str, Any]:
        return {
            "batch": self.batch.id,
            "tasks": len(self.records),
            "sources": self.counts(),
            "no_votes": self.no_votes,
            "annotators": self.annotators,
            "problems": len(self.problems),
        }


def natural_key(task_id: str) -> tuple[tuple[int, int | str], ...]:
    """Task ids in a human order: t2 before t10 (digits compare as numbers)."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", task_id)
        if part
    )


def _vote(line: ResultLine, annotator: str) -> Vote:
    """The fields of a latest line the merge keeps (not the whole parsed line: memory is one
    small record per annotator and task)."""
    flag = line.flag
    return Vote(
        annotator=annotator,
        answer=line.answer,
        value=line.value,
        revision=line.revision or 1,
        submitted_at=canonical_time(line.submitted_at) or line.submitted_at or "",
        flag=None if flag is None else {"reason": flag["reason"], "note": flag.get("note", "")},
    )


def _keyed(vote: Vote, task_type: TaskType) -> Vote:
    # Set in place (not dataclasses.replace): this runs once per vote of a large batch.
    vote.key = (vote.answer, task_type.answer_key(vote.value))
    return vote


def group_votes(votes: list[Vote]) -> tuple[Group, ...]:
    """Distinct answers, most votes first (then the first annotator's name)."""
    by_key: dict[Hashable, list[Vote]] = defaultdict(list)
    for vote in votes:
        by_key[vote.key].append(vote)
    groups = [Group(k, tuple(sorted(v, key=lambda x: x.annotator))) for k, v in by_key.items()]
    return tuple(sorted(groups, key=lambda g: (-len(g.votes), g.first.annotator)))


def decide(
    groups: tuple[Group, ...], adjudication: Adjudication | None
) -> tuple[str, Group | None]:
    """The source, and the group the merged answer comes from (None: adjudicated or
    unresolved)."""
    if adjudication is not None:
        return "adjudicated", None
    total = sum(len(g.votes) for g in groups)
    top = groups[0]
    if total == 1:
        return "single", top
    if len(groups) == 1:
        return "unanimous", top
    if 2 * len(top.votes) > total:
        return "majority", top
    return "unresolved", None


def merge_task(
    task_id: str,
    batch: BatchInfo,
    lines: list[Vote],
    task_type: TaskType,
    adjudication: Adjudication | None = None,
) -> MergedRecord | None:
    """The merged record of one task from each annotator's latest line (None: no vote)."""
    counted = [v for v in lines if v.answer != "undone"]
    votes = sorted((_keyed(v, task_type) for v in counted if v.votes), key=lambda v: v.annotator)
    abstained = sorted((v for v in counted if not v.votes), key=lambda v: v.annotator)
    if not votes and adjudication is None:
        return None
    groups = group_votes(votes)
    source, group = decide(groups, adjudication) if votes else ("adjudicated", None)
    answer: str | None = None
    value: dict[str, Any] | None = None
    agreed: tuple[str, ...] = ()
    if adjudication is not None:
        answer, value = adjudication.answer, adjudication.value
        key = (answer, task_type.answer_key(value))
        agreed = tuple(v.annotator for v in votes if v.key == key)
    elif group is not None:
        answer, value, agreed = group.first.answer, group.first.value, tuple(group.annotators)
    return MergedRecord(
        task_id=task_id,
        batch_id=batch.id,
        task_type=batch.task_type,
        source=source,
        answer=answer,
        value=value,
        agreed=agreed,
        votes=tuple(votes),
        abstained=tuple(abstained),
        groups=groups,
        adjudication=adjudication,
    )


def jsonl_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Symlinks are read through the shared reader, which refuses them with a problem.
    return sorted(p for p in folder.glob("*.jsonl") if p.is_file() or p.is_symlink())


def latest_votes(
    batch: BatchInfo, folder: Path, problems: list[Problem]
) -> dict[str, dict[str, Vote]]:
    """task id -> annotator -> that annotator's latest line, streamed through the one
    results reader (tui.core.result_lines); lines of another batch are reported and
    ignored, as `audit` and `stats` do."""
    latest: dict[str, dict[str, Vote]] = defaultdict(dict)
    for path in jsonl_files(folder):
        for line in read_result_lines(path, problems):
            if line.batch_id != batch.id:
                problems.append(
                    Problem(
                        path,
                        _("batch_id {found!r} is not this batch ({batch!r}); ignored").format(
                            found=line.batch_id, batch=batch.id
                        ),
                        line.line,
                        "batch_id",
                    )
                )
                continue
            annotator = line.annotator or path.stem
            if annotator != path.stem:
                problems.append(
                    Problem(
                        path,
                        _(
                            "annotator {annotator!r} in {file}, expected {expected!r}; the "
                            "line is counted for the annotator it names"
                        ).format(annotator=annotator, file=path.name, expected=path.stem),
                        line.line,
                        "annotator",
                        severity="warning",
                    )
                )
            latest[line.task_id][annotator] = _vote(line, annotator)
    return latest


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading builds a few small objects per line, none in a cycle: the cyclic collector
    would only walk the growing heap again and again (a third of the load time, measured
    with bench/merge_bench.py). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def merge_batch(batch_folder: Path, *, results_dir: Path | None = None) -> MergeResult:
    """Merge every annotator's latest answers in a batch with its adjudications. Raises
    BatchError (every problem named) when batch.toml cannot be read."""
    batch = read_batch_info(batch_folder)
    problems: list[Problem] = []
    with _collector_paused():
        by_task = latest_votes(batch, results_dir or batch.results_dir, problems)
    adjudications = read_adjudications(batch, problems)
    task_type = task_type_for(batch.task_type)
    records: list[MergedRecord] = []
    no_votes = 0
    for task_id in sorted(set(by_task) | set(adjudications), key=natural_key):
        lines = list(by_task[task_id].values()) if task_id in by_task else []
        merged = merge_task(task_id, batch, lines, task_type, adjudications.get(task_id))
        if merged is None:
            no_votes += 1
        else:
            records.append(merged)
    annotators = sorted({a for votes in by_task.values() for a in votes})
    return MergeResult(batch, records, no_votes, annotators, problems)


def disagreements(result: MergeResult, *, with_majority: bool = False) -> Iterator[MergedRecord]:
    """The records an adjudicator should decide: unresolved ones, and majority ones too when
    asked (adjudicated items are settled and never come back)."""
    wanted = {"unresolved", "majority"} if with_majority else {"unresolved"}
    for record in result.records:
        if record.source in wanted:
            yield record
