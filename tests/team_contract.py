"""The claim-logic contract every team Coordinator backend honours (issues 12 and 13).

Each check is a function taking a temporary folder and a factory; the factory opens a
coordinator on a batch folder (whose batch.toml has the [team] table) with a controlled
clock. tests/test_team_ledger.py runs them against the ledger; issue 13's PostgreSQL
backend runs the same list:

    from tests.team_contract import CONTRACT, Factory
    @pytest.mark.parametrize("check", CONTRACT, ids=lambda c: c.__name__)
    def test_contract(check, tmp_path): check(tmp_path, my_factory)

Answers reach a coordinator only through answered() here (the caller writes the results
file), so the checks hold for a backend that never reads results files.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.batch_factory import make_batch
from tui.core.team.coordinator import Claim, Coordinator
from tui.core.team.plan import PlanTask, overlap_sample
from tui.core.team.settings import OverlapSettings

LEASE = 60.0


class Clock:
    """A controlled clock: epoch seconds that move only when told."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


# (batch folder, clock) -> a coordinator for that batch. Called again for a second
# "process" on the same folder.
Factory = Callable[[Path, Clock], Coordinator]


def team_batch(
    folder: Path,
    n: int,
    team: str,
    *,
    meta: Callable[[int], dict[str, Any]] | None = None,
) -> Path:
    """A classify batch of n tasks t0..t(n-1) with `team` as the body of its [team] table
    (subtables may follow)."""
    tasks = []
    for i in range(n):
        task: dict[str, Any] = {"id": f"t{i}", "text": f"Text {i}"}
        if meta is not None:
            task["meta"] = meta(i)
        tasks.append(task)
    return make_batch(folder, tasks, extra="[team]\n" + team + "\n")


_revisions: dict[tuple[str, str], int] = {}
_answer_count = [0]


def answer(coord: Coordinator, annotator: str, task_id: str, kind: str = "accept") -> None:
    key = (annotator, task_id)
    _revisions[key] = _revisions.get(key, 0) + 1
    _answer_count[0] += 1
    n = _answer_count[0]  # submitted_at increases with every answer given here
    coord.answered(
        {
            "task_id": task_id,
            "annotator": annotator,
            "answer": kind,
            "revision": _revisions[key],
            "submitted_at": f"2026-11-30T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
            "value": {"labels": ["pos"]} if kind in ("accept", "reject") else None,
        }
    )


def ids(claims: list[Claim]) -> list[str]:
    return [c.task_id for c in claims]


def by_annotator(coord: Coordinator) -> dict[str, Any]:
    return {a.annotator: a for a in coord.status().annotators}


# -- the checks --------------------------------------------------------------------------------
def check_never_more_than_target(tmp: Path, factory: Factory) -> None:
    """Random claims, renewals, answers, releases, skips and time by 4 annotators in 2
    processes: at every step no task has more live claims + counted answers than its target;
    a claim beyond it is only ever a take-over of a colleague's stale claim."""
    for seed in range(12, 20):
        _random_walk(tmp / f"walk-{seed}", factory, seed)


def _random_walk(tmp: Path, factory: Factory, seed: int) -> None:
    overlap = OverlapSettings(count=6, annotations=2, seed=3)
    folder = team_batch(
        tmp / "b",
        30,
        f"annotations_per_task = 1\nlease_seconds = {LEASE}\nclaim_size = 3\n"
        "[team.overlap]\ncount = 6\nannotations = 2\nseed = 3\n",
    )
    sample = overlap_sample([PlanTask(f"t{i}") for i in range(30)], overlap)
    target = {f"t{i}": 2 if f"t{i}" in sample else 1 for i in range(30)}
    clock = Clock()
    procs = [factory(folder, clock), factory(folder, clock)]
    rnd = random.Random(seed)
    people = ["anna", "bram", "carl", "dana"]
    live: dict[tuple[str, str], tuple[float, float]] = {}  # (task, who) -> (until, renewed at)
    counted: dict[str, set[str]] = {}
    seen: dict[str, set[str]] = {}

    def holders(task: str) -> set[str]:
        return {a for (t, a), (u, _) in live.items() if t == task and u > clock.t}

    assert procs[0].status().target_answers == 36
    takeovers = 0
    for _ in range(500):
        who = rnd.choice(people)
        coord = procs[people.index(who) % 2]
        action = rnd.random()
        mine = sorted(t for t in holders_of(live, who, clock.t))
        if action < 0.35:
            for c in coord.claim(who, rnd.randint(1, 3)):
                assert who not in seen.get(c.task_id, set()), "offered a task they answered"
                assert who not in holders(c.task_id), "offered a task they hold"
                if (
                    len(holders(c.task_id) | counted.get(c.task_id, set()) | {who})
                    > target[c.task_id]
                ):
                    stale = [
                        (at, a)
                        for (t, a), (u, at) in live.items()
                        if t == c.task_id and u > clock.t and at < clock.t - LEASE / 2
                    ]
                    assert stale, f"{c.task_id} claimed beyond its target"
                    del live[(c.task_id, min(stale)[1])]
                    takeovers += 1
                live[(c.task_id, who)] = (c.until, clock.t)
        elif action < 0.5 and mine:
            for c in coord.renew(who, mine):
                live[(c.task_id, who)] = (c.until, clock.t)
        elif action < 0.75 and mine:
            task = rnd.choice(mine)
            kind = "skip" if rnd.random() < 0.15 else "accept"
            answer(coord, who, task, kind)
            seen.setdefault(task, set()).add(who)
            del live[(task, who)]
            if kind == "accept":
                counted.setdefault(task, set()).add(who)
        elif action < 0.8 and mine:
            coord.release(who, mine[:1])
            del live[(mine[0], who)]
        else:
            clock.advance(rnd.choice([1, 5, 20, 40]))
        for task, wanted in target.items():
            assert len(holders(task) | counted.get(task, set())) <= wanted, task
    assert takeovers > 0 and sum(len(v) for v in counted.values()) > 20


def holders_of(live: dict[tuple[str, str], tuple[float, float]], who: str, now: float) -> list[str]:
    return [t for (t, a), (u, _) in live.items() if a == who and u > now]


def check_expiry(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 3, f"lease_seconds = {LEASE}")
    clock = Clock()
    coord = factory(folder, clock)
    assert ids(coord.claim("anna", 10)) == ["t0", "t1", "t2"]
    assert coord.claim("bram", 10) == []
    clock.advance(LEASE * 0.4)
    assert len(coord.renew("anna", ["t0", "t1", "t2"])) == 3
    clock.advance(LEASE * 0.4)
    assert coord.claim("bram", 10) == []  # live, and renewed lately: nothing to take over
    clock.advance(LEASE * 0.6 + 1)  # no janitor: the leases ended on their own
    got = coord.claim("bram", 10)
    assert ids(got) == ["t0", "t1", "t2"]
    assert all(c.until == clock.t + LEASE for c in got)
    people = by_annotator(coord)
    assert people["anna"].expired == 3 and people["anna"].claimed == 0
    assert people["bram"].claimed == 3


def check_renew_only_live(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 4, f"lease_seconds = {LEASE}")
    clock = Clock()
    coord = factory(folder, clock)
    coord.claim("anna", 2)  # t0, t1
    clock.advance(LEASE / 2)
    renewed = coord.renew("anna", ["t0"])
    assert ids(renewed) == ["t0"] and renewed[0].until == clock.t + LEASE
    assert coord.renew("bram", ["t0", "t1"]) == []  # not theirs
    assert coord.renew("anna", ["t3"]) == []  # never claimed
    clock.advance(LEASE / 2 + 1)  # t1 ended, t0 was renewed
    assert ids(coord.renew("anna", ["t0", "t1"])) == ["t0"]
    assert ids(coord.claim("bram", 10)) == ["t1", "t2", "t3"]


def check_release(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 4, f"lease_seconds = {LEASE}")
    clock = Clock()
    coord = factory(folder, clock)
    assert ids(coord.claim("anna", 3)) == ["t0", "t1", "t2"]
    coord.release("anna", ["t1"])
    assert ids(coord.claim("bram", 1)) == ["t1"]
    coord.release("anna")  # on quit: all of them
    assert ids(coord.claim("bram", 10)) == ["t0", "t2", "t3"]
    people = by_annotator(coord)
    assert people["anna"].claimed == 0 and people["anna"].expired == 0


def check_takeover_at_the_end(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 2, f"lease_seconds = {LEASE}")
    clock = Clock()
    anna = factory(folder, clock)
    bram = factory(folder, clock)
    assert ids(anna.claim("anna", 2)) == ["t0", "t1"]
    clock.advance(LEASE * 0.25)
    assert bram.claim("bram", 2) == []  # anna is active: nothing to take
    anna.renew("anna", ["t0"])  # she works on t0; t1 waits in her queue unrenewed
    clock.advance(LEASE * 0.3)  # t1 not renewed for 0.55 of a lease
    taken = bram.claim("bram", 2)
    assert ids(taken) == ["t1"], "only the stale claim is taken over"
    assert ids(anna.renew("anna", ["t1"])) == []  # hers no more: her queue drops it
    assert by_annotator(anna)["anna"].expired == 1
    answer(bram, "bram", "t1")
    answer(anna, "anna", "t1")  # too late: saved anyway, counted as over-coverage
    status = anna.status()
    assert status.over_covered == 1
    assert by_annotator(anna)["anna"].over_covered == 1


def check_overlap_deterministic(tmp: Path, factory: Factory) -> None:
    """Two processes agree on the sample: three annotators working through one batch give
    exactly `count` tasks two answers and every other task one."""
    folder = team_batch(
        tmp / "b",
        40,
        f"lease_seconds = {LEASE}\n[team.overlap]\ncount = 7\nannotations = 2\nseed = 11\n",
    )
    clock = Clock()
    procs = [factory(folder, clock), factory(folder, clock)]
    answers: dict[str, list[str]] = {}
    progress = True
    while progress:
        progress = False
        for i, who in enumerate(["anna", "bram", "carl"]):
            coord = procs[i % 2]
            for c in coord.claim(who, 2):
                answer(coord, who, c.task_id)
                answers.setdefault(c.task_id, []).append(who)
                progress = True
    sizes = sorted(len(v) for v in answers.values())
    assert len(answers) == 40
    assert sizes.count(2) == 7 and sizes.count(1) == 33
    for who_list in answers.values():
        assert len(set(who_list)) == len(who_list)
    for coord in procs:
        status = coord.status()
        assert status.target_answers == 47 and status.done_answers == 47
        assert status.covered_tasks == 40 and status.pool_left == 0 and status.over_covered == 0


def check_stratified_sample(tmp: Path, factory: Factory) -> None:
    folder = team_batch(
        tmp / "b",
        40,
        '[team.overlap]\nfraction = 0.25\nannotations = 2\nstratify_by = "lang"\n',
        meta=lambda i: {"lang": "nl" if i < 30 else "en"},
    )
    clock = Clock()
    coord = factory(folder, clock)
    twice: dict[str, int] = {}
    for who in ("anna", "bram"):
        while True:
            got = coord.claim(who, 5)
            if not got:
                break
            for c in got:
                answer(coord, who, c.task_id)
                twice[c.task_id] = twice.get(c.task_id, 0) + 1
    sample = [t for t, n in twice.items() if n == 2]
    nl = [t for t in sample if int(t[1:]) < 30]
    # 25 % of 40 = 10: 7.5 of the 30 nl tasks, 2.5 of the 10 en ones; the tie goes to
    # the larger stratum.
    assert len(sample) == 10 and len(nl) == 8


def check_routing(tmp: Path, factory: Factory) -> None:
    folder = team_batch(
        tmp / "b",
        6,
        'route_by = "lang"\n[team.routes]\nnl = ["anna"]\nen = ["bram", "anna"]\n',
        meta=lambda i: {"lang": ["nl", "en", "de"][i % 3]},
    )
    clock = Clock()
    coord = factory(folder, clock)
    assert ids(coord.claim("bram", 10)) == ["t1", "t2", "t4", "t5"]  # en, and de (no route)
    assert ids(coord.claim("carl", 10)) == []  # nl is anna's, en and de are taken
    assert ids(coord.claim("anna", 10)) == ["t0", "t3"]


def check_quota(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 10, "quota = 3\n[team.quotas]\nbram = 1\n")
    clock = Clock()
    coord = factory(folder, clock)
    got = coord.claim("anna", 2)
    assert len(got) == 2
    answer(coord, "anna", got[0].task_id)
    assert len(coord.claim("anna", 5)) == 1  # 1 answered + 1 held + 1 new = 3
    assert coord.claim("anna", 5) == []
    assert len(coord.claim("bram", 5)) == 1
    assert coord.claim("bram", 5) == []


def check_skip_release(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 2, 'skip = "release"')
    clock = Clock()
    coord = factory(folder, clock)
    assert ids(coord.claim("anna", 1)) == ["t0"]
    answer(coord, "anna", "t0", "skip")
    assert ids(coord.claim("anna", 5)) == ["t1"], "a skipped task is not offered to her again"
    assert ids(coord.claim("bram", 5)) == ["t0"], "her skip released it to others"
    assert coord.status().done_answers == 0


def check_skip_count(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 2, 'skip = "count"')
    clock = Clock()
    coord = factory(folder, clock)
    assert ids(coord.claim("anna", 1)) == ["t0"]
    answer(coord, "anna", "t0", "skip")
    assert ids(coord.claim("bram", 5)) == ["t1"], "a counted skip covers the task"
    assert coord.status().done_answers == 1


def check_over_coverage_counted(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 1, f"lease_seconds = {LEASE}")
    clock = Clock()
    coord = factory(folder, clock)
    assert ids(coord.claim("anna", 1)) == ["t0"]
    clock.advance(LEASE + 1)  # anna's lease ended while she was away
    assert ids(coord.claim("bram", 1)) == ["t0"]
    answer(coord, "bram", "t0")
    answer(coord, "anna", "t0")  # never refused
    status = coord.status()
    assert status.done_answers == 1 and status.over_covered == 1
    people = by_annotator(coord)
    assert people["anna"].over_covered == 1 and people["bram"].done == 1


def check_all_annotators(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 3, 'annotations_per_task = "all"')
    clock = Clock()
    coord = factory(folder, clock)
    for who in ("anna", "bram", "carl", "dana", "eve"):
        assert ids(coord.claim(who, 10)) == ["t0", "t1", "t2"], "never capped"


def check_answered_not_offered_again(tmp: Path, factory: Factory) -> None:
    folder = team_batch(
        tmp / "b", 2, f"lease_seconds = {LEASE}\n[team.overlap]\ncount = 2\nannotations = 2\n"
    )
    clock = Clock()
    coord = factory(folder, clock)
    assert ids(coord.claim("anna", 1)) == ["t0"]
    answer(coord, "anna", "t0")
    clock.advance(LEASE * 3)
    assert ids(coord.claim("anna", 5)) == ["t1"]
    # Both need two annotators: t0 has anna's answer, t1 her claim.
    assert ids(coord.claim("bram", 5)) == ["t0", "t1"]
    assert coord.claim("carl", 5) == []  # each task has two: an answer or a claim
    answer(coord, "bram", "t0")
    assert coord.claim("carl", 5) == []
    assert coord.claim("anna", 5) == []  # she answered t0 and holds t1


def check_undo_frees_the_task(tmp: Path, factory: Factory) -> None:
    folder = team_batch(tmp / "b", 1, f"lease_seconds = {LEASE}")
    clock = Clock()
    coord = factory(folder, clock)
    coord.claim("anna", 1)
    answer(coord, "anna", "t0")
    assert coord.claim("bram", 1) == []
    answer(coord, "anna", "t0", "undone")
    assert ids(coord.claim("bram", 1)) == ["t0"]


CONTRACT: list[Callable[[Path, Factory], None]] = [
    check_never_more_than_target,
    check_expiry,
    check_renew_only_live,
    check_release,
    check_takeover_at_the_end,
    check_overlap_deterministic,
    check_stratified_sample,
    check_routing,
    check_quota,
    check_skip_release,
    check_skip_count,
    check_over_coverage_counted,
    check_all_annotators,
    check_answered_not_offered_again,
    check_undo_frees_the_task,
]
