"""Audit assignment: a reproducible, stratified sample of answered items for one auditor.

The plan lives in audits/<auditor>.plan.json. Sampling is per annotator (every annotator's
work gets audited, by rate or by a fixed count) and, within an annotator, stratified by the
answer's label set (`label_key`), so rare labels are not missed. Randomness comes only from
`random.Random(f"{seed}|{annotator}")` over inputs in sorted order: the same answers and the
same seed give the same plan on any machine, and one annotator's new answers never reshuffle
another annotator's sample.
"""

from __future__ import annotations

import math
import os
import random
import secrets
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import orjson

from tui.core.audit.inputs import (
    Answers,
    BatchInfo,
    check_person_name,
    label_key,
    load_answers,
    load_audits,
    read_batch_info,
    task_type_for,
)
from tui.core.problems import Problem
from tui.core.records import AuditRecord, ResultRecord, iso_ms, utc_now

PLAN_VERSION = 1
AssignMode = Literal["new", "replace", "add"]


class PlanError(Exception):
    """The plan cannot be made or read; carries a Problem naming file, line and field."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class PlannedItem:
    task_id: str
    annotator: str
    revision: int
    stratum: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "annotator": self.annotator,
            "revision": self.revision,
            "stratum": self.stratum,
        }


@dataclass(frozen=True)
class SampleSpec:
    """How much to sample per annotator: a fraction of their answered items, or a count."""

    rate: Fraction | None = None
    per_annotator: int | None = None

    def __post_init__(self) -> None:
        if (self.rate is None) == (self.per_annotator is None):
            raise ValueError("give exactly one of a rate (--rate 10%) or --per-annotator N")
        if self.rate is not None and not 0 < self.rate <= 1:
            raise ValueError(f"the rate must be above 0% and at most 100%, got {self.describe()}")
        if self.per_annotator is not None and self.per_annotator < 1:
            raise ValueError(f"--per-annotator must be at least 1, got {self.per_annotator}")

    def quota(self, answered: int) -> int:
        """Items to audit for an annotator with `answered` auditable answers; a rate rounds up
        so that every annotator with any work gets at least one audit."""
        if self.rate is not None:
            return min(answered, math.ceil(self.rate * answered))
        assert self.per_annotator is not None
        return min(answered, self.per_annotator)

    def describe(self) -> str:
        if self.rate is not None:
            percent = self.rate * 100
            shown = str(percent.numerator) if percent.denominator == 1 else f"{float(percent):g}"
            return f"{shown}%"
        return f"{self.per_annotator} per annotator"

    def to_json_dict(self) -> dict[str, Any]:
        if self.rate is not None:
            return {"rate": str(self.rate), "rate_text": self.describe()}
        return {"per_annotator": self.per_annotator}


def parse_rate(text: str) -> Fraction:
    """'10%', '2.5%' or '0.1' as an exact fraction (exact, so 10% of 30 is 3, not 4)."""
    cleaned = text.strip()
    try:
        percent = cleaned.endswith("%")
        value = Fraction(cleaned[:-1].strip()) / 100 if percent else Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            f"--rate expects a percentage like 10% or a fraction like 0.1, got {text!r}"
        ) from None
    if not 0 < value <= 1:
        raise ValueError(f"--rate must be above 0% and at most 100%, got {text!r}")
    return value


@dataclass
class AuditPlan:
    path: Path
    batch_id: str
    auditor: str
    seed: str
    parameters: dict[str, Any]
    created_at: str
    items: list[PlannedItem]
    # Each later `--add` round: its seed, parameters, time and how many items it added.
    additions: list[dict[str, Any]] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "version": PLAN_VERSION,
            "batch_id": self.batch_id,
            "auditor": self.auditor,
            "seed": self.seed,
            "parameters": self.parameters,
            "created_at": self.created_at,
            "additions": self.additions,
            "items": [item.to_json_dict() for item in self.items],
        }

    def save(self) -> None:
        """Write atomically (temp file, fsync, rename): a crash never leaves half a plan."""
        from tui.core.safe_files import create_new, make_private_dirs

        make_private_dirs(self.path.parent)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        data = orjson.dumps(self.to_json_dict(), option=orjson.OPT_INDENT_2) + b"\n"
        # A new file of our own (0600 whatever the umask): never through a symlink planted at
        # the temporary name, never a colleague's file renamed into place as the plan.
        fd = create_new(tmp)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)


def plan_path(batch_folder: Path, auditor: str) -> Path:
    return batch_folder / "audits" / f"{auditor}.plan.json"


def _allocate(sizes: Mapping[str, int], quota: int, rng: random.Random) -> dict[str, int]:
    """Split `quota` over strata: one for each stratum first (coverage), the rest in proportion
    to stratum size by largest remainder. With fewer slots than strata, the seeded generator
    picks which strata get one."""
    keys = sorted(sizes)
    if quota < len(keys):
        return dict.fromkeys(rng.sample(keys, quota), 1)
    total = sum(sizes.values())
    ideal = {k: Fraction(quota * sizes[k], total) for k in keys}
    counts = {k: max(1, min(sizes[k], math.floor(ideal[k]))) for k in keys}
    while sum(counts.values()) < quota:
        room = [k for k in keys if counts[k] < sizes[k]]
        best = max(room, key=lambda k: (ideal[k] - counts[k], -keys.index(k)))
        counts[best] += 1
    while sum(counts.values()) > quota:
        spare = [k for k in keys if counts[k] > 1]
        worst = max(spare, key=lambda k: (counts[k] - ideal[k], -keys.index(k)))
        counts[worst] -= 1
    return counts


def draw_sample(
    answers: Mapping[tuple[str, str], ResultRecord],
    *,
    spec: SampleSpec,
    seed: str,
    auditor: str,
    exclude: frozenset[tuple[str, str]] = frozenset(),
    stratum_of: Callable[[ResultRecord], str],
) -> list[PlannedItem]:
    """The sample: per annotator (never the auditor), `spec.quota` of their auditable answers,
    stratified by `stratum_of`. Items in `exclude` (already planned) count towards the quota
    and are never drawn again, so a top-up only draws what is missing."""
    by_annotator: dict[str, list[ResultRecord]] = defaultdict(list)
    answered: dict[str, int] = defaultdict(int)
    for (annotator, _task_id), record in answers.items():
        if annotator == auditor or record.answer not in ("accept", "reject"):
            continue
        answered[annotator] += 1
        if (annotator, record.task_id) not in exclude:
            by_annotator[annotator].append(record)
    picked: list[PlannedItem] = []
    for annotator in sorted(by_annotator):
        pool = by_annotator[annotator]
        quota = min(len(pool), spec.quota(answered[annotator]) - (answered[annotator] - len(pool)))
        if quota <= 0:
            continue
        rng = random.Random(f"{seed}|{annotator}")
        strata: dict[str, list[ResultRecord]] = defaultdict(list)
        for record in pool:
            strata[stratum_of(record)].append(record)
        counts = _allocate({k: len(v) for k, v in strata.items()}, quota, rng)
        for key in sorted(counts):
            members = sorted(strata[key], key=lambda r: r.task_id)
            for record in rng.sample(members, counts[key]):
                picked.append(PlannedItem(record.task_id, annotator, record.revision, key))
    # Interleave annotators and labels, so the auditor's judgement of one item does not
    # colour the next one by the same person.
    random.Random(f"{seed}|order").shuffle(picked)
    return picked


@dataclass
class AssignResult:
    plan: AuditPlan
    added: list[PlannedItem]
    problems: list[Problem]


def stratum_of(record: ResultRecord) -> str:
    """The label stratum of an answer: its label set as the task type reports it."""
    return label_key(task_type_for(record.task_type).labels_of(record.value), record.answer)


def assign_audit(
    batch_folder: Path,
    auditor: str,
    spec: SampleSpec,
    *,
    seed: str | None = None,
    mode: AssignMode = "new",
    results_dir: Path | None = None,
) -> AssignResult:
    """Draw a sample for `auditor` and save it as audits/<auditor>.plan.json.

    mode "new" refuses when a plan exists; "replace" draws a fresh plan (audit lines already
    written stay valid); "add" keeps the plan and tops it up to `spec` per annotator over their
    answers now (planned items count, new ones are drawn from the rest), which keeps coverage
    as a batch grows. Without a seed, a random one is drawn and saved in the plan.
    """
    check_person_name(auditor, "auditor")
    batch = read_batch_info(batch_folder)
    path = plan_path(batch.folder, auditor)
    existing: AuditPlan | None = None
    if path.exists():
        if mode == "new":
            raise PlanError(
                Problem(
                    path,
                    f"{auditor} already has an audit plan here; use --add to add items not yet "
                    "planned, or --replace to draw a new plan",
                )
            )
        if mode == "add":
            existing = load_plan(batch.folder, auditor)
    answers = load_answers(batch, results_dir)
    problems = list(answers.problems)
    auditable = answers.auditable()
    if not auditable:
        where = results_dir if results_dir is not None else batch.results_dir
        raise PlanError(
            Problem(
                where,
                "no answered items to audit: no results/<annotator>.jsonl has an accept or "
                "reject answer" + ("" if answers.files else " (the folder has no results files)"),
            )
        )
    if all(annotator == auditor for annotator, _ in auditable):
        raise PlanError(
            Problem(
                results_dir if results_dir is not None else batch.results_dir,
                f"every answered item is {auditor}'s own work, and auditors never audit "
                "their own work",
            )
        )
    seed = seed if seed is not None else str(secrets.randbelow(10**9))
    planned = existing.items if existing is not None else []
    exclude = frozenset((i.annotator, i.task_id) for i in planned)
    added = draw_sample(
        auditable,
        spec=spec,
        seed=seed,
        auditor=auditor,
        exclude=exclude,
        stratum_of=stratum_of,
    )
    now = iso_ms(utc_now())
    if existing is not None:
        existing.items.extend(added)
        existing.additions.append(
            {
                "seed": seed,
                "parameters": spec.to_json_dict(),
                "created_at": now,
                "count": len(added),
            }
        )
        plan = existing
    else:
        plan = AuditPlan(
            path=path,
            batch_id=batch.id,
            auditor=auditor,
            seed=seed,
            parameters=spec.to_json_dict(),
            created_at=now,
            items=added,
        )
    plan.save()
    return AssignResult(plan, added, problems)


def _plan_problem(path: Path, message: str, field_name: str | None = None) -> PlanError:
    return PlanError(Problem(path, message, field=field_name))


def load_plan(batch_folder: Path, auditor: str) -> AuditPlan:
    """Read audits/<auditor>.plan.json; raises PlanError naming the file and field."""
    check_person_name(auditor, "auditor")
    path = plan_path(batch_folder, auditor)
    from tui.core.safe_files import UnsafeFileError, open_regular, read_all

    try:
        # Never through a symlink, never a pipe or device (audits/ is shared: anyone could
        # put one there). Not "owned": a lead may assign the plan an auditor reads.
        fd, _ = open_regular(path, os.O_RDONLY)
        try:
            raw = read_all(fd)
        finally:
            os.close(fd)
    except UnsafeFileError as exc:
        raise _plan_problem(path, str(exc)) from None
    except FileNotFoundError:
        raise _plan_problem(
            path,
            f"no audit plan for {auditor}; create one with: labeldesk audit assign "
            f"{batch_folder} --auditor {auditor} --rate 10%",
        ) from None
    except OSError as exc:
        raise _plan_problem(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _plan_problem(path, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise _plan_problem(path, "expected a JSON object")
    if data.get("version") != PLAN_VERSION:
        raise _plan_problem(
            path, f"plan format version {data.get('version')!r}, expected {PLAN_VERSION}", "version"
        )
    for name in ("batch_id", "auditor", "seed", "created_at"):
        if not isinstance(data.get(name), str):
            raise _plan_problem(path, "expected a string", name)
    if data["auditor"] != auditor:
        raise _plan_problem(
            path, f"the plan is for {data['auditor']!r}, not {auditor!r}", "auditor"
        )
    items_raw = data.get("items")
    if not isinstance(items_raw, list):
        raise _plan_problem(path, "expected a list of planned items", "items")
    items: list[PlannedItem] = []
    for index, entry in enumerate(items_raw):
        where = f"items.{index}"
        if not isinstance(entry, dict):
            raise _plan_problem(path, "expected an object", where)
        task_id, annotator = entry.get("task_id"), entry.get("annotator")
        revision, stratum = entry.get("revision"), entry.get("stratum", "")
        if not isinstance(task_id, str) or not isinstance(annotator, str):
            raise _plan_problem(path, "expected task_id and annotator strings", where)
        if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
            raise _plan_problem(path, "expected a revision >= 1", f"{where}.revision")
        items.append(PlannedItem(task_id, annotator, revision, str(stratum)))
    parameters = data.get("parameters")
    additions = data.get("additions", [])
    return AuditPlan(
        path=path,
        batch_id=data["batch_id"],
        auditor=auditor,
        seed=data["seed"],
        parameters=parameters if isinstance(parameters, dict) else {},
        created_at=data["created_at"],
        items=items,
        additions=additions if isinstance(additions, list) else [],
    )


@dataclass(frozen=True)
class PlanItemStatus:
    """One planned item: the answer as it was at the planned revision, and this auditor's
    audit of that revision if there is one."""

    item: PlannedItem
    answer: ResultRecord | None
    audit: AuditRecord | None
    current_revision: int | None

    @property
    def done(self) -> bool:
        return self.audit is not None

    @property
    def stale(self) -> bool:
        """The annotator changed the answer after it was planned."""
        return self.current_revision is not None and self.current_revision != self.item.revision


@dataclass
class PlanProgress:
    plan: AuditPlan
    batch: BatchInfo
    statuses: list[PlanItemStatus]
    problems: list[Problem]

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def done(self) -> int:
        return sum(1 for s in self.statuses if s.done)

    def next_item(self, after: int = -1) -> PlanItemStatus | None:
        """The first planned item not yet audited, after plan position `after`, wrapping."""
        count = len(self.statuses)
        for step in range(1, count + 1):
            status = self.statuses[(after + step) % count]
            if not status.done:
                return status
        return None


def plan_progress(
    batch_folder: Path, auditor: str, *, results_dir: Path | None = None
) -> PlanProgress:
    """Load the plan and match it with results and audits/<auditor>.jsonl."""
    batch = read_batch_info(batch_folder)
    plan = load_plan(batch.folder, auditor)
    answers: Answers = load_answers(batch, results_dir)
    audits = load_audits(batch, only_auditor=auditor)
    problems = answers.problems + audits.problems
    if plan.batch_id != batch.id:
        problems.append(
            Problem(
                plan.path,
                f"the plan was made for batch {plan.batch_id!r}, this batch is {batch.id!r}",
                field="batch_id",
            )
        )
    statuses: list[PlanItemStatus] = []
    for item in plan.items:
        current = answers.latest.get((item.annotator, item.task_id))
        statuses.append(
            PlanItemStatus(
                item=item,
                answer=answers.at_revision(item.annotator, item.task_id, item.revision),
                audit=audits.by_revision.get(
                    (auditor, item.annotator, item.task_id, item.revision)
                ),
                current_revision=current.revision if current is not None else None,
            )
        )
    return PlanProgress(plan, batch, statuses, problems)
