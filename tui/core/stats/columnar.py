"""The columnar path of `labeldesk stats`: clean results files summed in DuckDB, not Python.

A million latest answers held as Python tuples cost more than parsing the lines (issue 14),
so a file is read here when every one of its lines is one the shared reader
(tui/core/result_lines.py) would accept as it stands; the figures are then computed in
DuckDB's C++ engine (latest line per task, undos, quantile ranks, hours). A file with any
line that does not fit is left to the reader (StatsScanner), which reports each bad line as
`file:line: [field] message`: the two paths give the same report (tests/test_stats_columnar.py).

"Fits" is decided in two steps, because DuckDB's JSON parser is laxer than orjson (NaN,
trailing commas, no depth limit) and its typed columns convert (5 read as "5"):
  1. simdjson (a strict RFC 8259 parser, ~3x faster than orjson as it builds no Python
     objects) parses each line; any line it refuses (or a blank one) sends the file back;
  2. DuckDB reads the fields as JSON text and checks each one's JSON type and range, as
     StatsScanner does; any row that does not fit (or a duplicated field, which DuckDB
     refuses) sends the file back. A field whose text holds a backslash escape does too
     (rare; the reader handles it). `verdict` (an audit line) is looked for in the bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.kpi.numbers import quantile
from tui.core.records import FLAG_REASONS
from tui.core.result_lines import MAX_ACTIVE_MS, MAX_KEYS, MAX_REVISION, open_for_reading

if TYPE_CHECKING:
    import duckdb

# Codes as in scan.py (ANSWER_CODES).
ACCEPT, REJECT, SKIP, FLAG, UNDONE = range(5)
_CODES = ("accept", "reject", "skip", "flag", "undone")
# Characters str.strip() removes (a task id of only these is refused by the reader). Those
# below U+0020 cannot appear unescaped in JSON text, and escaped text is not taken here.
_SPACE = "".join(f"\\x{{{c:x}}}" for c in range(0x20, 0x110000) if chr(c).isspace())
_COLUMNS = (
    "{task_id: 'JSON', annotator: 'JSON', batch_id: 'JSON', answer: 'VARCHAR', "
    "active_ms: 'JSON', submitted_at: 'VARCHAR', value: 'JSON', revision: 'JSON', "
    "flag: 'JSON', keys: 'JSON', task_type: 'JSON', gold_correct: 'JSON', "
    "restored_revision: 'JSON'}"
)
_CHUNK = 8 << 20


def _string(column: str) -> str:
    """SQL: a string field's value from its JSON text. Only text without a backslash is
    taken (the fit check), so the text holds no quote but the two around it."""
    return f"trim({column}, '\"')"


def _whole(column: str, low: int, high: int) -> str:
    """SQL: the field is absent/null, or a whole number from low to high written as digits."""
    return (
        f"({column} IS NULL OR (regexp_full_match({column}, '[0-9]{{1,19}}') "
        f"AND {column}::DECIMAL(20,0) BETWEEN {low} AND {high}))"
    )


def _is_text(column: str) -> str:
    return f"(starts_with({column}, '\"') AND NOT contains({column}, '\\'))"


_ROWS = f"""
CREATE OR REPLACE TEMP TABLE raw AS
SELECT
  $source::INTEGER AS s,
  row_number() OVER () AS n,
  {_is_text("task_id")} AND {_is_text("annotator")} AND {_is_text("batch_id")}
    AND regexp_matches({_string("task_id")}, '[^{_SPACE}]')
    AND answer IN ('accept', 'reject', 'skip', 'flag', 'undone')
    AND {_whole("active_ms", 0, MAX_ACTIVE_MS)} AND active_ms IS NOT NULL
    AND strlen(submitted_at) = 24 AND length(submitted_at) = 24
    AND submitted_at[24] = 'Z' AND submitted_at[11] = 'T' AND submitted_at[20] = '.'
    AND (value IS NULL OR starts_with(value, '{{'))
    AND {_whole("revision", 1, MAX_REVISION)}
    AND {_whole("keys", 0, MAX_KEYS)}
    AND {_whole("restored_revision", 1, MAX_REVISION)}
    AND (task_type IS NULL OR {_is_text("task_type")})
    AND (gold_correct IS NULL OR gold_correct IN ('true', 'false'))
    AS fits,
  {_string("task_id")} AS task_id,
  {_string("annotator")} AS annotator,
  {_string("batch_id")} AS batch_id,
  CAST(list_position(['accept', 'reject', 'skip', 'flag', 'undone'], answer) - 1 AS TINYINT)
    AS code,
  TRY_CAST(active_ms AS BIGINT) AS active,
  submitted_at AS sub,
  {_string("task_type")} AS task_type,
  CASE gold_correct WHEN 'true' THEN 1 WHEN 'false' THEN 0 END::TINYINT AS gold,
  flag
FROM read_json($path, format = 'newline_delimited', columns = {_COLUMNS})
"""


class _Ranks(Sequence[float]):
    """The values at a few ranks of a sorted column, read by quantile() as if all were here."""

    def __init__(self, total: int, values: dict[int, int]) -> None:
        self._total = total
        self._values = values

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, rank: Any) -> Any:
        return self._values[rank]


def _ranks_needed(total: int) -> set[int]:
    """The ranks quantile() reads for the median and p90 of `total` sorted values."""
    needed: set[int] = set()
    if total == 0:
        return needed

    class Probe(Sequence[float]):
        def __len__(self) -> int:
            return total

        def __getitem__(self, rank: Any) -> Any:
            needed.add(rank)
            return 0

    quantile(Probe(), 0.5)
    quantile(Probe(), 0.9)
    return needed


@dataclass(slots=True)
class ColumnarGroup:
    items: int
    active_ms: int
    skips: int
    flags: int
    fast: int
    gold_checked: int
    gold_correct: int
    median: float | None
    p90: float | None


@dataclass(slots=True)
class ColumnarFigures:
    groups: dict[str, ColumnarGroup]
    total_median: float | None
    total_p90: float | None
    undos: dict[str, int]
    hours: dict[str, list[int]]


def _flag_fits(text: str) -> bool:
    """A flag as the shared reader checks it: {reason, note?}, reason a known one, note text."""
    import orjson

    try:
        flag = orjson.loads(text)
    except orjson.JSONDecodeError:
        return False
    if type(flag) is not dict or not set(flag) <= {"reason", "note"}:
        return False
    reason = flag.get("reason")
    return type(reason) is str and reason in FLAG_REASONS and type(flag.get("note", "")) is str


def _lines_parse(handle: Any) -> int | None:
    """How many lines, when simdjson parses every one of them (and the bytes hold no audit
    line); None as soon as one does not."""
    import simdjson

    parse = simdjson.Parser().parse
    count = 0
    carry = b""
    while True:
        data = handle.read(_CHUNK)
        if not data:
            break
        block = carry + data
        end = block.rfind(b"\n") + 1
        if end == 0:
            carry = block
            continue
        carry = block[end:]
        lines = block[: end - 1].split(b"\n")
        if b'"verdict"' in block or (b"\\u" in block and _has_verdict(lines)):
            return None
        try:
            for line in lines:
                parse(line)  # the document is dropped before the next parse
        except ValueError:  # simdjson's errors (a blank line too) are ValueErrors
            return None
        count += len(lines)
    if carry:
        if b'"verdict"' in carry or (b"\\u" in carry and _has_verdict([carry])):
            return None
        try:
            parse(carry)
        except ValueError:
            return None
        count += 1
    return count


def _has_verdict(lines: list[bytes]) -> bool:
    """Whether a line has a `verdict` key written with escapes (rare: only checked when the
    bytes hold a \\u escape)."""
    import orjson

    for line in lines:
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            return True  # not ours to judge: the reader says why
        if type(obj) is dict and "verdict" in obj:
            return True
    return False


class ColumnarStats:
    """Clean results files, summed in DuckDB. add() each source in order; figures() once."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._db = connection
        self._sources = 0
        self._db.execute(
            "CREATE TEMP TABLE rows (s INTEGER, n BIGINT, annotator VARCHAR, batch_id VARCHAR,"
            " task_id VARCHAR, code TINYINT, flagged BOOLEAN, active BIGINT, sub VARCHAR,"
            " grp VARCHAR, gold TINYINT)"
        )
        self._limits: dict[int, float] = {}

    @classmethod
    def open(cls) -> ColumnarStats | None:
        """None when DuckDB or simdjson is missing (or /proc/self/fd is not there): the reader
        then reads every file."""
        if not os.path.isdir("/proc/self/fd"):
            return None
        try:
            import duckdb
            import simdjson  # noqa: F401
        except ImportError:
            return None
        connection = duckdb.connect(":memory:", config={"threads": 2})
        return cls(connection)

    @property
    def sources(self) -> int:
        return self._sources

    def add(
        self,
        path: Path,
        source: int,
        limit_ms: float | None,
        *,
        annotators: frozenset[str],
        since: str | None,
        group: str | None,
    ) -> int | None:
        """Load a file when every line fits; returns its line count (None: the file does not
        fit, nothing of it was kept, and the reader must read it)."""
        import duckdb

        try:
            fd = open_for_reading(path, follow=True)
        except OSError:
            return None  # the reader says why
        with os.fdopen(fd, "rb") as handle:
            lines = _lines_parse(handle)
            if lines is None or lines == 0:
                return None
            try:
                self._db.execute(_ROWS, {"source": source, "path": f"/proc/self/fd/{fd}"})
            except duckdb.Error:
                return None  # a duplicated field, a line that is not an object...
        checks = self._db.execute(
            "SELECT count(*), count(*) FILTER (WHERE fits IS NOT TRUE) FROM raw"
        ).fetchone()
        assert checks is not None
        rows, unfit = checks
        if rows != lines or unfit:
            return None
        flags = [f for (f,) in self._db.execute("SELECT DISTINCT flag FROM raw").fetchall()]
        if not all(f is None or _flag_fits(f) for f in flags):
            return None
        keep = ["TRUE"]
        parameters: dict[str, object] = {}
        if annotators:
            keep.append("list_contains($annotators, annotator)")
            parameters["annotators"] = sorted(annotators)
        if since is not None:
            keep.append("sub >= $since")
            parameters["since"] = since
        group_sql = {
            None: "'all'",
            "day": "sub[1:10]",
            "batch": "batch_id",
            "annotator": "annotator",
            "task-type": "coalesce(task_type, '?')",
        }[group]
        self._db.execute(
            f"""INSERT INTO rows SELECT s, n, annotator, batch_id, task_id, code,
                 flag IS NOT NULL AND code <> {FLAG}, active, sub, {group_sql}, gold
               FROM raw WHERE {" AND ".join(keep)}""",
            parameters,
        )
        if limit_ms is not None:
            self._limits[source] = limit_ms
        self._sources += 1
        return int(lines)

    def _latest(self) -> None:
        """The latest line per (annotator, batch, task): within a file the later line; across
        files as StatsScanner folds them (see _fold)."""
        db = self._db
        db.execute(
            """CREATE TEMP TABLE per_file AS
               SELECT annotator, batch_id, task_id, s,
                      max(n) AS n, arg_max(sub, n) AS last_sub, max(sub) AS top
               FROM rows GROUP BY annotator, batch_id, task_id, s"""
        )
        shared = db.execute(
            """SELECT annotator, batch_id, task_id, s, n, last_sub, top FROM per_file
               WHERE (annotator, batch_id, task_id) IN (
                 SELECT (annotator, batch_id, task_id) FROM per_file
                 GROUP BY annotator, batch_id, task_id HAVING count(*) > 1)
               ORDER BY annotator, batch_id, task_id, s"""
        ).fetchall()
        losers = list(_fold(shared))
        # What report() calls undone: an undone line with a flag is not (it counts as an item).
        db.execute(
            f"""CREATE TEMP TABLE latest AS
               SELECT r.*, NOT (r.code = {UNDONE} AND NOT r.flagged) AS counted
               FROM rows r SEMI JOIN per_file p USING (s, n)"""
        )
        if losers:
            db.execute("CREATE TEMP TABLE losers (s INTEGER, n BIGINT)")
            db.executemany("INSERT INTO losers VALUES (?, ?)", losers)
            db.execute("DELETE FROM latest WHERE (s, n) IN (SELECT (s, n) FROM losers)")

    def figures(self) -> ColumnarFigures:
        db = self._db
        self._latest()
        limits = ", ".join(f"({s}, {limit!r}::DOUBLE)" for s, limit in self._limits.items())
        limit_table = f"(VALUES {limits}) AS l(s, lim)" if limits else "(SELECT NULL s, NULL lim)"
        groups: dict[str, ColumnarGroup] = {}
        for grp, items, active, skips, flags, fast, checked, correct in db.execute(
            f"""SELECT grp,
                 count(*) FILTER (WHERE counted),
                 sum(active),
                 count(*) FILTER (WHERE counted AND code = {SKIP}),
                 count(*) FILTER (WHERE counted AND (flagged OR code = {FLAG})),
                 count(*) FILTER (WHERE counted AND code NOT IN ({SKIP}, {FLAG})
                                  AND lim IS NOT NULL AND active < lim),
                 count(*) FILTER (WHERE counted AND gold IS NOT NULL),
                 count(*) FILTER (WHERE counted AND gold = 1)
               FROM latest LEFT JOIN {limit_table} USING (s)
               GROUP BY grp"""
        ).fetchall():
            groups[grp] = ColumnarGroup(
                int(items), int(active), int(skips), int(flags), int(fast), int(checked),
                int(correct), None, None,
            )  # fmt: skip
        total_items = sum(g.items for g in groups.values())
        wanted = [(grp, rank) for grp, g in groups.items() for rank in _ranks_needed(g.items)]
        values = self._ranked(wanted, by_group=True)
        for grp, g in groups.items():
            ranks = _Ranks(g.items, {r: v for (k, r), v in values.items() if k == grp})
            g.median, g.p90 = quantile(ranks, 0.5), quantile(ranks, 0.9)
        total_values = self._ranked([("", r) for r in _ranks_needed(total_items)], by_group=False)
        total = _Ranks(total_items, {r: v for (_, r), v in total_values.items()})
        undos = {
            grp: int(count)
            for grp, count in db.execute(
                f"SELECT grp, count(*) FROM rows WHERE code = {UNDONE} GROUP BY grp"
            ).fetchall()
        }
        hours = {
            stamp: [int(items), int(active)]
            for stamp, items, active in db.execute(
                "SELECT sub[1:13], count(*) FILTER (WHERE counted), sum(active)"
                " FROM latest GROUP BY sub[1:13]"
            ).fetchall()
        }
        return ColumnarFigures(groups, quantile(total, 0.5), quantile(total, 0.9), undos, hours)

    def _ranked(
        self, wanted: list[tuple[str, int]], *, by_group: bool
    ) -> dict[tuple[str, int], int]:
        """The active_ms at each (group, rank) of the counted latest answers sorted by it."""
        if not wanted:
            return {}
        db = self._db
        db.execute("CREATE OR REPLACE TEMP TABLE wanted (grp VARCHAR, rank BIGINT)")
        db.executemany("INSERT INTO wanted VALUES (?, ?)", wanted)
        partition = "PARTITION BY grp" if by_group else ""
        key = "grp" if by_group else "''"
        rows = db.execute(
            f"""SELECT w.grp, w.rank, r.active FROM (
                  SELECT {key} AS grp, active,
                         row_number() OVER ({partition} ORDER BY active) - 1 AS rank
                  FROM latest WHERE counted) r
                JOIN wanted w USING (grp, rank)"""
        ).fetchall()
        return {(grp, int(rank)): int(active) for grp, rank, active in rows}


def _fold(shared: list[tuple[Any, ...]]) -> Iterator[tuple[int, int]]:
    """For tasks answered in several files (rows ordered by task, then file): StatsScanner
    keeps a later file's line over the kept one when it is not older, and within a file the
    later line always wins. So, over the files in order, file j's last line replaces the
    kept one when j's newest submitted_at is at or after the kept line's. Yields the
    (source, row) of each file's last line that loses."""
    kept: tuple[Any, ...] | None = None
    for row in shared:
        annotator, batch, task, source, number, _last, top = row
        if kept is None or kept[:3] != (annotator, batch, task):
            kept = row
            continue
        if top >= kept[5]:
            yield kept[3], kept[4]
            kept = row
        else:
            yield source, number
