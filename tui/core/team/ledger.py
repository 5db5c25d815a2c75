"""The file backend of the team Coordinator: an append-only ledger under the batch folder.

`team/claims.jsonl` holds one JSON object per line (DESIGN "Working as a team"):

    {"op": "claim",    "task": "t1", "by": "anna", "until": 1764470000.5, "at": 1764469400.5}
    {"op": "renew",    "task": "t1", "by": "anna", "until": 1764470300.0, "at": 1764469700.0}
    {"op": "release",  "task": "t1", "by": "anna", "why": "quit", "at": ...}
    {"op": "takeover", "task": "t1", "by": "bram", "from": "anna", "until": ..., "at": ...}
    {"op": "answer",   "task": "t1", "by": "anna", "answer": "accept", "rev": 1,
                       "when": "2026-11-30T10:00:03.240Z", "at": ...}

Lines are appended only while holding an exclusive flock on the ledger file itself (so a
deleted lock note can let nobody in); every process replays the same lines in the same
order, so they agree on who holds what. A line is one write() ending in a newline; a
fragment left by a killed writer is ended by the next writer and skipped by every reader as
one bad line. The ledger is not fsynced: a machine crash can lose recent claims, which costs
at most over-coverage (counted); the results files remain the only record of answers.

Answers are counted from `results/*.jsonl` (read incrementally through the one reader,
outside the lock) and from "answer" lines (written by answered(), so a colleague's claim
decision sees an answer at once). Per annotator and task the highest revision wins, so the
two sources agree once both are read.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import threading
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import orjson

from tui.core.problems import Problem
from tui.core.result_lines import ResultLine, ResultsTail
from tui.core.safe_files import open_regular, same_file
from tui.core.team.coordinator import AnnotatorStatus, Claim, TeamStatus
from tui.core.team.folder import RESULTS_DIR, TEAM_DIR, make_team_dir
from tui.core.team.plan import TeamPlan
from tui.core.team.settings import TeamSettings

LEDGER_NAME = "claims.jsonl"
_CHUNK = 8 << 20
MAX_PROBLEMS = 1000  # kept per coordinator; the rest are counted, not kept
_OPS = frozenset({"claim", "renew", "release", "takeover", "answer"})
COUNTING = frozenset({"accept", "reject", "flag"})
# A colleague's claim can be taken over (at the end) once it has not been renewed for this
# share of the lease: an active session renews well before (see TeamQueue.to_renew).
TAKEOVER_AFTER = 0.5


def _time(value: object) -> float | None:
    if type(value) is int or type(value) is float:
        return float(value)
    return None


class LedgerGoneError(OSError):
    """The ledger file was removed or replaced while open: claims would be lost."""


@dataclass(slots=True)
class _Lease:
    until: float
    at: float  # when it was taken or last renewed


# One answer: (annotator, revision, answer kind, submitted_at). A plain tuple of strings and
# ints: the cyclic GC stops tracking it after one pass (a tuple subclass, even a NamedTuple,
# stays tracked), so a full collection does not walk a million answers (300 ms at 1M)
# while a key waits on the GIL.
_Answer = tuple[str, int, str, str]
BY: Final = 0
REV: Final = 1
KIND: Final = 2
WHEN: Final = 3
# Most tasks have one answerer: their entry is that tuple itself, not a dict of one (a
# 1M-task batch keeps ~180 bytes less per answered task).
_Answers = _Answer | dict[str, _Answer]
_KINDS = {kind: kind for kind in ("accept", "reject", "skip", "flag", "undone")}


class _NextFree:
    """For one annotator: the next rank at or after r that may still be free for them.
    Ranks that can never be (covered, answered by them, routed elsewhere) are removed as the
    scan meets them, so a scan does not walk the covered part of a 1M-task batch again
    (union-find with path halving)."""

    def __init__(self, size: int) -> None:
        self.next = array("i", range(size + 1))

    def find(self, rank: int) -> int:
        nxt = self.next
        while nxt[rank] != rank:
            nxt[rank] = nxt[nxt[rank]]
            rank = nxt[rank]
        return rank

    def remove(self, rank: int) -> None:
        self.next[rank] = rank + 1


class LedgerCoordinator:
    """Coordinator over team/claims.jsonl. Thread-safe (one lock per instance); across
    processes the ledger's flock orders every decision."""

    def __init__(
        self,
        folder: Path,
        plan: TeamPlan,
        *,
        results_dir: Path | None = None,
        batch_id: str | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.folder = folder
        # Lines of another batch id in a results file are not this batch's answers (the
        # results store ignores them the same way).
        self.batch_id = batch_id
        self.plan = plan
        self.settings: TeamSettings = plan.settings
        self.results_dir = results_dir if results_dir is not None else folder / RESULTS_DIR
        self._now = now
        self.problems: list[Problem] = []
        self.problems_dropped = 0
        self.path = folder / TEAM_DIR / LEDGER_NAME
        make_team_dir(self.path.parent, self.settings)
        self._fd, _ = open_regular(
            self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, mode=self.settings.file_mode
        )
        self._mutex = threading.RLock()
        self._offset = 0
        self._line = 0
        self._tails: dict[str, ResultsTail] = {}
        self._leases: dict[str, dict[str, _Lease]] = {}  # task -> annotator -> lease
        self._answers: dict[str, _Answers] = {}  # task -> its answer(s) by annotator
        self._done: Counter[str] = Counter()  # counted answers per annotator (for quotas)
        self._names: dict[str, str] = {}  # one string object per annotator name
        self._expired: Counter[str] = Counter()
        self._annotators: set[str] = set()
        self._started: set[int] = set()  # ranks of tasks claimed or answered, maybe not done
        self._next_free: dict[str, _NextFree] = {}
        self._started_first = self.settings.order == "started-first"
        # The answers that count toward a task's target (a skip too, if the batch says so).
        self._counting = COUNTING | ({"skip"} if self.settings.skip == "count" else set())
        self.lock_max_ms = 0.0
        self.lock_max_cpu_ms = 0.0
        self.team_lock_max_ms = 0.0  # the longest hold any process recorded in the ledger
        self.lock_count = 0
        with self._mutex:
            self._read_results()
            self._read_ledger()

    # -- reading ---------------------------------------------------------------------------
    def _read_results(self) -> None:
        """New lines of every results file (outside the ledger lock: these reads can be
        long, and the results files are not the ledger's to order)."""
        try:
            entries = list(os.scandir(self.results_dir))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if not name.endswith(".jsonl") or name.startswith("."):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            annotator = name[: -len(".jsonl")]
            tail = self._tails.get(annotator)
            if tail is None:
                tail = self._tails[annotator] = ResultsTail(Path(entry.path))
            elif tail.unchanged(info):
                continue  # nothing appended: not even opened
            found: list[Problem] = []
            for line in tail.read_new(found):
                if line.batch_id is None or self.batch_id is None or line.batch_id == self.batch_id:
                    self._apply_result(annotator, line)
            self._keep(found)

    def _apply_result(self, annotator: str, line: ResultLine) -> None:
        self._annotators.add(annotator)
        self._set_answer(
            line.task_id, annotator, line.revision, line.answer, line.submitted_at or ""
        )

    def _read_ledger(self) -> None:
        if not same_file(self._fd, self.path):
            raise LedgerGoneError(
                errno.ESTALE,
                f"{self.path} was removed or replaced while open: the team's claims are gone "
                "from it. Quit and reopen the batch (answers are safe in results/).",
            )
        size = os.fstat(self._fd).st_size
        carry = b""
        at = self._offset
        while at < size:  # 8 MB at a time: a long ledger is never held whole
            data = os.pread(self._fd, min(size - at, _CHUNK), at)
            if not data:
                break
            at += len(data)
            block = carry + data
            end = block.rfind(b"\n") + 1
            carry = block[end:]
            for raw in block[:end].split(b"\n")[:-1]:
                self._line += 1
                if raw.strip():
                    self._apply_raw(raw)
            self._offset += end

    def _keep(self, found: list[Problem]) -> None:
        room = MAX_PROBLEMS - len(self.problems)
        self.problems.extend(found[: max(room, 0)])
        self.problems_dropped += max(len(found) - max(room, 0), 0)

    def _bad(self, message: str, field: str | None = None) -> None:
        self._keep([Problem(self.path, message, self._line, field)])

    def _apply_raw(self, raw: bytes) -> None:
        try:
            op = orjson.loads(raw)
        except orjson.JSONDecodeError:
            self._bad("not valid JSON (a line cut by a killed writer?); skipped")
            return
        # A str check first: a list or object there is unhashable (a colleague's line must
        # be one bad line, never stop every annotator's team worker).
        if type(op) is not dict or type(op.get("op")) is not str or op["op"] not in _OPS:
            self._bad("expected an object with op = claim, renew, release, takeover or answer")
            return
        task, by, at = op.get("task"), op.get("by"), _time(op.get("at"))
        if type(task) is not str or type(by) is not str or at is None:
            self._bad("expected task and by (strings) and at (a time)")
            return
        self._apply(op, task, by, at)

    def _apply(self, op: Mapping[str, Any], task: str, by: str, at: float) -> None:
        kind = op["op"]
        held = _time(op.get("lock_ms"))
        if held is not None and held > self.team_lock_max_ms:
            self.team_lock_max_ms = held
        self._annotators.add(by)
        if kind == "answer":
            answer, rev, when = op.get("answer"), op.get("rev"), op.get("when")
            if type(answer) is not str:
                self._bad("expected answer (a string)", "answer")
                return
            self._set_answer(
                task,
                by,
                rev if type(rev) is int else None,
                answer,
                when if type(when) is str else "",
            )
            return
        leases = self._leases.get(task)
        if kind == "release":
            if leases is not None and leases.pop(by, None) is not None and not leases:
                del self._leases[task]
            return
        until = _time(op.get("until"))
        if until is None:
            self._bad("expected until (a time)", "until")
            return
        if kind == "renew":
            lease = leases.get(by) if leases is not None else None
            if lease is not None:
                lease.until, lease.at = until, at
            return
        if leases is None:
            leases = self._leases[task] = {}
        if kind == "takeover":
            old = op.get("from")
            if type(old) is str and leases.pop(old, None) is not None:
                self._expired[old] += 1
        for holder in [h for h, lease in leases.items() if lease.until <= at]:
            # Leases that ran out before this claim: counted once, then forgotten.
            del leases[holder]
            self._expired[holder] += 1
        mine = self._answer_of(task, by)
        if mine is None or not self._counts(mine[KIND]):
            leases[by] = _Lease(until, at)
        # else: their answer was read first (results files are read before the ledger
        # lines that led to it): the claim is already used up.
        if not leases:
            del self._leases[task]
        self._mark_started(task)

    def _counts(self, answer: str) -> bool:
        return answer in self._counting

    def _answers_of(self, task: str) -> dict[str, _Answer]:
        entry = self._answers.get(task)
        if entry is None:
            return {}
        return {entry[BY]: entry} if isinstance(entry, tuple) else entry

    def _answer_of(self, task: str, by: str) -> _Answer | None:
        entry = self._answers.get(task)
        if isinstance(entry, tuple):
            return entry if entry[BY] == by else None
        return None if entry is None else entry.get(by)

    def _set_answer(self, task: str, by: str, rev: int | None, answer: str, when: str) -> None:
        # The hot path of opening a team batch (a call per answer line of both sources).
        index = self.plan.position.get(task)
        if index is not None:
            task = self.plan.task_ids[index]  # keep the plan's string, not one per line
        by = self._names.setdefault(by, by)
        answer = _KINDS.get(answer, answer)
        entry = self._answers.get(task)
        if entry is None:
            prev = None
        elif isinstance(entry, tuple):
            prev = entry if entry[BY] == by else None
        else:
            prev = entry.get(by)
        if prev is not None and rev is not None and rev < prev[REV]:
            return  # an older line than the one known (the other source was read first)
        counting = self._counting
        was = prev is not None and prev[KIND] in counting
        new = (by, rev if rev is not None else (prev[REV] if prev else 0), answer, when)
        if entry is None or prev is entry:
            self._answers[task] = new
        elif isinstance(entry, tuple):
            self._answers[task] = {entry[BY]: entry, by: new}
        else:
            entry[by] = new
        counts = answer in counting
        if counts != was:
            self._done[by] += 1 if counts else -1
        if counts:
            leases = self._leases.get(task)
            if leases is not None and leases.pop(by, None) is not None and not leases:
                del self._leases[task]  # an answered claim is used up
        elif was:
            # A withdrawn answer (undo) makes the task free again: rescan from the start.
            self._next_free.clear()
        self._mark_started(task)

    def _mark_started(self, task: str) -> None:
        if not self._started_first:
            return
        index = self.plan.position.get(task)
        if index is not None:
            self._started.add(self.plan.rank[index])

    # -- the lock --------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        start = time.perf_counter()
        cpu = time.thread_time()
        try:
            self._read_ledger()
            yield
        finally:
            held = (time.perf_counter() - start) * 1000
            worked = (time.thread_time() - cpu) * 1000
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            self.lock_count += 1
            self.lock_max_ms = max(self.lock_max_ms, held)
            # CPU time of the longest hold's work: a wall time far above it means the
            # holder was descheduled (a busy machine), not that the work was long.
            self.lock_max_cpu_ms = max(self.lock_max_cpu_ms, worked)

    def _write(self, ops: list[dict[str, Any]]) -> None:
        """Append the ops (under the lock) in one write, then replay them like any line."""
        if not ops:
            return
        if self.lock_max_ms > 0:
            # This process's longest hold so far travels with its lines, so `team status`
            # (which takes no lock) reports the team's longest, not its own.
            ops[0]["lock_ms"] = round(self.lock_max_ms, 3)
        data = b"".join(orjson.dumps(op) + b"\n" for op in ops)
        size = os.fstat(self._fd).st_size
        if size > self._offset:
            # A fragment of a killed writer's line: end it, so ours stays whole.
            data = b"\n" + data
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        self._read_ledger()

    # -- the rules -------------------------------------------------------------------------
    def _counted(self, task: str) -> list[str]:
        entry = self._answers.get(task)
        if entry is None:
            return []
        if isinstance(entry, tuple):
            return [entry[BY]] if self._counts(entry[KIND]) else []
        return [a for a, ans in entry.items() if self._counts(ans[KIND])]

    def _live(self, task: str, now: float) -> dict[str, _Lease]:
        leases = self._leases.get(task)
        if not leases:
            return {}
        return {a: lease for a, lease in leases.items() if lease.until > now}

    def _occupied(self, task: str, now: float) -> int:
        return len(set(self._counted(task)) | set(self._live(task, now)))

    def _covered(self, index: int) -> bool:
        target = self.plan.target(index)
        return target is not None and len(self._counted(self.plan.task_ids[index])) >= target

    def _never_for(self, index: int, annotator: str) -> bool:
        """Whether the task can never again be claimed by the annotator."""
        if self._covered(index) or not self.plan.eligible(index, annotator):
            return True
        return self._answer_of(self.plan.task_ids[index], annotator) is not None

    def _free_for(self, index: int, annotator: str, now: float) -> bool:
        task = self.plan.task_ids[index]
        live = self._live(task, now)
        if annotator in live:
            return False
        target = self.plan.target(index)
        return target is None or self._occupied(task, now) < target

    def _mine(self, annotator: str, now: float) -> int:
        """Counted answers plus live claims: what a quota limits."""
        done = self._done[annotator]
        held = sum(
            1
            for leases in self._leases.values()
            if annotator in leases and leases[annotator].until > now
        )
        return done + held

    def _catch_up(self) -> None:
        """Read what is new in the results files and the ledger without the lock (lines
        are appended whole and only complete lines are taken), so the lock is held only
        for the few lines written since."""
        self._read_results()
        self._read_ledger()

    def _advance(self, annotator: str, want: int, now: float) -> None:
        """Before the lock: drop the ranks that can never be this annotator's from the front
        of their scan (answered, covered, routed elsewhere), so the scan under the lock
        starts where free tasks are. Looks a little past what it needs: tasks claimed by
        colleagues may free up or stay taken."""
        scan = self._scan_of(annotator)
        plan = self.plan
        slack = want + len(self._leases) + 16
        rank = scan.find(0)
        while rank < len(plan) and slack > 0:
            if self._never_for(plan.order[rank], annotator):
                scan.remove(rank)
            else:
                slack -= 1
            rank = scan.find(rank + 1)

    def _scan_of(self, annotator: str) -> _NextFree:
        scan = self._next_free.get(annotator)
        if scan is None:
            scan = self._next_free[annotator] = _NextFree(len(self.plan))
        return scan

    def claim(self, annotator: str, want: int) -> list[Claim]:
        with self._mutex:
            self._catch_up()
            self._advance(annotator, want, self._now())
            with self._locked():
                now = self._now()
                quota = self.settings.quota_of(annotator)
                if quota is not None:
                    want = min(want, quota - self._mine(annotator, now))
                if want <= 0:
                    return []
                picked = self._pick(annotator, want, now)
                until = now + self.settings.lease_seconds
                ops: list[dict[str, Any]] = [
                    {
                        "op": "claim",
                        "task": self.plan.task_ids[i],
                        "by": annotator,
                        "until": until,
                        "at": now,
                    }
                    for i in picked
                ]
                if len(picked) < want:
                    chosen = {self.plan.task_ids[i] for i in picked}
                    ops += self._takeovers(annotator, want - len(picked), now, until, chosen)
                self._write(ops)
                return [Claim(op["task"], annotator, until) for op in ops]

    def _pick(self, annotator: str, want: int, now: float) -> list[int]:
        plan = self.plan
        picked: list[int] = []
        taken: set[int] = set()
        if self.settings.order == "started-first":
            for rank in sorted(self._started):
                index = plan.order[rank]
                if self._covered(index):
                    self._started.discard(rank)
                    continue
                if self._never_for(index, annotator) or not self._free_for(index, annotator, now):
                    continue
                picked.append(index)
                taken.add(rank)
                if len(picked) == want:
                    return picked
        scan = self._scan_of(annotator)
        rank = scan.find(0)
        while rank < len(plan) and len(picked) < want:
            index = plan.order[rank]
            if self._never_for(index, annotator):
                scan.remove(rank)
            elif rank not in taken and self._free_for(index, annotator, now):
                picked.append(index)
            rank = scan.find(rank + 1)
        return picked

    def _takeovers(
        self, annotator: str, want: int, now: float, until: float, chosen: set[str]
    ) -> list[dict[str, Any]]:
        """At the end: live claims of colleagues who have not renewed for a while, on tasks
        the annotator may take (the holder is swapped: the task's count stays the same)."""
        stale_before = now - self.settings.lease_seconds * TAKEOVER_AFTER
        found: list[tuple[int, str, str]] = []
        for task, leases in self._leases.items():
            index = self.plan.position.get(task)
            if (
                index is None
                or task in chosen
                or annotator in leases
                or self._never_for(index, annotator)
            ):
                continue
            stale = [
                (lease.at, holder)
                for holder, lease in leases.items()
                if lease.until > now and lease.at < stale_before
            ]
            if stale:  # the claim renewed longest ago goes
                found.append((self.plan.rank[index], task, min(stale)[1]))
        found.sort()
        return [
            {
                "op": "takeover",
                "task": task,
                "by": annotator,
                "from": holder,
                "until": until,
                "at": now,
            }
            for _, task, holder in found[:want]
        ]

    def renew(self, annotator: str, task_ids: Sequence[str]) -> list[Claim]:
        with self._mutex:
            self._read_ledger()
            return self._renew(annotator, task_ids)

    def _renew(self, annotator: str, task_ids: Sequence[str]) -> list[Claim]:
        with self._locked():
            now = self._now()
            until = now + self.settings.lease_seconds
            ops: list[dict[str, Any]] = []
            for task in dict.fromkeys(task_ids):
                lease = self._leases.get(task, {}).get(annotator)
                if lease is not None and lease.until > now:
                    ops.append(
                        {"op": "renew", "task": task, "by": annotator, "until": until, "at": now}
                    )
            self._write(ops)
            return [Claim(op["task"], annotator, until) for op in ops]

    def release(
        self, annotator: str, task_ids: Sequence[str] | None = None, *, why: str = "quit"
    ) -> None:
        with self._mutex:
            self._read_ledger()
            self._release(annotator, task_ids, why)

    def _release(self, annotator: str, task_ids: Sequence[str] | None, why: str) -> None:
        with self._locked():
            now = self._now()
            if task_ids is None:
                tasks = [t for t, leases in self._leases.items() if annotator in leases]
            else:
                tasks = [t for t in dict.fromkeys(task_ids) if annotator in self._leases.get(t, {})]
            self._write(
                [
                    {"op": "release", "task": t, "by": annotator, "why": why, "at": now}
                    for t in tasks
                ]
            )

    def answered(self, record: Mapping[str, Any]) -> None:
        task, by, answer = record.get("task_id"), record.get("annotator"), record.get("answer")
        if type(task) is not str or type(by) is not str or type(answer) is not str:
            return  # not a results line of ours: nothing to count
        rev = record.get("revision")
        when = record.get("submitted_at")
        op: dict[str, Any] = {
            "op": "answer",
            "task": task,
            "by": by,
            "answer": answer,
            "rev": rev if type(rev) is int else None,
            "when": when if isinstance(when, str) else "",
        }
        with self._mutex:
            self._read_ledger()
            self._answer(op, by, task, answer)

    def _answer(self, op: dict[str, Any], by: str, task: str, answer: str) -> None:
        with self._locked():
            now = self._now()
            op["at"] = now
            ops = [op]
            releases = answer == "skip" and self.settings.skip == "release"
            if releases and by in self._leases.get(task, {}):
                ops.append({"op": "release", "task": task, "by": by, "why": "skip", "at": now})
            self._write(ops)

    # -- seeing the team -------------------------------------------------------------------
    def held(self, annotator: str) -> list[Claim]:
        """The annotator's live claims, in the plan's order (after a restart, or for F6)."""
        with self._mutex:
            now = self._now()
            mine = [
                (
                    self.plan.rank[self.plan.position[t]],
                    Claim(t, annotator, leases[annotator].until),
                )
                for t, leases in self._leases.items()
                if annotator in leases and leases[annotator].until > now and t in self.plan.position
            ]
            return [claim for _, claim in sorted(mine, key=lambda pair: pair[0])]

    def refresh(self) -> None:
        """Catch up with the results files and the ledger (without writing)."""
        with self._mutex:
            self._catch_up()

    def status(self) -> TeamStatus:
        with self._mutex:
            self.refresh()
            now = self._now()
            plan = self.plan
            people = sorted(self._annotators)
            claimed: Counter[str] = Counter()
            expired: Counter[str] = Counter(self._expired)
            live_claims = 0
            for task, leases in self._leases.items():
                answers = self._answers_of(task)
                for holder, lease in leases.items():
                    if lease.until > now:
                        claimed[holder] += 1
                        live_claims += 1
                    elif holder not in answers:
                        expired[holder] += 1
            done: Counter[str] = Counter()
            over: Counter[str] = Counter()
            done_answers = covered = pool_left = 0
            for index, task in enumerate(plan.task_ids):
                target = plan.target(index)
                counted = self._counted(task)
                need = len(people) if target is None else target
                if len(counted) > need:
                    answers = self._answers_of(task)
                    ranked = sorted(counted, key=lambda a: (answers[a][WHEN], a))
                    for who in ranked[need:]:
                        over[who] += 1
                    for who in ranked[:need]:
                        done[who] += 1
                else:
                    for who in counted:
                        done[who] += 1
                done_answers += min(len(counted), need)
                if len(counted) >= need and need > 0:
                    covered += 1
                if need > len(set(counted) | set(self._live(task, now))):
                    pool_left += 1
            return TeamStatus(
                tasks=len(plan),
                target_answers=plan.total_target(len(people)),
                done_answers=done_answers,
                covered_tasks=covered,
                pool_left=pool_left,
                live_claims=live_claims,
                over_covered=sum(over.values()),
                annotators=[
                    AnnotatorStatus(a, claimed[a], done[a], expired[a], over[a]) for a in people
                ],
                lock_max_ms=round(max(self.lock_max_ms, self.team_lock_max_ms), 3),
            )

    def close(self) -> None:
        with self._mutex:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1
