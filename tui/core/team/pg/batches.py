"""Batches in the database: `team push` registers a folder, `team pull` writes one back.

push stores batch.toml and the guidelines verbatim, every task line as its bytes (in file
order, with the plan's target, claim rank and route per task): annotators on other machines
then get exactly the same items. Media stay files: a task names a path (or URL) that the
annotator's machine must be able to read, as in the folder.

pull writes the batch folder format back: batch.toml, the tasks file, the guidelines, and
results/<annotator>.jsonl with each answer line exactly as the annotator's machine wrote it,
in the order it arrived. A results file already in the folder is never rewritten: the lines
it lacks are appended (it may hold answers not sent yet: it is that annotator's journal).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.core.batch import Batch
from tui.core.i18n import _
from tui.core.jsonl_store import AppendOnlyJsonl
from tui.core.problems import BatchError, Problem
from tui.core.result_lines import read_result_lines
from tui.core.safe_files import make_private_dirs, open_regular
from tui.core.team.pg.connect import DatabaseUnavailableError

# (task ids in file order) -> per task: (target or None for "all", claim rank, route or None)
PlanRows = Callable[[Batch, Sequence[str]], list[tuple[int | None, int, list[str] | None]]]


def team_plan_rows(
    batch: Batch, ids: Sequence[str]
) -> list[tuple[int | None, int, list[str] | None]]:
    """What the team plan says of each task (the same plan every process computes): its
    target, its place in the claim order, and who may claim it (None: anyone)."""
    from tui.core.team.tasks import open_plan

    if batch.config.team is None:
        raise BatchError(
            [
                Problem(
                    batch.folder / "batch.toml",
                    _(
                        "has no [team] table: a batch in a database is a team batch (add "
                        '[team] with at least database = "<connection string>"; see README, '
                        "Beyond one server)"
                    ),
                )
            ]
        )
    plan = open_plan(batch)
    settings = plan.settings
    rows: list[tuple[int | None, int, list[str] | None]] = []
    for task_id in ids:
        index = plan.position[task_id]
        route = None
        if settings.route_by is not None:
            value = plan.route_values[index]
            names = settings.routes.get(value) if value is not None else None
            route = list(names) if names is not None else None
        rows.append((plan.target(index), plan.rank[index], route))
    return rows


@dataclass(frozen=True)
class PushReport:
    batch_id: str
    tasks: int
    overlap_tasks: int  # tasks with a target above the lowest one


@dataclass(frozen=True)
class PullReport:
    batch_id: str
    folder: Path
    written: list[str]  # files created
    appended: dict[str, int]  # results file -> lines appended
    unchanged: int  # answers already in the folder


def _error_problems(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def push_batch(conn: Any, folder: Path, plan_rows: PlanRows) -> PushReport:
    """Register the batch in `folder`. BatchError with every problem when the batch does not
    validate (nothing is written); DatabaseUnavailableError when the id is already there."""
    batch = Batch.open(folder)
    if not folder.is_dir():
        raise BatchError([Problem(folder, _("team push needs a batch folder (with batch.toml)"))])
    problems, _invalid = batch.validate_all()
    errors = _error_problems(problems)
    if errors:
        raise BatchError(errors)
    toml_path = folder / "batch.toml"
    toml_text = toml_path.read_text(encoding="utf-8-sig")
    settings = tomllib.loads(toml_text)
    guidelines: bytes | None = None
    if batch.guidelines_path is not None:
        guidelines = batch.guidelines_path.read_bytes()
    ids = [batch.task_id_at(i) for i in range(len(batch))]
    rows = plan_rows(batch, ids)
    low = min((r[0] for r in rows if r[0] is not None), default=1)
    with conn.transaction():
        found = conn.execute(
            "SELECT task_count, pushed_at FROM labeldesk_batches WHERE batch_id = %s FOR UPDATE",
            (batch.id,),
        ).fetchone()
        if found is not None:
            raise DatabaseUnavailableError(
                f"batch {batch.id!r} is already in the database ({found[0]} tasks, pushed "
                f"{found[1]:%Y-%m-%d %H:%M} UTC); pull it, or push the folder under another id"
            )
        conn.execute(
            "INSERT INTO labeldesk_batches (batch_id, batch_toml, settings, tasks_name,"
            " guidelines_name, guidelines, task_count) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                batch.id,
                toml_text,
                orjson.dumps(settings).decode(),
                batch.config.tasks,
                batch.config.guidelines if guidelines is not None else None,
                guidelines,
                len(ids),
            ),
        )
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY labeldesk_tasks (batch_id, task_id, position, line, target, claim_rank, route)"
                " FROM STDIN"
            ) as copy,
        ):
            for position, (task_id, (target, rank, route)) in enumerate(
                zip(ids, rows, strict=True)
            ):
                line = batch.index.line(position)
                copy.write_row((batch.id, task_id, position, line, target, rank, route))
        # Statistics of the new rows now, not at autovacuum's next round: without them the
        # planner takes the tasks table for a few rows and a claim sorts all of them.
        conn.execute("ANALYZE labeldesk_tasks")
    batch.index.close()
    return PushReport(batch.id, len(ids), sum(1 for r in rows if r[0] is not None and r[0] > low))


def _write_new(path: Path, data: bytes) -> None:
    fd, _ = open_regular(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_or_new(path: Path, data: bytes, written: list[str]) -> None:
    """Create `path` with `data`, or accept it when it already holds exactly that."""
    if path.exists() or path.is_symlink():
        fd, _ = open_regular(path, os.O_RDONLY)
        with os.fdopen(fd, "rb") as fh:
            if fh.read() != data:
                raise DatabaseUnavailableError(
                    f"{path} exists and differs from the batch in the database; pull into "
                    "another folder (-o FOLDER)"
                )
        return
    _write_new(path, data)
    written.append(str(path))


def pull_batch(conn: Any, batch_id: str, folder: Path) -> PullReport:
    """Write batch `batch_id` and every answer into `folder` (see the module's doc)."""
    row = conn.execute(
        "SELECT batch_toml, tasks_name, guidelines_name, guidelines FROM labeldesk_batches"
        " WHERE batch_id = %s",
        (batch_id,),
    ).fetchone()
    if row is None:
        known = [r[0] for r in conn.execute("SELECT batch_id FROM labeldesk_batches LIMIT 20")]
        raise DatabaseUnavailableError(
            f"no batch {batch_id!r} in the database"
            + (f" (it has: {', '.join(known)})" if known else " (it has none: push one first)")
        )
    toml_text, tasks_name, guidelines_name, guidelines = row
    make_private_dirs(folder)
    written: list[str] = []
    _same_or_new(folder / "batch.toml", toml_text.encode("utf-8"), written)
    lines = [
        bytes(r[0])
        for r in conn.execute(
            "SELECT line FROM labeldesk_tasks WHERE batch_id = %s ORDER BY position", (batch_id,)
        )
    ]
    _same_or_new(folder / tasks_name, b"".join(line + b"\n" for line in lines), written)
    if guidelines_name is not None and guidelines is not None:
        _same_or_new(folder / guidelines_name, bytes(guidelines), written)
    by_annotator: dict[str, list[tuple[str, int, str]]] = {}
    for annotator, task_id, revision, line in conn.execute(
        "SELECT annotator, task_id, revision, line FROM labeldesk_answers WHERE batch_id = %s"
        " ORDER BY annotator, seq",
        (batch_id,),
    ):
        by_annotator.setdefault(annotator, []).append((task_id, revision, line))
    results = folder / "results"
    appended: dict[str, int] = {}
    unchanged = 0
    for annotator, answers in by_annotator.items():
        path = results / f"{annotator}.jsonl"
        if not (path.exists() or path.is_symlink()):
            make_private_dirs(results)
            _write_new(path, "".join(line + "\n" for _, _, line in answers).encode("utf-8"))
            written.append(str(path))
            continue
        # The folder's own file is a journal: keep it, add only what it lacks.
        problems: list[Problem] = []
        have = {(r.task_id, r.revision) for r in read_result_lines(path, problems)}
        missing = [a for a in answers if (a[0], a[1]) not in have]
        unchanged += len(answers) - len(missing)
        if missing:
            with AppendOnlyJsonl(path, owner=annotator) as store:
                for _, _, line in missing:
                    store.append(orjson.loads(line))
            appended[str(path)] = len(missing)
    return PullReport(batch_id, folder, written, appended, unchanged)
