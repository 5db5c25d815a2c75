"""The columnar path of `labeldesk stats`: clean results files summed in DuckDB, not Python.

A million latest answers held as Python tuples cost more than parsing the lines (issue 14),
so a file is read here when every one of its lines is one the shared reader
(tui/core/result_lines.py) would accept as it stands; the figures are then computed in
DuckDB's C++ engine (latest line per task, undos, quantiles, hours). A file with any line
that does not fit is left to the reader (StatsScanner), which reports each bad line as
`file:line: [field] message`: both paths give the same report (tests/test_stats_columnar.py).

"Fits" is decided in two steps, because DuckDB's JSON parser is laxer than orjson (NaN,
trailing commas, no depth limit) and its typed columns convert (5 read as "5"):
  1. simdjson, a strict RFC 8259 parser (~3x faster than orjson: it builds no Python
     objects), parses each line; any line it refuses, a blank one included, sends the file
     back. So does a `verdict` key (an audit line), looked for in the bytes;
  2. DuckDB reads the fields as JSON text and checks each one's JSON type and range as
     StatsScanner does; a row that does not fit, or a duplicated field (DuckDB refuses
     those), sends the file back.
Task ids are compared as DuckDB's JSON text of them (equal strings have equal text). The
file must not grow meanwhile: a line DuckDB reads must be one simdjson parsed.
"""

from __future__ import annotations

import mmap
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import orjson

from tui.core.kpi.numbers import quantile
from tui.core.record_kinds import FLAG_REASONS
from tui.core.result_lines import MAX_ACTIVE_MS, MAX_KEYS, MAX_REVISION, open_for_reading

if TYPE_CHECKING:
    import duckdb

# Codes as in scan.py (ANSWER_CODES).
SKIP, FLAG, UNDONE = 2, 3, 4
_REASONS = "[" + ", ".join(f"'{reason}'" for reason in FLAG_REASONS) + "]"
# The characters str.isspace() knows (str.strip() removes them): a task id of only these is
# refused by the reader. Written out: finding them costs 50 ms (test_stats_columnar checks).
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE = "".join(f"\\x{{{ord(c):x}}}" for c in SPACES)  # as RE2 writes them
# Fields DuckDB reads as JSON text keep their type (a string in quotes). `text` is the type
# of annotator, batch_id and task_type: JSON, or VARCHAR, which is cheaper but writes a
# number, true or an object as its JSON text: then the few distinct values are checked.
_COLUMNS = (
    "{{task_id: 'JSON', annotator: '{text}', batch_id: '{text}', answer: 'VARCHAR', "
    "active_ms: 'JSON', submitted_at: 'VARCHAR', value: 'JSON', revision: 'JSON', "
    "flag: 'JSON', keys: 'JSON', task_type: '{text}', gold_correct: 'JSON', "
    "restored_revision: 'JSON'}}"
)


def _whole(column: str, low: int, high: int) -> str:
    """SQL: a JSON whole number from low to high. DuckDB writes a number read as a float with
    a '.' (5.0; 1e2 -> 100.0; 1e300 -> 1e300 is past every high), a string with quotes and
    true/false as words: the cast refuses those, and a negative is below every low."""
    text = f"{column}::VARCHAR"
    return (
        f"(TRY_CAST({text} AS UBIGINT) BETWEEN {low} AND {high}"
        f" AND NOT contains({text}, '.') AND NOT contains({text}, 'e'))"
    )


# A flag as the shared reader checks it: an object of a known reason and, if any, a note
# text; no other key, none twice (orjson keeps the last of two, DuckDB's ->> the first).
_FLAG = f"""
  starts_with(flag, '{{')
  AND list_has_all(['reason', 'note'], json_keys(flag))
  AND len(list_distinct(json_keys(flag))) = len(json_keys(flag))
  AND json_type(flag, '$.reason') = 'VARCHAR'
  AND list_contains({_REASONS}, flag->>'$.reason')
  AND coalesce(json_type(flag, '$.note'), 'VARCHAR') = 'VARCHAR'
"""
_FITS = f"""
  starts_with(task_id, '"') AND {{texts}}
  AND CASE WHEN ascii((task_id::VARCHAR)[2]) BETWEEN 35 AND 126
        AND ascii((task_id::VARCHAR)[2]) <> 92 THEN TRUE
      ELSE regexp_matches(json_extract_string(task_id, '$'), '[^{_SPACE}]') END
  AND answer IN ('accept', 'reject', 'skip', 'flag', 'undone')
  AND {_whole("active_ms", 0, MAX_ACTIVE_MS)}
  AND strlen(submitted_at) = 24 AND submitted_at LIKE '__________T________.___Z'
  AND (value IS NULL OR starts_with(value, '{{'))
  AND (revision IS NULL OR {_whole("revision", 1, MAX_REVISION)})
  AND (keys IS NULL OR {_whole("keys", 0, MAX_KEYS)})
  AND (restored_revision IS NULL OR {_whole("restored_revision", 1, MAX_REVISION)})
  AND (gold_correct IS NULL OR gold_correct IN ('true', 'false'))
  AND (flag IS NULL OR ({_FLAG}))
"""
# The group of a line per --by, as JSON text (decoded for the report) or as text.
_GROUP = {
    None: ("'\"all\"'", "'all'"),
    "day": ("'\"' || submitted_at[1:10] || '\"'", "submitted_at[1:10]"),
    "batch": ("batch_id", "batch_id"),
    "annotator": ("annotator", "annotator"),
    "task-type": ("coalesce(task_type, '\"?\"')", "coalesce(task_type, '?')"),
}


def _insert(group: str | None, keep: str, *, json_text: bool) -> str:
    """SQL: the kept lines of a file into `rows`; a line that does not fit, kept or not,
    stops it (error()): the reader reads that file. With `json_text`, annotator, batch_id
    and task_type are JSON text, their type checked per line (needed when a filter keeps
    only some lines: the others must fit too); else text, their values checked after."""
    if json_text:
        texts = """starts_with(annotator, '"') AND starts_with(batch_id, '"')
  AND (task_type IS NULL OR starts_with(task_type, '"'))"""
    else:
        texts = "annotator IS NOT NULL AND batch_id IS NOT NULL"
    columns = _COLUMNS.format(text="JSON" if json_text else "VARCHAR")
    return f"""
INSERT INTO rows SELECT
  $source::INTEGER,
  hash(task_id, annotator, batch_id), task_id, annotator, batch_id,
  CASE answer WHEN 'accept' THEN 0 WHEN 'reject' THEN 1 WHEN 'skip' THEN 2 WHEN 'flag' THEN 3
    ELSE 4 END,
  flag IS NOT NULL, TRY_CAST(active_ms AS BIGINT), submitted_at,
  {_GROUP[group][0 if json_text else 1]},
  CASE gold_correct WHEN 'true' THEN 1 WHEN 'false' THEN 0 END,
  task_type
FROM read_json($path, format = 'newline_delimited', columns = {columns})
WHERE CASE WHEN {_FITS.replace("{texts}", texts)} THEN {keep} ELSE error('{_UNFIT}') END
"""


def _converted(value: str | None) -> bool:
    """Whether DuckDB's text of a field may be a JSON value that was not a string: a
    number, true, an object... written as JSON (a string that reads so is counted too)."""
    if value is None:
        return False
    try:
        return type(orjson.loads(value)) is not str
    except orjson.JSONDecodeError:
        return False


_UNFIT = "labeldesk: a line does not fit"


@dataclass(slots=True)
class ColumnarGroup:
    items: int
    active_ms: int
    skips: int
    flags: int
    fast: int
    gold_checked: int
    gold_correct: int
    median: float | None = None  # of the counted answers' active_ms, as report() makes them
    p90: float | None = None


@dataclass(slots=True)
class ColumnarFigures:
    groups: dict[str, ColumnarGroup]
    undos: dict[str, int]
    hours: dict[str, list[int]]
    median: float | None  # over every group's counted answers
    p90: float | None


class _Ranks(Sequence[int]):
    """The values at some ranks of a sorted sequence, read by quantile() as if all were."""

    def __init__(self, length: int, values: dict[int, int]) -> None:
        self._length = length
        self._values = values

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, rank: int) -> int: ...
    @overload
    def __getitem__(self, rank: slice) -> Sequence[int]: ...
    def __getitem__(self, rank: int | slice) -> int | Sequence[int]:
        if isinstance(rank, slice):
            raise TypeError("read by rank only")
        return self._values[rank]


def _ranks_read(length: int) -> list[int]:
    """The ranks quantile() reads for the median and p90 of `length` sorted values."""
    read: list[int] = []

    class Probe(_Ranks):
        def __getitem__(self, rank: Any) -> Any:
            read.append(rank)
            return 0

    probe = Probe(length, {})
    quantile(probe, 0.5)
    quantile(probe, 0.9)
    return sorted(set(read))


def _median_p90(length: int, values: dict[int, int]) -> tuple[float | None, float | None]:
    ranks = _Ranks(length, values)
    return quantile(ranks, 0.5), quantile(ranks, 0.9)


def lines_parse(data: mmap.mmap, *, count: bool = True) -> int | None:
    """How many lines a file has (0 without `count`), when simdjson parses every one and none
    is an audit line (has `verdict`); None when one does not."""
    import simdjson

    # Found in the bytes (memchr-fast); a \\u escape may spell it in a key: orjson decides.
    # (A backslash alone is memchr-fast; the two bytes \\u are not.)
    if data.find(b'"verdict"') >= 0 or (
        data.find(b"\\") >= 0 and data.find(b"\\u") >= 0 and _has_verdict(data)
    ):
        return None
    data.seek(0)
    # All in C, no Python statement per line; each document is dropped before the next parse
    # (simdjson refuses to reuse its parser while one is alive).
    documents: Iterator[Any] = map(simdjson.Parser().parse, iter(data.readline, b""))
    try:
        if not count:
            deque(documents, maxlen=0)
            return 0
        # len() drops the document (a number or null has none: TypeError, and DuckDB would
        # refuse it too); enumerate() counts.
        last = deque(enumerate(map(len, documents), 1), maxlen=1)
    except (ValueError, TypeError, RuntimeError):  # simdjson: a blank line, too deep...
        return None
    return last[0][0] if last else 0


def _has_verdict(data: mmap.mmap) -> bool:
    """Whether a line has a `verdict` key, written with escapes (only asked when the bytes
    hold a \\u); a line orjson refuses counts too (the reader says why)."""
    data.seek(0)
    for line in iter(data.readline, b""):
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            return True
        if type(obj) is dict and "verdict" in obj:
            return True
    return False


class ColumnarStats:
    """Clean results files, summed in DuckDB: add() each source in order, then figures()."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        *,
        annotators: frozenset[str],
        since: str | None,
        by: str | None,
    ) -> None:
        self._db = connection
        self._limits: dict[int, float] = {}
        self.sources = 0
        keep = ["TRUE"]
        self._parameters: dict[str, object] = {}
        if annotators:
            # Each name as DuckDB writes it in JSON (as it writes the field it reads).
            keep.append("list_contains($annotators, annotator)")
            self._parameters["annotators"] = [
                str(text)
                for (text,) in connection.execute(
                    "SELECT to_json(unnest($names::VARCHAR[]))::VARCHAR",
                    {"names": sorted(annotators)},
                ).fetchall()
            ]
        if since is not None:
            keep.append("submitted_at >= $since")
            self._parameters["since"] = since
        # Without a filter every line is inserted, so the text fields can be checked after.
        self._json_text = bool(self._parameters)
        self._insert = _insert(by, " AND ".join(keep), json_text=self._json_text)
        connection.execute(
            "CREATE TEMP TABLE rows (s INTEGER, h UBIGINT, task_id VARCHAR,"
            " annotator VARCHAR, batch_id VARCHAR, code TINYINT, has_flag BOOLEAN,"
            " active BIGINT, sub VARCHAR, grp VARCHAR, gold TINYINT, task_type VARCHAR)"
        )

    @classmethod
    def open(
        cls, *, annotators: frozenset[str], since: str | None, by: str | None
    ) -> ColumnarStats | None:
        """None when DuckDB or simdjson is not installed, or there is no /proc/self/fd (DuckDB
        reads the descriptor opened here): the reader then reads every file."""
        if not os.path.isdir("/proc/self/fd"):
            return None
        try:
            import duckdb
            import simdjson  # noqa: F401
        except ImportError:
            return None
        # One thread: the scan is bound by the parse, and a second one costs ~10% more CPU.
        # Files are read as /proc/self/fd/N, a name the next file may get: nothing cached.
        connection = duckdb.connect(
            ":memory:", config={"threads": 1, "enable_external_file_cache": False}
        )
        return cls(connection, annotators=annotators, since=since, by=by)

    def add(
        self, path: Path, source: int, limit_ms: float | None, *, follow: bool = False
    ) -> int | None:
        """Load a file when every line fits; returns its line count (None: a line does not
        fit, nothing of the file was kept, and the reader must read it). `follow`: as the
        reader opens it (a symlink only when named on the command line)."""
        import duckdb

        try:
            fd = open_for_reading(path, follow=follow)
        except OSError:
            return None  # the reader says why
        with os.fdopen(fd, "rb"):
            size = os.fstat(fd).st_size
            if not size:
                return None
            # The first `size` bytes are parsed: a file that grows meanwhile is the reader's
            # (DuckDB would read lines simdjson did not), see below.
            # Without a filter every line is inserted: DuckDB counts them (cheaper).
            filtered = bool(self._parameters)
            with mmap.mmap(fd, size, access=mmap.ACCESS_READ) as data:
                lines = lines_parse(data, count=filtered)
            if lines is None:
                return None
            try:
                inserted = self._db.execute(
                    self._insert,
                    {"source": source, "path": f"/proc/self/fd/{fd}", **self._parameters},
                ).fetchone()
                if not filtered:
                    assert inserted is not None
                    lines = int(inserted[0])
            except duckdb.Error:
                # A line that does not fit, a field twice, a line that is not an object...:
                # the statement failed whole, nothing of the file was inserted.
                return None
            if os.fstat(fd).st_size != size or not self._texts_fit(source):
                self._db.execute("DELETE FROM rows WHERE s = $s", {"s": source})
                return None
        if limit_ms is not None:
            self._limits[source] = limit_ms
        self.sources += 1
        return lines

    def close(self) -> None:
        self._db.close()

    def _texts_fit(self, source: int) -> bool:
        """Whether the file's annotators, batch ids and task types were JSON strings (read as
        text: see _insert)."""
        if self._json_text:
            return True  # checked per line
        found = self._db.execute(
            "SELECT list(DISTINCT annotator), list(DISTINCT batch_id), list(DISTINCT task_type)"
            " FROM rows WHERE s = $s",
            {"s": source},
        ).fetchone()
        assert found is not None
        return not any(_converted(value) for values in found for value in values or ())

    def _superseded(self) -> None:
        """The lines that are not the latest of their (annotator, batch, task), into table
        `superseded`: within a file the later line wins; across files as StatsScanner folds
        them (_fold). Only tasks whose hash repeats are looked at (most have one line)."""
        db = self._db
        db.execute(
            """CREATE TEMP TABLE repeated AS
               SELECT s, rowid AS n, task_id, annotator, batch_id, sub FROM rows
               WHERE h IN (SELECT h FROM rows GROUP BY h HAVING count(*) > 1)"""
        )
        db.execute(
            """CREATE TEMP TABLE last AS
               SELECT task_id, annotator, batch_id, s, max(n) AS n,
                      arg_max(sub, n) AS last_sub, max(sub) AS top
               FROM repeated GROUP BY task_id, annotator, batch_id, s"""
        )
        db.execute(
            """CREATE TEMP TABLE superseded AS
               SELECT s, n FROM repeated ANTI JOIN last USING (s, n)"""
        )
        shared = db.execute(
            """SELECT task_id, annotator, batch_id, s, n, last_sub, top FROM last
               WHERE (task_id, annotator, batch_id) IN (
                 SELECT (task_id, annotator, batch_id) FROM last
                 GROUP BY task_id, annotator, batch_id HAVING count(*) > 1)
               ORDER BY task_id, annotator, batch_id, s"""
        ).fetchall()
        losers = list(_fold(shared))
        if losers:
            db.executemany("INSERT INTO superseded VALUES (?, ?)", losers)

    def figures(self) -> ColumnarFigures:
        """The figures over the latest lines, in one scan: each group's counts, how many of
        its answers took each number of milliseconds (for the medians), and the hours."""
        db = self._db
        self._superseded()
        limits = ", ".join(f"({s}, {limit!r}::DOUBLE)" for s, limit in self._limits.items())
        limit_table = f"(VALUES {limits}) AS l(s, lim)" if limits else "(SELECT NULL s, NULL lim)"
        # An undone line counts as no item, whatever it carries; a flag on any answer but
        # `flag` and `undone` counts.
        latest = f"""(SELECT grp, code, active, gold, lim, sub,
                        code <> {UNDONE} AS counted,
                        has_flag AND code <> {FLAG} AND code <> {UNDONE} AS flagged
                      FROM (SELECT *, rowid AS n FROM rows) ANTI JOIN superseded USING (s, n)
                      LEFT JOIN {limit_table} USING (s))"""
        # Three small scans (cheaper than one over grouping sets): each group's counts, how
        # many of its answers took each number of milliseconds (for the medians), the hours.
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
               FROM {latest} GROUP BY grp"""
        ).fetchall():
            groups[grp] = ColumnarGroup(
                int(items), int(active), int(skips), int(flags), int(fast), int(checked),
                int(correct),
            )  # fmt: skip
        # The medians: the active_ms at the ranks quantile() reads, found in DuckDB over how
        # many answers took each number of milliseconds (cumulated per group, and overall).
        db.execute(
            f"""CREATE OR REPLACE TEMP TABLE took AS
                SELECT grp, active AS ms, count(*) AS answers FROM {latest} WHERE counted
                GROUP BY grp, active"""
        )
        wanted = [(grp, rank) for grp, g in groups.items() for rank in _ranks_read(g.items)]
        found: dict[str, dict[int, int]] = {grp: {} for grp in groups}
        for grp, rank, ms in self._at_ranks(wanted, "grp"):
            found[grp][rank] = ms
        for grp, group in groups.items():
            group.median, group.p90 = _median_p90(group.items, found[grp])
        total = sum(g.items for g in groups.values())
        overall = {rank: ms for _, rank, ms in self._at_ranks(
            [("", rank) for rank in _ranks_read(total)], "''"
        )}  # fmt: skip
        hours = {
            hour: [int(items), int(active)]
            for hour, items, active in db.execute(
                f"""SELECT left(sub, 13) AS hour, count(*) FILTER (WHERE counted), sum(active)
                    FROM {latest} GROUP BY hour"""
            ).fetchall()
        }
        # Every undone line counts, superseded or not (an action, not a state).
        undos = {
            self._name(grp): int(count)
            for grp, count in db.execute(
                f"SELECT grp, count(*) FROM rows WHERE code = {UNDONE} GROUP BY grp"
            ).fetchall()
        }
        median, p90 = _median_p90(total, overall)
        return ColumnarFigures(
            {self._name(k): g for k, g in groups.items()}, undos, hours, median, p90
        )

    def _at_ranks(self, wanted: list[tuple[str, int]], group: str) -> list[tuple[str, int, int]]:
        """(group, rank, active_ms) for each wanted (group, rank): the smallest ms whose
        cumulative count of answers passes the rank. `group`: the column, or '' overall."""
        if not wanted:
            return []
        rows = self._db.execute(
            f"""WITH took_by AS (
                  SELECT {group} AS grp, ms, sum(answers) AS answers FROM took GROUP BY ALL),
                cumulated AS (
                  SELECT grp, ms, sum(answers) OVER (PARTITION BY grp ORDER BY ms) AS upto
                  FROM took_by),
                wanted AS (
                  SELECT unnest($groups::VARCHAR[]) AS grp, unnest($ranks::BIGINT[]) AS rank)
                SELECT w.grp, w.rank, min(c.ms)
                FROM wanted w JOIN cumulated c ON c.grp = w.grp AND c.upto > w.rank
                GROUP BY w.grp, w.rank""",
            {"groups": [g for g, _ in wanted], "ranks": [r for _, r in wanted]},
        ).fetchall()
        return [(str(grp), int(rank), int(ms)) for grp, rank, ms in rows]

    def _name(self, group: str) -> str:
        return _decoded(group) if self._json_text else group


def _decoded(text: str) -> str:
    value = orjson.loads(text)
    assert type(value) is str
    return value


def _fold(shared: list[tuple[Any, ...]]) -> Iterable[tuple[int, int]]:
    """Tasks answered in several files (rows ordered by task, then file): StatsScanner keeps
    a later file's line over the kept one when it is not older, and within a file the later
    line always wins; so over the files in order, file j's last line replaces the kept one
    when j's newest submitted_at is at or after the kept line's. Yields the (source, row)
    of each file's last line that loses."""
    kept: tuple[Any, ...] | None = None
    for row in shared:
        if kept is None or kept[:3] != row[:3]:
            kept = row
            continue
        if row[6] >= kept[5]:
            yield kept[3], kept[4]
            kept = row
        else:
            yield row[3], row[4]
