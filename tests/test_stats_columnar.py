"""`labeldesk stats` gives the same report on its columnar path (DuckDB, for clean files) as
on the shared reader's path: over generated batch folders (annotators, revisions, undos,
flags, skips, gold, audits, restores, unicode ids, the same task in two files) and over
files holding a bad line of every kind, where the columnar path must hand the file back."""

from __future__ import annotations

import io
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from tui.core.stats import GROUP_BY, compute_stats, parse_since, problem_lines, render_stats
from tui.core.stats.scan import StatsScanner

pytest.importorskip("duckdb")
pytest.importorskip("simdjson")

ANNOTATORS = ["anna", "bram", "cees", "Zoë", "日本"]
BATCHES = ["nl-0042", "nl-0043", "bé-1"]
TYPES = {"nl-0042": "classify", "nl-0043": "binary", "bé-1": "rate"}


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def answers(seed: int, count: int, annotator: str, batch: str) -> list[dict[str, Any]]:
    """A realistic results file: answers, edits (revision 2), undos, restores, skips, flag
    answers, flags on answers, gold checks; ids with accents and CJK."""
    rng = random.Random(seed)
    clock = datetime(2026, 11, 20, 8, 0, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 600))
    rows: list[dict[str, Any]] = []
    done: list[str] = []
    for n in range(count):
        active = int(rng.lognormvariate(8.5, 0.8))
        clock += timedelta(milliseconds=active + rng.randint(50, 4000_000))
        roll = rng.random()
        record: dict[str, Any] = {
            "batch_id": batch,
            "annotator": annotator,
            "task_type": TYPES[batch],
            "value": None,
            "flag": None,
            "session_id": "s1",
            "started_at": _stamp(clock - timedelta(milliseconds=active)),
            "submitted_at": _stamp(clock),
            "active_ms": active,
            "keys": rng.randint(0, 9),
            "revision": 1,
            "guidelines_sha256": None,
            "app_version": "0.1.0",
        }
        if done and roll < 0.15:
            record["task_id"] = rng.choice(done)
            record["answer"] = rng.choice(["accept", "undone", "reject", "accept"])
            record["revision"] = 2
            if rng.random() < 0.3:
                record["restored_revision"] = 1
        else:
            task = rng.choice(["t-{n}", "tâche-{n}", "任务-{n}", "{n}", " t {n}"]).format(n=n)
            done.append(task)
            record["task_id"] = task
            record["answer"] = rng.choices(
                ["accept", "reject", "skip", "flag"], weights=[70, 12, 10, 8]
            )[0]
        if record["answer"] in ("accept", "reject"):
            record["value"] = {"labels": [rng.choice(["pos", "neg", "ñeu"])]}
        if record["answer"] == "flag" or rng.random() < 0.05:
            reason = rng.choice(["ambiguous", "guidelines", "tooling", "sensitive", "other"])
            record["flag"] = {"reason": reason, "note": rng.choice(["", "zie regel 3", "é"])}
            if rng.random() < 0.3:
                del record["flag"]["note"]
        if rng.random() < 0.1:
            record["gold_correct"] = rng.random() < 0.8
        if rng.random() < 0.05:
            record["shown_ms"] = rng.randint(0, 10_000)  # a field stats does not read
        rows.append(record)
    return rows


def audit_lines(annotator: str, batch: str, tasks: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "task_id": task,
            "batch_id": batch,
            "auditor": "dora",
            "annotator": annotator,
            "revision": 1,
            "task_type": TYPES[batch],
            "verdict": ["pass", "fail", "corrected"][i % 3],
            "errors": [],
            "session_id": "a",
            "started_at": "2026-11-24T10:00:00.000Z",
            "submitted_at": f"2026-11-24T10:{i % 60:02d}:00.000Z",
            "active_ms": 1000,
        }
        for i, task in enumerate(tasks)
    ]


def write(path: Path, rows: list[dict[str, Any] | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for row in rows:
            out.write(row if isinstance(row, bytes) else orjson.dumps(row) + b"\n")
    return path


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    """Three batch folders (min_seconds 3, none, 1.5), several annotators each, audits, a
    loose results file and a copy of one file in another folder (the same tasks twice)."""
    root = tmp_path / "root"
    for number, batch in enumerate(BATCHES):
        folder = root / batch
        folder.mkdir(parents=True)
        guard = ["min_seconds = 3\n", "", "min_seconds = 1.5\n"][number]
        (folder / "batch.toml").write_text(f'id = "{batch}"\ntask_type = "x"\n{guard}')
        for index, annotator in enumerate(ANNOTATORS[: 3 + number]):
            rows = answers(number * 10 + index, 120, annotator, batch)
            write(folder / "results" / f"{annotator}.jsonl", list(rows))
        tasks = [row["task_id"] for row in answers(number * 10, 120, "anna", batch)][:20]
        write(folder / "audits" / "dora.jsonl", list(audit_lines("anna", batch, tasks)))
    copy = answers(0, 120, "anna", BATCHES[0])
    for row in copy[::3]:  # the same tasks, some later, some earlier than the originals
        row["submitted_at"] = _stamp(
            datetime.fromisoformat(row["submitted_at"].replace("Z", "+00:00"))
            + timedelta(hours=random.Random(row["active_ms"]).choice([-5, 5]))
        )
    write(root / "loose" / "anna-copy.jsonl", list(copy))
    write(root / "loose" / "other.jsonl", list(answers(99, 60, "bram", BATCHES[1])))
    return root


def text_of(report: Any) -> str:
    console = Console(width=120, file=io.StringIO(), color_system=None)
    console.print(render_stats(report, width=120))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return str(out) + "\n".join(problem_lines(report))


def same_both_ways(paths: list[Path], **options: Any) -> Any:
    """The report of each path; asserts they are the same, as JSON and as text."""
    fast = compute_stats(paths, columnar=True, **options)
    reader = compute_stats(paths, columnar=False, **options)
    assert fast.to_json() == reader.to_json()
    assert text_of(fast) == text_of(reader)
    return fast


@pytest.fixture
def reader_files(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the shared reader (StatsScanner.scan) read, in order."""
    seen: list[Path] = []
    scan = StatsScanner.scan

    def spy(self: StatsScanner, source: Any) -> None:
        seen.append(source.path)
        scan(self, source)

    monkeypatch.setattr(StatsScanner, "scan", spy)
    return seen


@pytest.mark.parametrize("by", [None, *GROUP_BY])
def test_folders_give_the_same_report(folders: Path, by: Any) -> None:
    report = same_both_ways([folders], by=by)
    assert report.total.items > 500
    assert report.total.undos and report.total.flags and report.total.skips
    assert report.total.gold_checked and report.total.audited and report.total.fast


@pytest.mark.parametrize(
    "options",
    [
        {"annotators": ["anna", "Zoë"]},
        {"annotators": ["日本"], "by": "day"},
        {"since": parse_since("2026-11-22")},
        {"since": parse_since("2026-11-23T10:00"), "by": "annotator", "min_seconds": 20},
        {"annotators": ["nobody"]},
    ],
)
def test_filters_give_the_same_report(folders: Path, options: dict[str, Any]) -> None:
    same_both_ways([folders], **options)


def test_importing_stats_loads_neither_duckdb_nor_pydantic() -> None:
    """DuckDB (~70 ms to import) only when the columnar path runs; pydantic (~80 ms) not for
    reading results lines (the app and `labeldesk stats` on plain files start faster)."""
    import subprocess
    import sys

    code = (
        "import sys, tui.core.stats, tui.commands.stats, tui.core.result_lines\n"
        "print(sorted(m for m in ('duckdb', 'simdjson', 'pydantic') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert done.stdout.strip() == "[]"


def test_the_spaces_are_those_python_strips() -> None:
    from tui.core.stats.columnar import SPACES

    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == SPACES


def test_a_clean_file_takes_the_columnar_path(folders: Path, reader_files: list[Path]) -> None:
    report = compute_stats([folders], columnar=True)
    # Only the audits are the reader's: every results file was summed in DuckDB.
    assert reader_files
    assert all(path.parent.name == "audits" for path in reader_files)
    reader_files.clear()
    assert compute_stats([folders], columnar=False).to_json() == report.to_json()
    assert any(path.parent.name == "results" for path in reader_files)


def test_a_large_input_takes_the_columnar_path_by_itself(
    tmp_path: Path, reader_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.stats import scan

    path = write(tmp_path / "anna.jsonl", list(answers(5, 300, "anna", BATCHES[0])))
    monkeypatch.setattr(scan, "COLUMNAR_BYTES", path.stat().st_size)
    compute_stats([path])
    assert reader_files == []
    monkeypatch.setattr(scan, "COLUMNAR_BYTES", path.stat().st_size + 1)
    compute_stats([path])
    assert reader_files == [path]


GOOD = answers(7, 1, "anna", BATCHES[0])[0] | {"task_id": "t-1", "answer": "accept"}
FIELDS = [
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
    "gold_correct",
    "restored_revision",
    "verdict",
]
# A value of every JSON type, and the edges of the ranges the reader checks.
VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    5.0,
    1.5,
    -0.0,
    2**64,
    30 * 24 * 3600 * 1000 + 1,
    10**9 + 1,
    "",
    " ",
    "\u3000",
    "5",
    "accept",
    "2026-11-22T10:00:00+01:00",
    "2026-11-22T10:00:00.000Z",
    "2026-11-22 10:00:00.000Z",
    [],
    ["accept"],
    {},
    {"reason": "other"},
    {"reason": "other", "note": None},
    {"reason": "nope"},
    {"reason": "other", "x": 1},
    {"labels": ["pos"]},
    float("nan"),
    float("inf"),
]
# Lines that are not a JSON object, or not JSON as orjson reads it (DuckDB reads some).
RAW_LINES: list[bytes] = [
    b"",
    b"   ",
    b"\t",
    b"null",
    b"1",
    b'"text"',
    b"[1, 2]",
    b"{}",
    b"{not json",
    b"\xef\xbb\xbf" + orjson.dumps(GOOD),
    orjson.dumps(GOOD)[:-1] + b",}",
    orjson.dumps(GOOD)[:-1] + b',"x":[1,]}',
    orjson.dumps(GOOD)[:-1] + b',"x":NaN}',
    orjson.dumps(GOOD)[:-1] + b',"x":nan}',
    orjson.dumps(GOOD)[:-1] + b',"x":-inf}',
    orjson.dumps(GOOD)[:-1] + b',"x":1e999}',
    orjson.dumps(GOOD)[:-1] + b',"x":' + b"[" * 1025 + b"]" * 1025 + b"}",
    orjson.dumps(GOOD)[:-1] + b',"x":"\\ud800"}',
    orjson.dumps(GOOD)[:-1] + b',"x":"\xff"}',
    orjson.dumps(GOOD)[:-1] + b',"x":"a\x01b"}',
    orjson.dumps(GOOD)[:-1] + b',"answer":"reject"}',
    orjson.dumps(GOOD)[:-1] + b',"flag":{"reason":"other","reason":"nope"}}',
    orjson.dumps(GOOD)[:-1] + b',"verdict":null}',
    orjson.dumps(GOOD)[:-1] + b',"verd\\u0069ct":"pass"}',
    orjson.dumps(GOOD)[:-1] + b',"task_type":null}',
    orjson.dumps(GOOD)[:-1] + b"} x",
    orjson.dumps(GOOD) + orjson.dumps(GOOD),
    orjson.dumps(GOOD).replace(b'"t-1"', b'"t\\u002d1"'),
    orjson.dumps(GOOD).replace(b'"t-1"', b'"t\\n1"'),
    orjson.dumps(GOOD).replace(b'"anna"', b'"an\\"na"'),
    orjson.dumps(GOOD).replace(b":", b" : "),
    json.dumps(GOOD).encode(),
    json.dumps(GOOD, indent=None, ensure_ascii=True).encode(),
    orjson.dumps(GOOD)[:-30],  # torn
]


def bad_line_cases() -> list[bytes]:
    cases = [json.dumps({**GOOD, name: value}).encode() for name in FIELDS for value in VALUES]
    cases += [json.dumps({k: v for k, v in GOOD.items() if k != name}).encode() for name in FIELDS]
    return cases + RAW_LINES


@pytest.mark.parametrize("line", bad_line_cases(), ids=lambda line: repr(line[:60]))
def test_a_bad_line_gives_the_same_report(tmp_path: Path, line: bytes) -> None:
    """One odd line among good ones, in the middle and at the end (no newline after it)."""
    rows: list[dict[str, Any] | bytes] = list(answers(3, 40, "anna", BATCHES[0]))
    rows.insert(20, line + b"\n")
    write(tmp_path / "r" / "anna.jsonl", rows)
    same_both_ways([tmp_path / "r"], by="task-type")
    (tmp_path / "r" / "anna.jsonl").write_bytes(
        b"".join(orjson.dumps(r) + b"\n" for r in answers(3, 40, "anna", BATCHES[0])) + line
    )
    same_both_ways([tmp_path / "r"])


def test_files_of_the_same_size_and_time(tmp_path: Path, reader_files: list[Path]) -> None:
    """Each file is read as /proc/self/fd/N, which the next one may reuse: no stale read."""
    import os

    rows = answers(21, 50, "anna", BATCHES[0])
    first = write(tmp_path / "a" / "anna.jsonl", list(rows))
    for row in rows:
        row["annotator"] = "bram"  # same length: the same size
    second = write(tmp_path / "b" / "bram.jsonl", list(rows))
    assert first.stat().st_size == second.stat().st_size
    os.utime(second, ns=(first.stat().st_atime_ns, first.stat().st_mtime_ns))
    report = same_both_ways([first, second], by="annotator")
    assert [g.key for g in report.groups] == ["anna", "bram"]
    reader_files.clear()
    compute_stats([first, second], columnar=True)
    assert reader_files == []


def test_a_bad_file_among_clean_ones(folders: Path, reader_files: list[Path]) -> None:
    """One bad line in one file: that file is the reader's, and with answers on both paths
    the reader reads them all; the report is the same."""
    path = folders / BATCHES[1] / "results" / "bram.jsonl"
    with path.open("ab") as out:
        out.write(b'{"task_id": 5}\n')
    report = same_both_ways([folders], by="annotator")
    assert report.lines_skipped == 1
    assert any("[task_id]" in line for line in problem_lines(report))


def test_a_file_that_grows_while_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader_files: list[Path]
) -> None:
    """Lines appended after simdjson parsed the file are not DuckDB's to read unchecked."""
    from tui.core.stats import columnar

    path = write(tmp_path / "anna.jsonl", list(answers(4, 50, "anna", BATCHES[0])))
    parse = columnar.lines_parse

    def and_append(data: Any, **options: Any) -> int | None:
        lines = parse(data, **options)
        with path.open("ab") as out:
            out.write(b'{"task_id": 1}\n')
        return lines

    monkeypatch.setattr(columnar, "lines_parse", and_append)
    report = compute_stats([path], columnar=True)
    assert reader_files == [path]
    assert report.lines_skipped == 1


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=29),
            st.dictionaries(st.sampled_from([*FIELDS, "extra"]), JSON, max_size=2),
        ),
        max_size=3,
    ),
    raw=st.lists(st.binary(max_size=12).filter(lambda b: b"\n" not in b), max_size=1),
)
def test_any_line_gives_the_same_report(
    tmp_path_factory: pytest.TempPathFactory, changes: list[Any], raw: list[bytes]
) -> None:
    records = answers(11, 30, "cees", BATCHES[2])
    for index, fields in changes:
        records[index] = {**records[index], **fields}
    # json.dumps writes NaN, Infinity and huge integers as they are: odd lines on purpose.
    rows: list[dict[str, Any] | bytes] = [json.dumps(r).encode() + b"\n" for r in records]
    rows[15:15] = [line + b"\n" for line in raw]
    folder = tmp_path_factory.mktemp("fuzz")
    write(folder / "results" / "cees.jsonl", rows)
    same_both_ways([folder], by="day")


def test_an_undone_line_that_carries_a_flag_is_no_item(tmp_path: Path) -> None:
    """An undo withdraws the answer: the task counts as no item and no flag, whatever the
    undone line carries (it used to count as a flagged item on both paths)."""
    rows = answers(7, 2, "anna", "nl-0042")
    for row in rows:
        row.update(task_id="t-1", answer="accept", value={"labels": ["pos"]}, flag=None)
    rows[1].update(answer="undone", value=None, revision=2)
    rows[1]["flag"] = {"reason": "ambiguous", "note": ""}
    path = write(tmp_path / "results" / "anna.jsonl", list(rows))
    report = same_both_ways([path])
    assert (report.total.items, report.total.flags, report.total.undos) == (0, 0, 1)
