"""Streaming aggregation of results and audit lines into a StatsReport.

Memory is one small tuple per (annotator, batch_id, task_id) — the latest line must win, so
that much has to be kept — and one int per item for the medians; lines are parsed with orjson
into plain dicts and dropped at once (pydantic per line would cost ~10x the time and, if kept,
gigabytes; see DESIGN §7). compute_stats() sums clean files in DuckDB instead, when it is
installed (columnar.py): the same figures, without a Python object per answer.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast, overload

import orjson

from tui.core.i18n import _
from tui.core.kpi.numbers import per_hour, quantile
from tui.core.problems import Problem
from tui.core.result_lines import (
    MAX_ACTIVE_MS,
    MAX_KEYS,
    MAX_REVISION,
    check_audit_line,
    check_result_line,
    open_for_reading,
)
from tui.core.stats.report import GroupBy, GroupFigures, StatsReport, TimePoint, TimeUnit
from tui.core.stats.sources import Source, find_sources

if TYPE_CHECKING:
    from tui.core.stats.columnar import ColumnarFigures

ANSWER_CODES = {"accept": 0, "reject": 1, "skip": 2, "flag": 3, "undone": 4}
ACCEPT, REJECT, SKIP, FLAG, UNDONE = range(5)
# Added to an answer's code when its line also carries a flag (an answer with a flag: the
# item counts as answered and as flagged).
FLAGGED = 8
VERDICT_PASSED = {"pass": True, "fail": False, "corrected": False}
MAX_KEPT_PROBLEMS = 1000
# From this many bytes of answer files on, clean files are summed in DuckDB (columnar.py).
COLUMNAR_BYTES = 8 << 20
# Up to this many hours between the first and last answer the plot is per hour, else per day.
MAX_HOURLY_SPAN = 72
ALL = "all"
GROUP_FIELDS = {"annotator": "annotator", "batch": "batch_id", "task-type": "task_type"}

# Latest results line of a key: (submitted_at, answer code, active_ms, group, gold, source).
_Latest = tuple[str, int, int, str, int, int]
# Latest audit line of a key: (submitted_at, passed, group, source).
_Audit = tuple[str, bool, str, int]


def _utc_text(moment: datetime) -> str:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def canonical_time(value: object) -> str | None:
    """An ISO 8601 date-time as 'YYYY-MM-DDTHH:MM:SS.mmmZ' in UTC (so that plain string
    comparison orders moments), or None when it is not one. Naive times are taken as UTC."""
    if type(value) is not str:
        return None
    if len(value) == 24 and value[23] == "Z" and value[10] == "T" and value[19] == ".":
        return value
    try:
        return _utc_text(datetime.fromisoformat(value))
    except ValueError:
        return None


def parse_since(text: str) -> str:
    """--since: a date (midnight UTC) or an ISO date-time; ValueError says what was expected."""
    cleaned = text.strip()
    try:
        if len(cleaned) == 10:
            return _utc_text(datetime.combine(date.fromisoformat(cleaned), datetime.min.time()))
        return _utc_text(datetime.fromisoformat(cleaned))
    except ValueError:
        raise ValueError(
            _(
                "expected a date (2026-11-22) or an ISO date-time (2026-11-22T10:00, "
                "2026-11-22T10:00:00Z, 2026-11-22T11:00+01:00), got {got}"
            ).format(got=repr(text))
        ) from None


class _Ranked(Sequence[int]):
    """The values of a Counter as if sorted, read by rank: a million answer times hold a few
    ten thousand distinct milliseconds, so sorting those (and a cumulative count) is ~3x
    cheaper than sorting the million."""

    def __init__(self, counts: Counter[int], total: int) -> None:
        self._values = sorted(counts)
        self._ends = list(accumulate(counts[v] for v in self._values))
        self._total = total

    def __len__(self) -> int:
        return self._total

    @overload
    def __getitem__(self, rank: int) -> int: ...
    @overload
    def __getitem__(self, rank: slice) -> Sequence[int]: ...
    def __getitem__(self, rank: int | slice) -> int | Sequence[int]:
        if isinstance(rank, slice):
            raise TypeError("read by rank only")
        if not 0 <= rank < self._total:
            raise IndexError(rank)
        return self._values[bisect_right(self._ends, rank)]


def _median_p90(times: array[int]) -> tuple[float | None, float | None]:
    """quantile() of the sorted times at 0.5 and 0.9, without sorting them all when they
    repeat (they do: milliseconds of similar answers)."""
    counts = Counter(times)
    # Mostly distinct values: a plain sort is cheaper.
    distinct = len(counts) * 4 > len(times)
    ordered: Sequence[int] = sorted(times) if distinct else _Ranked(counts, len(times))
    return quantile(ordered, 0.5), quantile(ordered, 0.9)


class _Group:
    __slots__ = (
        "active_ms",
        "audit_passed",
        "audited",
        "fast",
        "flags",
        "gold_checked",
        "gold_correct",
        "items",
        "quantiles",
        "skips",
        "times",
        "undos",
    )

    def __init__(self) -> None:
        self.items = self.active_ms = self.skips = self.flags = self.undos = self.fast = 0
        self.gold_checked = self.gold_correct = self.audited = self.audit_passed = 0
        self.times: array[int] = array("q")
        # (median, p90) when computed elsewhere (the columnar path); else from times.
        self.quantiles: tuple[float | None, float | None] | None = None

    def absorb(self, other: _Group) -> None:
        self.items += other.items
        self.active_ms += other.active_ms
        self.skips += other.skips
        self.flags += other.flags
        self.undos += other.undos
        self.fast += other.fast
        self.gold_checked += other.gold_checked
        self.gold_correct += other.gold_correct
        self.audited += other.audited
        self.audit_passed += other.audit_passed
        self.times.extend(other.times)

    def figures(self, key: str) -> GroupFigures:
        median, p90 = self.quantiles or _median_p90(self.times)
        return GroupFigures(
            key=key,
            items=self.items,
            active_ms=self.active_ms,
            rate=per_hour(self.items, self.active_ms),
            median_s=None if median is None else median / 1000,
            p90_s=None if p90 is None else p90 / 1000,
            skips=self.skips,
            flags=self.flags,
            undos=self.undos,
            fast=self.fast,
            gold_checked=self.gold_checked,
            gold_correct=self.gold_correct,
            audited=self.audited,
            audit_passed=self.audit_passed,
        )


# The fields the hot loop reads from a line, in one C call (the app writes every one of them).
_FIELDS = itemgetter(
    "task_id",
    "annotator",
    "batch_id",
    "answer",
    "active_ms",
    "submitted_at",
    "value",
    "revision",
    "flag",
    "keys",
    "task_type",
)


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _fields_fit(
    task_id: object,
    annotator: object,
    batch: object,
    active: object,
    submitted: str | None,
    value: object,
    revision: object,
) -> bool:
    """The checks both scan loops make of the fields stats reads (the shared reader checks
    the rest). `submitted` must already be canonical text (canonical_time), or None."""
    return (
        type(task_id) is str
        and type(annotator) is str
        and type(batch) is str
        and type(active) is int
        and 0 <= active <= MAX_ACTIVE_MS
        and submitted is not None
        and len(submitted) == 24
        and submitted[23] == "Z"
        and submitted[10] == "T"
        and submitted[19] == "."
        and (value is None or type(value) is dict)
        and (revision is None or (type(revision) is int and 1 <= revision <= MAX_REVISION))
        and bool(task_id.strip())
    )


def _iso_expected(got: str) -> str:
    return _("expected an ISO 8601 date-time like 2026-11-22T10:00:03.240Z, got {got}").format(
        got=got
    )


class StatsScanner:
    """Feed it sources with scan(); report() computes the figures. Filters apply per line:
    `annotators` (the answering annotator; for audits, the audited one) and `since`
    (submitted_at at or after, canonical UTC text from parse_since)."""

    def __init__(
        self,
        *,
        annotators: Iterable[str] = (),
        since: str | None = None,
        by: GroupBy | None = None,
    ) -> None:
        self.annotators = frozenset(annotators)
        self.since = since
        self.by = by
        self.latest: dict[tuple[str, str, str], _Latest] = {}
        self.audits: dict[tuple[str, str, str, str], _Audit] = {}
        self.undos: dict[str, int] = {}
        self.thresholds: list[float | None] = []
        self.files: list[str] = []
        self.problems: list[Problem] = []
        self.problems_total = 0
        self.lines_read = 0
        self.lines_skipped = 0
        self._names: dict[str, str] = {}

    def problem(self, problem: Problem) -> None:
        self.problems_total += 1
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)

    def _bad_line(self, path: Path, line: int, message: str, field: str | None = None) -> None:
        self.lines_skipped += 1
        self.problem(Problem(path, message, line, field))

    def scan(self, source: Source) -> None:
        path = source.path
        index = len(self.thresholds)
        self.thresholds.append(source.min_seconds)
        self.files.append(str(path))
        try:
            # A FIFO or device named *.jsonl must not hang or feed the scan: regular files only.
            handle = os.fdopen(open_for_reading(path, follow=source.follow), "rb")
        except OSError as exc:
            self.problem(Problem(path, _("cannot read: {error}").format(error=exc.strerror or exc)))
            return
        with handle:
            self._scan_lines(handle, path, index)

    def taken(self, source: Source, lines: int) -> None:
        """A source the columnar path read (every line fit): counted as scan() would."""
        self.thresholds.append(source.min_seconds)
        self.files.append(str(source.path))
        self.lines_read += lines

    def _scan_lines(self, lines: Iterable[bytes], path: Path, source: int) -> None:
        # The hot loop of `stats`: a line as labeldesk writes it (every field present, no flag,
        # no restore) is checked and kept here with one C call for its eleven fields (a
        # Python statement per line costs about as much as parsing it); anything else takes
        # the per-line route (_scan_line), which asks the one shared reader.
        loads = orjson.loads
        decode_error = orjson.JSONDecodeError
        fields = _FIELDS
        codes = ANSWER_CODES
        latest = self.latest
        undos = self.undos
        intern = self._names.setdefault
        wanted = self.annotators
        since = self.since
        by_day = self.by == "day"
        group_field = GROUP_FIELDS.get(self.by) if self.by else None
        read = 0
        for number, raw in enumerate(lines, start=1):
            if len(raw) < 3 and not raw.strip():
                continue
            read += 1
            try:
                obj = loads(raw)
            except decode_error as exc:
                self._bad_line(path, number, _("not valid JSON: {reason}").format(reason=exc))
                continue
            try:
                (task_id, annotator, batch, kind, active, submitted, value, revision, flag, keys,
                 task_type) = fields(obj)  # fmt: skip
            except (KeyError, TypeError, IndexError):  # a field missing; not an object
                self._scan_line(obj, path, number, source)
                continue
            get = obj.get
            gold = get("gold_correct")
            if (
                flag is not None
                or type(kind) is not str
                or type(submitted) is not str
                or not _fields_fit(task_id, annotator, batch, active, submitted, value, revision)
                or (keys is not None and (type(keys) is not int or not 0 <= keys <= MAX_KEYS))
                or (task_type is not None and type(task_type) is not str)
                or (gold is not None and type(gold) is not bool)
                or get("restored_revision") is not None
                or "verdict" in obj
            ):
                self._scan_line(obj, path, number, source)
                continue
            answer = codes.get(kind)
            if answer is None:
                self._scan_line(obj, path, number, source)
                continue
            if wanted and annotator not in wanted:
                continue
            if since is not None and submitted < since:
                continue
            annotator = intern(annotator, annotator)
            batch = intern(batch, batch)
            if by_day:
                day = submitted[:10]
                group = intern(day, day)
            elif group_field is not None:
                found = get(group_field)
                group = intern(found, found) if type(found) is str else "?"
            else:
                group = ALL
            if answer == UNDONE:
                undos[group] = undos.get(group, 0) + 1
            entry = (submitted, answer, active, group, -1 if gold is None else int(gold), source)
            key = (annotator, batch, task_id)
            previous = latest.setdefault(key, entry)
            # Within a file the later line wins (it was appended later); the same task in
            # two files (a copy, a moved file) is settled by submitted_at.
            if previous is not entry and (previous[5] == source or previous[0] <= submitted):
                latest[key] = entry
        self.lines_read += read

    def _scan_line(self, obj: object, path: Path, number: int, source: int) -> None:
        """One line the hot loop did not take: checked by the shared reader, then kept."""
        latest = self.latest
        undos = self.undos
        intern = self._names.setdefault
        wanted = self.annotators
        since = self.since
        by_day = self.by == "day"
        group_field = GROUP_FIELDS.get(self.by) if self.by else None
        if type(obj) is not dict:
            message = _("expected a JSON object, got {kind}").format(kind=_type_name(obj))
            self._bad_line(path, number, message)
            return
        if "verdict" in obj:
            self._audit_line(obj, path, number, source)
            return
        task_id = obj.get("task_id")
        annotator = obj.get("annotator")
        batch = obj.get("batch_id")
        kind = obj.get("answer")
        # A list or dict would be unhashable here: only a string is looked up.
        answer = ANSWER_CODES.get(kind) if type(kind) is str else None
        active = obj.get("active_ms")
        submitted = canonical_time(obj.get("submitted_at"))
        value = obj.get("value")
        revision = obj.get("revision")
        if (
            answer is None
            or submitted is None
            or not _fields_fit(task_id, annotator, batch, active, submitted, value, revision)
        ):
            self._explain_result(obj, path, number)
            return
        # _fields_fit checked these types.
        task_id, annotator, batch = cast(str, task_id), cast(str, annotator), cast(str, batch)
        active = cast(int, active)
        # The fields stats does not use (a flag, a restore, keys) are checked by the one
        # shared reader.
        checked = check_result_line(obj, path, number)
        if isinstance(checked, Problem):
            self._bad_line(path, number, checked.message, checked.field)
            return
        if wanted and annotator not in wanted:
            return
        if since is not None and submitted < since:
            return
        annotator = intern(annotator, annotator)
        batch = intern(batch, batch)
        if by_day:
            day = submitted[:10]
            group = intern(day, day)
        elif group_field is not None:
            found = obj.get(group_field)
            group = intern(found, found) if type(found) is str else "?"
        else:
            group = ALL
        if answer == UNDONE:
            undos[group] = undos.get(group, 0) + 1
        gold = obj.get("gold_correct")
        if gold is None:
            gold_code = -1
        elif type(gold) is bool:
            gold_code = int(gold)
        else:
            gold_code = -1
            self.problem(
                Problem(
                    path,
                    _(
                        "expected true, false or null, got {got}; the line counts without gold"
                    ).format(got=repr(gold)),
                    number,
                    "gold_correct",
                    severity="warning",
                )
            )
        key = (annotator, batch, task_id)
        previous = latest.get(key)
        # Within a file the later line wins (it was appended later); the same task in
        # two files (a copy, a moved file) is settled by submitted_at.
        if previous is not None and previous[5] != source and previous[0] > submitted:
            return
        # A flag rides on an answer; an undone line withdraws one and counts as no item,
        # whatever it carries.
        if obj.get("flag") is not None and answer != FLAG and answer != UNDONE:
            answer |= FLAGGED
        latest[key] = (submitted, answer, active, group, gold_code, source)

    def _group_of(self, obj: dict[str, Any], submitted: str, annotator: str, batch: str) -> str:
        if self.by is None:
            return ALL
        if self.by == "day":
            return self._names.setdefault(submitted[:10], submitted[:10])
        found = obj.get(GROUP_FIELDS[self.by])
        return self._names.setdefault(found, found) if type(found) is str else "?"

    def _explain_result(self, obj: dict[str, Any], path: Path, number: int) -> None:
        # The shared reader's word first (file:line: [field] expected ...), then what only
        # stats needs (annotator, batch_id, submitted_at, active_ms present).
        checked = check_result_line(obj, path, number)
        if isinstance(checked, Problem):
            self._bad_line(path, number, checked.message, checked.field)
            return
        for name in ("task_id", "annotator", "batch_id"):
            value = obj.get(name)
            if value is None:
                self._bad_line(path, number, _("required field is missing"), name)
                return
            if type(value) is not str:
                message = _("expected a string, got {got}").format(got=repr(value))
                self._bad_line(path, number, message, name)
                return
        answer = obj.get("answer")
        if answer not in ANSWER_CODES:
            kinds = ", ".join(ANSWER_CODES)
            got = _("nothing") if answer is None else repr(answer)
            message = _("expected one of {choices}, got {got}").format(choices=kinds, got=got)
            self._bad_line(path, number, message, "answer")
            return
        active = obj.get("active_ms")
        if type(active) is not int or active < 0:
            got = _("nothing") if active is None else repr(active)
            message = _("expected a whole number of milliseconds, 0 or more, got {got}").format(
                got=got
            )
            self._bad_line(path, number, message, "active_ms")
            return
        got = repr(obj.get("submitted_at")) if "submitted_at" in obj else _("nothing")
        message = _iso_expected(got)
        self._bad_line(path, number, message, "submitted_at")

    def _audit_line(self, obj: dict[str, Any], path: Path, number: int, source: int) -> None:
        checked = check_audit_line(obj, path, number)
        if checked is not None:
            self._bad_line(path, number, checked.message, checked.field)
            return
        names = ("task_id", "annotator", "auditor", "batch_id")
        values = [obj.get(name) for name in names]
        for name, value in zip(names, values, strict=True):
            if type(value) is not str:
                got = _("nothing") if value is None else repr(value)
                message = _("expected a string, got {got}").format(got=got)
                self._bad_line(path, number, message, name)
                return
        task_id, annotator, auditor, batch = (str(v) for v in values)
        verdict = obj.get("verdict")
        passed = VERDICT_PASSED.get(verdict) if type(verdict) is str else None
        if passed is None:
            message = _("expected one of {choices}, got {got}").format(
                choices="pass, fail, corrected", got=repr(verdict)
            )
            self._bad_line(path, number, message, "verdict")
            return
        submitted = canonical_time(obj.get("submitted_at"))
        if submitted is None:
            got = repr(obj.get("submitted_at")) if "submitted_at" in obj else _("nothing")
            message = _iso_expected(got)
            self._bad_line(path, number, message, "submitted_at")
            return
        if self.annotators and annotator not in self.annotators:
            return
        if self.since is not None and submitted < self.since:
            return
        annotator = self._names.setdefault(annotator, annotator)
        batch = self._names.setdefault(batch, batch)
        group = self._group_of(obj, submitted, annotator, batch)
        key = (auditor, batch, task_id, annotator)
        previous = self.audits.get(key)
        if previous is not None and previous[3] != source and previous[0] > submitted:
            return
        self.audits[key] = (submitted, passed, group, source)

    def report(self, columnar: ColumnarFigures | None = None) -> StatsReport:
        """The figures; `columnar` holds those of the files the columnar path read (then
        this scanner holds no results answers of its own, only audits and problems)."""
        groups: dict[str, _Group] = {}
        hours: dict[str, list[int]] = {}
        limits = [None if t is None else t * 1000 for t in self.thresholds]
        guarded = any(limit is not None for limit in limits)
        # One pass over up to a million latest lines: the group is looked up only when it
        # changes (consecutive lines mostly share one), items is len(times) at the end.
        last_key: str | None = None
        group = _Group()
        append = group.times.append
        for submitted, answer, active, group_key, gold, source in self.latest.values():
            if group_key is not last_key:
                found = groups.get(group_key)
                if found is None:
                    groups[group_key] = found = _Group()
                group, last_key, append = found, group_key, found.times.append
            group.active_ms += active
            stamp = submitted[:13]
            bucket = hours.get(stamp)
            if bucket is None:
                hours[stamp] = bucket = [0, 0]
            bucket[1] += active
            if answer == UNDONE:
                continue
            bucket[0] += 1
            append(active)
            if answer & FLAGGED:
                group.flags += 1
                answer &= ~FLAGGED
            if answer == SKIP:
                group.skips += 1
            elif answer == FLAG:
                group.flags += 1
            elif guarded:
                # accept or reject: the answers that carry a decision
                limit = limits[source]
                if limit is not None and active < limit:
                    group.fast += 1
            if gold >= 0:
                group.gold_checked += 1
                group.gold_correct += gold
        for group in groups.values():
            group.items = len(group.times)
        undos = dict(self.undos)
        if columnar is not None:
            for group_key, figures in columnar.groups.items():
                found = groups.setdefault(group_key, _Group())
                found.items += figures.items
                found.active_ms += figures.active_ms
                found.skips += figures.skips
                found.flags += figures.flags
                found.fast += figures.fast
                found.gold_checked += figures.gold_checked
                found.gold_correct += figures.gold_correct
                found.quantiles = (figures.median, figures.p90)
            for stamp, (items, active) in columnar.hours.items():
                bucket = hours.setdefault(stamp, [0, 0])
                bucket[0] += items
                bucket[1] += active
            for group_key, count in columnar.undos.items():
                undos[group_key] = undos.get(group_key, 0) + count
        for group_key, count in undos.items():
            groups.setdefault(group_key, _Group()).undos += count
        for _moment, passed, group_key, _source in self.audits.values():
            group = groups.setdefault(group_key, _Group())
            group.audited += 1
            group.audit_passed += passed
        total = _Group()
        for group in groups.values():
            total.absorb(group)
        if columnar is not None:
            total.quantiles = (columnar.median, columnar.p90)
        unit, timeline = _timeline(hours)
        return StatsReport(
            by=self.by,
            groups=[groups[k].figures(k) for k in sorted(groups)] if self.by else [],
            total=total.figures(ALL),
            timeline=timeline,
            timeline_unit=unit,
            files=self.files,
            lines_read=self.lines_read,
            lines_skipped=self.lines_skipped,
            problems=self.problems,
            problems_total=self.problems_total,
        )


def _timeline(hours: dict[str, list[int]]) -> tuple[TimeUnit, list[TimePoint]]:
    """Consecutive hourly buckets (or daily, past MAX_HOURLY_SPAN hours), gaps as zeros, so
    the plot's x-axis is time and a day off shows as a day off."""
    moments = [_hour(stamp) for stamp in hours]
    # The per-line check of submitted_at is cheap and shallow ("2026-1x-..." passes it):
    # such hours are left out of the plot rather than break it; the figures still count them.
    valid = sorted(m for m in moments if m is not None)
    if not valid:
        return "hour", []
    first, last = valid[0], valid[-1]
    if (last - first) <= timedelta(hours=MAX_HOURLY_SPAN):
        unit: TimeUnit = "hour"
        step, fmt, cells = timedelta(hours=1), "%Y-%m-%dT%H", hours
    else:
        unit, step, fmt = "day", timedelta(days=1), "%Y-%m-%d"
        cells = {}
        for stamp, (items, active) in hours.items():
            day = cells.setdefault(stamp[:10], [0, 0])
            day[0] += items
            day[1] += active
        first = first.replace(hour=0)
    points: list[TimePoint] = []
    moment = first
    while moment <= last:
        stamp = moment.strftime(fmt)
        items, active = cells.get(stamp, (0, 0))
        points.append(TimePoint(stamp, items, active, per_hour(items, active)))
        moment += step
    return unit, points


def _hour(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, "%Y-%m-%dT%H")
    except ValueError:
        return None


def compute_stats(
    paths: Iterable[Path],
    *,
    annotators: Iterable[str] = (),
    since: str | None = None,
    by: GroupBy | None = None,
    min_seconds: float | None = None,
    columnar: bool | None = None,
) -> StatsReport:
    """The figures of `labeldesk stats PATH...` (an in-app stats screen calls this in a
    worker). `since` is canonical UTC text from parse_since; `min_seconds` applies where no
    batch.toml gives one. `columnar`: whether clean files are summed in DuckDB (columnar.py);
    None: when the files hold COLUMNAR_BYTES or more (below that, starting DuckDB costs more
    than it saves). The report is the same either way."""
    paths = list(paths)
    sources, problems = find_sources(paths, min_seconds)
    if columnar is None:
        columnar = _total_size(sources) >= COLUMNAR_BYTES
    scanner = StatsScanner(annotators=annotators, since=since, by=by)
    for problem in problems:
        scanner.problem(problem)
    fast = None
    if columnar:
        from tui.core.stats.columnar import ColumnarStats

        fast = ColumnarStats.open(annotators=scanner.annotators, since=since, by=by)
    if fast is None:
        for source in sources:
            scanner.scan(source)
        return scanner.report()
    try:
        for index, source in enumerate(sources):
            limit = None if source.min_seconds is None else source.min_seconds * 1000
            lines = fast.add(source.path, index, limit, follow=source.follow)
            if lines is None:
                scanner.scan(source)  # a line does not fit: the shared reader reads the file
            else:
                scanner.taken(source, lines)
        if not (fast.sources and (scanner.latest or scanner.undos)):
            return scanner.report(fast.figures() if fast.sources else None)
    finally:
        fast.close()
    # Answers on both paths: the latest line of a task may sit in either, so the reader reads
    # everything (rare: a bad line in one file of a folder of answer files).
    return compute_stats(
        paths,
        annotators=annotators,
        since=since,
        by=by,
        min_seconds=min_seconds,
        columnar=False,
    )


def _total_size(sources: Iterable[Source]) -> int:
    total = 0
    for source in sources:
        with suppress(OSError):  # the scan says why
            total += source.path.stat().st_size
    return total
