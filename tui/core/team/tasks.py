"""The plan of an opened batch: every task's id (and the meta values the plan routes or
stratifies by), read through the batch's own index. Meant for a worker: a 1M-task batch
is read once, line by line, at a few microseconds a line."""

from __future__ import annotations

import orjson

from tui.core.batch import MAX_LINE_BYTES, Batch, task_id_of
from tui.core.problems import Problem
from tui.core.team.plan import PlanTask, TeamPlan, meta_value

NO_META: dict[str, str | None] = {}  # shared by every task when the plan needs no meta


def plan_tasks(batch: Batch) -> list[PlanTask]:
    team = batch.config.team
    fields = []
    if team is not None:
        if team.route_by:
            fields.append(team.route_by)
        if team.overlap is not None and team.overlap.stratify_by:
            fields.append(team.overlap.stratify_by)
    batch.index_rest()
    tasks: list[PlanTask] = []
    for _, line_no, data in batch.index.iter_lines():
        # The same ids as Batch.item(): a line that does not parse (or is refused as too
        # long) is "line-N" there too.
        raw = None
        if len(data) <= MAX_LINE_BYTES:
            try:
                raw = orjson.loads(data)
            except orjson.JSONDecodeError:
                raw = None
        if not isinstance(raw, dict):
            tasks.append(PlanTask(f"line-{line_no}"))
            continue
        if fields:
            tasks.append(
                PlanTask(task_id_of(raw, line_no), {n: meta_value(raw, n) for n in fields})
            )
        else:
            tasks.append(PlanTask(task_id_of(raw, line_no), NO_META))
    return tasks


def open_plan(batch: Batch) -> TeamPlan:
    """The team plan of a batch whose batch.toml has [team]; BatchError-like problems are
    the caller's (a batch without [team] is not a team batch)."""
    team = batch.config.team
    if team is None:
        raise ValueError(str(Problem(batch.folder / "batch.toml", "has no [team] table")))
    return TeamPlan(team, plan_tasks(batch))
