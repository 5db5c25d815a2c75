"""The team plan: what every process agrees on without talking (issue 12).

Given the batch's tasks (ids in file order, and the meta values it routes or stratifies by)
and `[team]`, these pure functions say, the same way in every process:

- the target: how many distinct annotators a task needs (`annotations_per_task`, or the
  overlap sample's `annotations`; None for "all": every annotator who opens the batch);
- the overlap sample: chosen by a stable hash of (seed, task id), the smallest hashes
  first, optionally the same share of every value of a meta field; a count means exactly
  that many tasks, a fraction round(fraction x tasks);
- routing: who may label a task (a task whose value has no route is open to everyone);
- the order: file order, a seeded shuffle (by hash), or started tasks first (the ledger
  knows which are started; the plan gives the order among them).

No clock, no file, no randomness that is not derived from the seed: two processes given the
same tasks and settings compute the same plan.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.core.team.settings import OverlapSettings, TeamSettings


@dataclass(frozen=True, slots=True)
class PlanTask:
    """One task as the plan sees it: its id and the meta values it needs (as strings)."""

    task_id: str
    meta: Mapping[str, str | None] = field(default_factory=dict)


def stable_hash(seed: int, task_id: str) -> int:
    """A 64-bit hash of (seed, task id) that is the same in every process and Python run
    (unlike hash(), which is salted per process)."""
    digest = hashlib.blake2b(f"{seed}\0{task_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def meta_value(raw: Mapping[str, Any], name: str) -> str | None:
    """The value a task line carries for `name`: its `meta` entry, else a top-level field of
    that name; as a string (numbers and booleans as TOML writes them), None when absent or
    not a scalar."""
    meta = raw.get("meta")
    value = meta.get(name) if isinstance(meta, Mapping) and name in meta else raw.get(name)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return None


def _round(value: float) -> int:
    return math.floor(value + 0.5)


def _smallest(ids: Iterable[str], seed: int, k: int) -> list[str]:
    """The k ids with the smallest (stable_hash, id): the same set as sorting them all, but
    only the ids under a hash threshold are sorted (hashes are uniform, so a threshold a
    little above k/n of the range holds the k smallest; doubled until it does)."""
    if k <= 0:
        return []
    ids = list(ids)
    hashes = [stable_hash(seed, t) for t in ids]
    top = 1 << 64
    limit = min(top, (k * top) // max(len(ids), 1) * 11 // 10 + (1 << 40))
    while True:
        below = [(h, t) for h, t in zip(hashes, ids, strict=True) if h < limit]
        if len(below) >= k or limit >= top:
            break
        limit = min(top, limit * 2)
    below.sort()
    return [t for _, t in below[:k]]


def _shares(sizes: Sequence[int], total: int) -> list[int]:
    """Split `total` over strata proportionally to their sizes (largest remainder; ties to
    the larger stratum, then the earlier), so the shares add up to exactly `total`."""
    whole = sum(sizes)
    if whole == 0:
        return [0] * len(sizes)
    exact = [total * size / whole for size in sizes]
    shares = [math.floor(x) for x in exact]
    order = sorted(range(len(sizes)), key=lambda i: (-(exact[i] - shares[i]), -sizes[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return [min(s, size) for s, size in zip(shares, sizes, strict=True)]


def sample_size(overlap: OverlapSettings, tasks: int) -> int:
    if overlap.count is not None:
        return min(overlap.count, tasks)
    assert overlap.fraction is not None
    return min(tasks, _round(overlap.fraction * tasks))


def overlap_sample(tasks: Sequence[PlanTask], overlap: OverlapSettings) -> frozenset[str]:
    """The task ids of the overlap sample: `sample_size` of them, the smallest stable hashes,
    per stratum of `stratify_by` in proportion to its size when set."""
    ids = list(dict.fromkeys(t.task_id for t in tasks))
    k = sample_size(overlap, len(ids))
    if overlap.stratify_by is None:
        return frozenset(_smallest(ids, overlap.seed, k))
    strata: dict[str | None, list[str]] = {}
    seen: set[str] = set()
    for task in tasks:
        if task.task_id in seen:
            continue
        seen.add(task.task_id)
        strata.setdefault(task.meta.get(overlap.stratify_by), []).append(task.task_id)
    # Strata in a stable order (None last), so the shares do not depend on file order.
    keys = sorted(strata, key=lambda v: (v is None, v or ""))
    shares = _shares([len(strata[v]) for v in keys], k)
    chosen: list[str] = []
    for value, share in zip(keys, shares, strict=True):
        chosen += _smallest(strata[value], overlap.seed, share)
    return frozenset(chosen)


def target_of(settings: TeamSettings, in_sample: bool) -> int | None:
    """Distinct annotators a task needs; None: every annotator who opens the batch."""
    if in_sample and settings.overlap is not None:
        wanted = settings.overlap.annotations
    else:
        wanted = settings.annotations_per_task
    return None if wanted == "all" else int(wanted)


def eligible(settings: TeamSettings, annotator: str, route_value: str | None) -> bool:
    """Whether routing lets `annotator` label a task whose routed meta value is
    `route_value`. Without routing, or for a value with no route, everyone may."""
    if settings.route_by is None:
        return True
    names = settings.routes.get(route_value) if route_value is not None else None
    return names is None or annotator in names


def file_order(count: int) -> list[int]:
    return list(range(count))


def shuffled_order(task_ids: Sequence[str], seed: int) -> list[int]:
    """A seeded shuffle: tasks sorted by stable_hash(seed, id); the same in every process."""
    keys = [(stable_hash(seed, tid), tid) for tid in task_ids]
    return sorted(range(len(task_ids)), key=keys.__getitem__)


def started_first(order: Sequence[int], started: Iterable[int]) -> list[int]:
    """`order` with the started tasks (file indexes) first, each group in `order`'s order."""
    first = set(started)
    return [i for i in order if i in first] + [i for i in order if i not in first]


class TeamPlan:
    """The plan of one batch: ids in file order, the sample, targets, routing and order."""

    def __init__(self, settings: TeamSettings, tasks: Sequence[PlanTask]) -> None:
        self.settings = settings
        self.task_ids: list[str] = []
        self.position: dict[str, int] = {}  # task id -> plan index (first occurrence)
        # plan index -> index in `tasks` (the batch's item index); arrays, not lists of int
        # objects: 4 bytes a task instead of 36 in a 1M-task batch.
        self.source = array("i")
        routed: list[str | None] = []
        kept: list[PlanTask] = []
        for number, task in enumerate(tasks):
            if task.task_id in self.position:
                continue  # a duplicate id is one task (the session marks the copy invalid)
            self.position[task.task_id] = len(self.task_ids)
            self.source.append(number)
            self.task_ids.append(task.task_id)
            kept.append(task)
            if settings.route_by is not None:
                routed.append(task.meta.get(settings.route_by))
        self.route_values = routed
        self.sample = (
            overlap_sample(kept, settings.overlap) if settings.overlap is not None else frozenset()
        )
        self.base_target = target_of(settings, False)
        self.sample_target = target_of(settings, True)
        count = len(self.task_ids)
        if settings.order == "shuffle":
            self.order = array("i", shuffled_order(self.task_ids, settings.seed))
            # rank[i]: where plan index i comes in the order.
            self.rank = array("i", bytes(4 * count))
            for rank, index in enumerate(self.order):
                self.rank[index] = rank
        else:
            self.order = array("i", range(count))
            self.rank = self.order  # the identity, shared

    def __len__(self) -> int:
        return len(self.task_ids)

    def target(self, index: int) -> int | None:
        if self.sample and self.task_ids[index] in self.sample:
            return self.sample_target
        return self.base_target

    def target_by_id(self, task_id: str) -> int | None:
        index = self.position.get(task_id)
        return None if index is None else self.target(index)

    def eligible(self, index: int, annotator: str) -> bool:
        if self.settings.route_by is None:
            return True
        return eligible(self.settings, annotator, self.route_values[index])

    def total_target(self, annotators: int) -> int:
        """The sum of every task's target; a task for "all" counts `annotators`."""
        total = 0
        for index in range(len(self.task_ids)):
            target = self.target(index)
            total += annotators if target is None else target
        return total
