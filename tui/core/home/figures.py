"""One batch's figures for one annotator, for the home screen (computed in a worker).

- tasks: the tasks file's non-blank lines (the same index labeling uses);
- mine / others: items per annotator, the latest line per task, undone ones not counted (the
  figures of `labeldesk stats`); a colleague's results file that cannot be read is named;
- today: my items and active time since UTC midnight, so my pace against target_per_hour;
- audit plan: audits/<me>.plan.json (me as auditor): planned items and how many I audited;
- audits of my work: pass / audited over everyone's audits/*.jsonl;
- new guidelines: my last answer recorded another guidelines_sha256 than the file has now.

FigureCache keeps each batch's figures with a signature of its files (size and mtime of
batch.toml, the tasks file, the guidelines, results/* and audits/*, and the day): a batch whose
files did not change is not read again, and the screen repaints only the rows that changed.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.home.listing import HomeEntry, utc_day
from tui.core.kpi.numbers import per_hour

TAIL_BYTES = 64 * 1024

Signature = tuple[object, ...]


@dataclass(frozen=True)
class AuditPlanFigures:
    done: int
    total: int
    error: str | None = None


@dataclass(frozen=True)
class BatchFigures:
    tasks: int
    mine: int
    others: tuple[tuple[str, int], ...] = ()
    unreadable: tuple[str, ...] = ()  # colleagues whose results file cannot be read
    today_items: int = 0
    today_active_ms: int = 0
    target_per_hour: float | None = None
    plan: AuditPlanFigures | None = None  # audits assigned to me, as auditor
    audited: int = 0  # audits of my work
    audit_passed: int = 0
    guidelines_changed: bool = False
    problems: tuple[str, ...] = field(default=())  # batch.toml invalid, bad lines (first few)
    bad_lines: int = 0

    @property
    def today_rate(self) -> float | None:
        return per_hour(self.today_items, self.today_active_ms)

    @property
    def pace(self) -> float | None:
        """Today's items per active hour as a share of the target (1.0: on target)."""
        rate = self.today_rate
        if rate is None or not self.target_per_hour:
            return None
        return rate / self.target_per_hour

    @property
    def pass_rate(self) -> float | None:
        return self.audit_passed / self.audited if self.audited else None


def _stat(path: Path) -> tuple[str, int, int] | None:
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (path.name, info.st_size, info.st_mtime_ns)


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".jsonl" or p.suffix == ".json")
    except OSError:
        return []


def signature(entry: HomeEntry, day: str) -> Signature:
    folder = entry.folder
    files = [folder / "batch.toml", folder / entry.tasks]
    if entry.guidelines:
        files.append(folder / entry.guidelines)
    files += _listing(folder / "results") + _listing(folder / "audits")
    return (day, *(_stat(f) for f in files), *(str(f) for f in files))


def _count_tasks(path: Path) -> int:
    from tui.core.jsonl_index import JsonlIndex

    if not path.is_file():
        return 0
    index = JsonlIndex(path)
    try:
        index.scan()
        return len(index)
    except OSError:
        return 0
    finally:
        index.close()


def _last_guidelines_sha(path: Path) -> str | None:
    """guidelines_sha256 of the last complete line of my results file (read from its tail,
    through the one results reader's parser)."""
    from tui.core.result_lines import ResultLine, open_for_reading, parse_line

    try:
        fd = open_for_reading(path)
    except OSError:
        return None
    try:
        size = os.fstat(fd).st_size
        start = max(0, size - TAIL_BYTES)
        tail = os.pread(fd, size - start, start)
    finally:
        os.close(fd)
    lines = tail.split(b"\n")
    if start > 0:
        lines = lines[1:]  # the first piece may be the end of a longer line
    for raw in reversed(lines[:-1] if not tail.endswith(b"\n") else lines):
        if not raw.strip():
            continue
        parsed = parse_line(raw, path, 0)
        if isinstance(parsed, ResultLine):
            sha = parsed.raw.get("guidelines_sha256")
            return sha if isinstance(sha, str) else None
        return None
    return None


def _plan(entry: HomeEntry, me: str) -> AuditPlanFigures | None:
    from tui.core.audit import PlanError, plan_progress
    from tui.core.problems import BatchError

    if not (entry.folder / "audits" / f"{me}.plan.json").is_file():
        return None
    try:
        progress = plan_progress(entry.folder, me)
    except PlanError as exc:
        return AuditPlanFigures(0, 0, str(exc.problem))
    except BatchError as exc:
        return AuditPlanFigures(0, 0, str(exc.problems[0]) if exc.problems else "invalid batch")
    except (OSError, ValueError) as exc:
        return AuditPlanFigures(0, 0, str(exc))
    return AuditPlanFigures(progress.done, progress.total)


def compute_figures(entry: HomeEntry, me: str, day: str) -> BatchFigures:
    """Everything the home screen shows for `entry`, for annotator `me`, on UTC `day`."""
    from tui.core.batch_config import read_batch_config, sha256_of
    from tui.core.stats.scan import StatsScanner
    from tui.core.stats.sources import find_sources

    folder = entry.folder
    config, config_problems = read_batch_config(folder / "batch.toml")
    problems = [str(p) for p in config_problems[:3]]
    tasks = _count_tasks(folder / entry.tasks)
    unreadable: list[str] = []
    for path in _listing(folder / "results"):
        if path.suffix == ".jsonl" and not os.access(path, os.R_OK):
            unreadable.append(path.stem)
    sources, source_problems = find_sources([folder])
    scanner = StatsScanner(by="annotator")
    for problem in source_problems:
        scanner.problem(problem)
    for source in sources:
        if source.path.parent.name == "results" and source.path.stem in unreadable:
            continue
        scanner.scan(source)
    report = scanner.report()
    groups = {g.key: g for g in report.groups}
    mine = groups.get(me)
    others = tuple((name, g.items) for name, g in sorted(groups.items()) if name != me and g.items)
    mine_file = folder / "results" / f"{me}.jsonl"
    today_items = today_ms = 0
    guidelines_changed = False
    if mine_file.is_file():
        today = StatsScanner(annotators=[me], since=f"{day}T00:00:00.000Z", by="day")
        for source in sources:
            if source.path == mine_file:
                today.scan(source)
        for group in today.report().groups:
            if group.key == day:  # not a later day (a clock set wrong, a frozen test day)
                today_items, today_ms = group.items, group.active_ms
        last_sha = _last_guidelines_sha(mine_file)
        if last_sha is not None and entry.guidelines:
            current = sha256_of(folder / entry.guidelines)
            guidelines_changed = current is not None and current != last_sha
    problems += [str(p) for p in report.problems[: max(0, 3 - len(problems))]]
    return BatchFigures(
        tasks=tasks,
        mine=mine.items if mine else 0,
        others=others,
        unreadable=tuple(unreadable),
        today_items=today_items,
        today_active_ms=today_ms,
        target_per_hour=(
            float(config.target_per_hour)
            if config and config.target_per_hour
            else entry.target_per_hour
        ),
        plan=_plan(entry, me),
        audited=mine.audited if mine else 0,
        audit_passed=mine.audit_passed if mine else 0,
        guidelines_changed=guidelines_changed,
        problems=tuple(problems),
        bad_lines=report.lines_skipped,
    )


class FigureCache:
    """Figures per batch folder, recomputed only when the batch's files changed. Safe to use
    from one worker thread while the UI thread reads `get`."""

    def __init__(self, me: str) -> None:
        self.me = me
        self._figures: dict[Path, tuple[Signature, BatchFigures]] = {}
        self._lock = threading.Lock()

    def get(self, folder: Path) -> BatchFigures | None:
        with self._lock:
            found = self._figures.get(folder)
        return found[1] if found else None

    def refresh(self, entry: HomeEntry, day: str | None = None) -> BatchFigures | None:
        """New figures when the batch changed since the last call, else None (nothing to
        repaint)."""
        day = day or utc_day()
        sig = signature(entry, day)
        with self._lock:
            found = self._figures.get(entry.folder)
        if found is not None and found[0] == sig:
            return None
        figures = compute_figures(entry, self.me, day)
        with self._lock:
            self._figures[entry.folder] = (sig, figures)
        if found is not None and found[1] == figures:
            return None
        return figures

    def forget(self, folder: Path) -> None:
        with self._lock:
            self._figures.pop(folder, None)
