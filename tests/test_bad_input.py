"""Bad input gets a precise message — file, line, field, what is wrong — and never a traceback.

DESIGN §2 (report every problem with file and line), §3 (torn lines kept aside, one writer per
results file, files readable only by their owner) and §7 (bad input never loses data). Each case
is checked in the core and through the real `labeldesk` command in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from tui.core.batch import Batch
from tui.core.jsonl_store import StoreLockedError, StoreNotWritableError
from tui.core.problems import BatchError, Problem
from tui.core.records import ResultRecord, iso_ms
from tui.core.results import ResultsStore

REPO = Path(__file__).resolve().parent.parent

BINARY_TOML = (
    'id = "bad-input"\ntitle = "Bad input"\ntask_type = "binary"\n\n[task]\nlabel = "OK"\n'
)
CLASSIFY_TOML = (
    'id = "bad-input"\ntitle = "Bad input"\ntask_type = "classify"\n\n'
    '[task]\nlabels = ["ja", "nee"]\n'
)
GOOD_TASKS = b'{"id": "t1", "text": "een"}\n{"id": "t2", "text": "twee"}\n'


# -- helpers -----------------------------------------------------------------------------------
def make_batch(
    root: Path,
    toml: str | None = BINARY_TOML,
    tasks: bytes | None = GOOD_TASKS,
    name: str = "batch",
) -> Path:
    folder = root / name
    folder.mkdir()
    if toml is not None:
        (folder / "batch.toml").write_text(toml, encoding="utf-8")
    if tasks is not None:
        (folder / "tasks.jsonl").write_bytes(tasks)
    return folder


def open_error(path: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(BatchError) as caught:
        Batch.open(path, **kwargs)  # type: ignore[arg-type]
    assert caught.value.problems
    return caught.value.problems


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def labeldesk_cmd() -> list[str]:
    exe = shutil.which("labeldesk")
    return [exe] if exe else [sys.executable, "-m", "tui.cli"]


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_labeldesk(*args: str | Path, cwd: Path | None = None) -> Run:
    proc = subprocess.run(
        [*labeldesk_cmd(), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return Run(proc.returncode, proc.stdout, proc.stderr)


def open_fatally(*args: str | Path) -> Run:
    """`labeldesk BATCH` on a batch that cannot be opened: exit 2, the reason on stderr."""
    run = run_labeldesk(*args, "--annotator", "anna")
    assert run.code == 2, (run.out, run.err)
    assert run.err.strip()
    return run


def validate(folder: Path, *args: str) -> Run:
    return run_labeldesk("validate", folder, *args)


def toml_line(folder: Path, key: str) -> int:
    lines = (folder / "batch.toml").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(f"{key} ="))


def record(task_id: str, batch_id: str = "bad-input") -> ResultRecord:
    now = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)
    return ResultRecord(
        task_id=task_id,
        batch_id=batch_id,
        annotator="anna",
        task_type="binary",
        answer="accept",
        value={"label": None, "accept": True},
        session_id="s1",
        started_at=now,
        submitted_at=now,
        active_ms=1200,
    )


# -- batch.toml --------------------------------------------------------------------------------
def test_missing_batch_toml(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, toml=None)
    [problem] = open_error(folder)
    assert Path(problem.file) == folder / "batch.toml"
    assert "batch.toml is missing" in problem.message

    run = validate(folder)
    assert run.code == 1
    assert f"error: {folder / 'batch.toml'}: batch.toml is missing" in run.out
    assert "cannot be opened" in run.out

    run = open_fatally(folder)
    assert str(folder) in run.err and "batch.toml" in run.err


def test_unknown_task_type(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, toml=BINARY_TOML.replace('"binary"', '"sentiment"'))
    [problem] = open_error(folder)
    assert Path(problem.file) == folder / "batch.toml"
    assert problem.field == "task_type"
    assert "unknown task type 'sentiment'" in problem.message
    assert "binary" in problem.message and "classify" in problem.message  # the known ones

    run = validate(folder)
    assert run.code == 1
    assert "[task_type] unknown task type 'sentiment'" in run.out
    run = open_fatally(folder)
    assert "unknown task type 'sentiment'" in run.err
    assert "batch.toml" in run.err


def test_unknown_task_type_names_its_line(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, toml=BINARY_TOML.replace('"binary"', '"sentiment"'))
    [problem] = open_error(folder)
    assert problem.line == toml_line(folder, "task_type")


def test_empty_label_list(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, toml=CLASSIFY_TOML.replace('["ja", "nee"]', "[]"))
    [problem] = open_error(folder)
    assert Path(problem.file) == folder / "batch.toml"
    assert problem.field == "task.labels"
    assert problem.line == toml_line(folder, "labels")
    assert "at least 1 item" in problem.message

    run = validate(folder)
    assert run.code == 1
    assert f"batch.toml:{problem.line}: [task.labels]" in run.out
    run = open_fatally(folder)
    assert f"batch.toml:{problem.line}: [task.labels]" in run.err


def test_duplicated_label(tmp_path: Path) -> None:
    folder = make_batch(
        tmp_path, toml=CLASSIFY_TOML.replace('["ja", "nee"]', '["ja", "nee", "ja"]')
    )
    [problem] = open_error(folder)
    assert Path(problem.file) == folder / "batch.toml"
    assert problem.field == "task.labels"
    assert problem.line == toml_line(folder, "labels")
    assert "label 'ja' is listed twice" in problem.message

    run = validate(folder)
    assert run.code == 1
    assert "label 'ja' is listed twice" in run.out
    run = open_fatally(folder)
    assert "label 'ja' is listed twice" in run.err


def test_unknown_field_and_broken_toml_name_their_lines(tmp_path: Path) -> None:
    typo = make_batch(tmp_path, toml='languag = "nl"\n' + BINARY_TOML, name="typo")
    [problem] = open_error(typo)
    assert (problem.field, problem.line, problem.message) == ("languag", 1, "unknown field")

    broken = make_batch(tmp_path, toml='id = "x"\ntask_type = "binary\n', name="broken")
    [problem] = open_error(broken)
    assert problem.line == 2
    assert "not valid TOML" in problem.message
    run = open_fatally(broken)
    assert "batch.toml:2: not valid TOML" in run.err


def test_batch_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-batch"
    [problem] = open_error(missing)
    assert Path(problem.file) == missing
    assert "no such file or folder" in problem.message

    run = validate(missing)
    assert run.code == 1
    assert f"error: {missing}: no such file or folder" in run.out
    run = open_fatally(missing)
    assert str(missing) in run.err and "no such file or folder" in run.err


def test_empty_tasks_file(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, tasks=b"")
    [problem] = open_error(folder)
    assert Path(problem.file) == folder / "tasks.jsonl"
    assert "has no tasks" in problem.message and "empty" in problem.message

    run = validate(folder)
    assert run.code == 1
    assert "tasks.jsonl: has no tasks" in run.out
    run = open_fatally(folder)
    assert "tasks.jsonl: has no tasks" in run.err


def test_blank_lines_only_count_as_empty(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, tasks=b"\n  \n\r\n")
    [problem] = open_error(folder)
    assert "has no tasks" in problem.message


# -- tasks.jsonl: one bad line, the others still fine ------------------------------------------
def validated(folder: Path) -> tuple[Batch, list[Problem], set[int]]:
    batch = Batch.open(folder, results_dir=folder.parent / "results")
    problems, invalid = batch.validate_all()
    return batch, problems, invalid


def test_malformed_json_line(tmp_path: Path) -> None:
    tasks = (
        b'{"id": "t1", "text": "een"}\n{"id": "t2", "text": "twee"\n{"id": "t3", "text": "drie"}\n'
    )
    folder = make_batch(tmp_path, tasks=tasks)
    batch, problems, invalid = validated(folder)
    [problem] = errors_of(problems)
    assert Path(problem.file) == folder / "tasks.jsonl"
    assert problem.line == 2
    assert problem.message.startswith("not valid JSON")
    assert invalid == {1}
    assert batch.item(0).valid and batch.item(2).valid
    assert batch.item(2).task_id == "t3"

    run = validate(folder)
    assert run.code == 1
    assert f"error: {folder / 'tasks.jsonl'}:2: not valid JSON" in run.out
    assert "3 task(s), 1 invalid, 1 error(s)" in run.out


def test_malformed_json_message_does_not_contradict_the_line_number(tmp_path: Path) -> None:
    tasks = b'{"id": "t1", "text": "een"}\n{"id": "t2", "text": "twee"\n'
    folder = make_batch(tmp_path, tasks=tasks)
    _, problems, _ = validated(folder)
    [problem] = errors_of(problems)
    assert problem.line == 2
    assert "line 1" not in problem.message


def test_json_that_is_not_an_object(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, tasks=GOOD_TASKS + b'["t3", "drie"]\n')
    _, problems, invalid = validated(folder)
    [problem] = errors_of(problems)
    assert (problem.line, problem.message) == (3, "expected a JSON object, got list")
    assert invalid == {2}


def test_line_that_is_not_utf8(tmp_path: Path) -> None:
    latin1 = '{"id": "t2", "text": "café"}'.encode("latin-1")
    folder = make_batch(tmp_path, tasks=b'{"id": "t1", "text": "een"}\n' + latin1 + b"\n")
    batch, problems, invalid = validated(folder)
    [problem] = errors_of(problems)
    assert Path(problem.file) == folder / "tasks.jsonl"
    assert problem.line == 2
    column = latin1.index(b"\xe9") + 1
    assert f"not valid UTF-8: byte 0xe9 at column {column}" in problem.message
    assert "UTF-8" in problem.message
    assert invalid == {1}
    assert batch.item(0).valid

    run = validate(folder)
    assert run.code == 1
    assert "tasks.jsonl:2: not valid UTF-8: byte 0xe9" in run.out


def test_utf8_bom_is_a_warning_and_the_first_task_reads(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, tasks=b"\xef\xbb\xbf" + GOOD_TASKS)
    batch, problems, invalid = validated(folder)
    assert errors_of(problems) == []
    assert invalid == set()
    [warning] = problems
    assert warning.severity == "warning"
    assert warning.line == 1
    assert "byte-order mark" in warning.message
    first = batch.item(0)
    assert first.valid and first.task_id == "t1"
    assert first.task is not None and first.task.text == "een"  # type: ignore[attr-defined]

    run = validate(folder)
    assert run.code == 0
    assert "warning:" in run.out and "byte-order mark" in run.out


def test_crlf_line_ends(tmp_path: Path) -> None:
    tasks = b'{"id": "t1", "text": "een"}\r\n{"id": "t2", "text": "twee"}\r\n'
    folder = make_batch(tmp_path, tasks=tasks)
    batch, problems, invalid = validated(folder)
    assert errors_of(problems) == []
    assert invalid == set()
    texts = [item.task.text for item in batch.iter_items() if item.task]  # type: ignore[attr-defined]
    assert texts == ["een", "twee"]
    assert all("\r" not in t for t in texts)
    assert any("CRLF" in p.message and p.severity == "warning" for p in problems)
    assert validate(folder).code == 0


def test_crlf_last_line_without_line_end(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, tasks=b'{"id": "t1", "text": "een"}\r\n{"id": "t2", "text": "x"}')
    batch, problems, _ = validated(folder)
    assert errors_of(problems) == []
    assert [i.task_id for i in batch.iter_items()] == ["t1", "t2"]


def test_duplicate_task_ids(tmp_path: Path) -> None:
    tasks = (
        b'{"id": "t1", "text": "een"}\n{"id": "t2", "text": "twee"}\n\n'
        b'{"id": "t1", "text": "nog een"}\n{"id": "t3", "text": "drie"}\n'
    )
    folder = make_batch(tmp_path, tasks=tasks)
    batch, problems, invalid = validated(folder)
    [problem] = errors_of(problems)
    assert Path(problem.file) == folder / "tasks.jsonl"
    assert problem.line == 4  # the second occurrence (line 3 is blank)
    assert problem.field == "id"
    assert "duplicate task id 't1'" in problem.message
    assert "first on line 1" in problem.message
    assert invalid == {2}  # the first occurrence stays valid
    assert batch.item(0).valid

    run = validate(folder)
    assert run.code == 1
    assert "tasks.jsonl:4: [id] duplicate task id 't1' (first on line 1)" in run.out


def test_task_missing_text(tmp_path: Path) -> None:
    folder = make_batch(tmp_path, tasks=GOOD_TASKS + b'{"id": "t3", "meta": {"bron": "x"}}\n')
    _, problems, invalid = validated(folder)
    [problem] = errors_of(problems)
    assert Path(problem.file) == folder / "tasks.jsonl"
    assert (problem.line, problem.field) == (3, "text")
    assert problem.message == "required field is missing"
    assert invalid == {2}

    run = validate(folder)
    assert run.code == 1
    assert "tasks.jsonl:3: [text] required field is missing" in run.out


def test_ten_megabyte_line_is_refused_and_the_others_are_fine(tmp_path: Path) -> None:
    huge = b'{"id": "huge", "text": "' + b"a" * 10_000_000 + b'"}'
    folder = make_batch(tmp_path, tasks=GOOD_TASKS + huge + b'\n{"id": "t4", "text": "vier"}\n')
    batch, problems, invalid = validated(folder)
    [problem] = errors_of(problems)
    assert Path(problem.file) == folder / "tasks.jsonl"
    assert problem.line == 3
    assert "10.0 MB" in problem.message and "at most" in problem.message
    assert invalid == {2}
    assert [batch.item(i).task_id for i in (0, 1, 3)] == ["t1", "t2", "t4"]
    assert all(batch.item(i).valid for i in (0, 1, 3))
    assert len(batch.item(2).problems) == 1

    run = validate(folder)
    assert run.code == 1
    assert "tasks.jsonl:3: the line is 10.0 MB" in run.out


def test_bad_lines_are_never_changed(tmp_path: Path) -> None:
    latin1 = '{"id": "t3", "text": "café"}\n'.encode("latin-1")
    tasks = b"\xef\xbb\xbf" + GOOD_TASKS + b'{"id": \n' + latin1
    folder = make_batch(tmp_path, tasks=tasks)
    validated(folder)
    run_labeldesk("validate", folder)
    assert (folder / "tasks.jsonl").read_bytes() == tasks


# -- results files -----------------------------------------------------------------------------
def test_new_results_file_and_lock_are_private(tmp_path: Path) -> None:
    old = os.umask(0o000)  # even a permissive umask must not open the files up
    try:
        store = ResultsStore(tmp_path / "results", "anna", "bad-input")
        store.open()
        store.append(record("t1"))
        store.close()
    finally:
        os.umask(old)
    results = tmp_path / "results" / "anna.jsonl"
    assert stat.S_IMODE(results.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "results" / "anna.jsonl.lock").stat().st_mode) == 0o600
    assert orjson.loads(results.read_bytes())["task_id"] == "t1"


def test_torn_last_line_is_kept_aside(tmp_path: Path) -> None:
    results_dir = tmp_path / "results"
    results_dir.mkdir()
    good = orjson.dumps(record("t1").to_json_dict()) + b"\n"
    good += orjson.dumps(record("t2").to_json_dict()) + b"\n"
    torn = orjson.dumps(record("t3").to_json_dict())[:57] + "\u00e9\u2603".encode()[:-1]
    path = results_dir / "anna.jsonl"
    path.write_bytes(good + torn)

    store = ResultsStore(results_dir, "anna", "bad-input")
    problems = store.open()
    try:
        [problem] = problems
        assert Path(problem.file) == path
        assert problem.line == 3
        assert "torn" in problem.message
        assert f"{len(torn)} bytes" in problem.message
        sides = sorted(results_dir.glob("anna.jsonl.torn-*"))
        assert len(sides) == 1
        assert sides[0].name in problem.message
        assert sides[0].read_bytes() == torn  # byte for byte, invalid UTF-8 tail included
        assert stat.S_IMODE(sides[0].stat().st_mode) == 0o600
        assert path.read_bytes() == good  # the good lines are kept as they were
        assert set(store.latest) == {"t1", "t2"}
        store.append(record("t3"))  # appending goes on after the last complete line
    finally:
        store.close()
    lines = path.read_bytes().splitlines()
    assert [orjson.loads(line)["task_id"] for line in lines] == ["t1", "t2", "t3"]

    # Opening again finds nothing torn and keeps the earlier side file.
    again = ResultsStore(results_dir, "anna", "bad-input")
    assert again.open() == []
    again.close()
    assert sorted(results_dir.glob("anna.jsonl.torn-*")) == sides


def test_torn_line_recovery_when_the_side_file_name_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.core.jsonl_store as jsonl_store

    fixed = datetime(2026, 11, 22, 10, 0, 0, 123000, tzinfo=UTC)
    monkeypatch.setattr(jsonl_store, "utc_now", lambda: fixed)
    results_dir = tmp_path / "results"
    results_dir.mkdir()
    stamp = iso_ms(fixed).replace(":", "")
    earlier = results_dir / f"anna.jsonl.torn-{stamp}"
    earlier.write_bytes(b'{"task_id": "old')
    good = orjson.dumps(record("t1").to_json_dict()) + b"\n"
    (results_dir / "anna.jsonl").write_bytes(good + b'{"task_id": "t2", "ans')

    store = ResultsStore(results_dir, "anna", "bad-input")
    [problem] = store.open()
    store.close()
    assert earlier.read_bytes() == b'{"task_id": "old'
    sides = sorted(results_dir.glob("anna.jsonl.torn-*"))
    assert len(sides) == 2
    assert b'{"task_id": "t2", "ans' in [p.read_bytes() for p in sides]
    assert "torn" in problem.message


def test_bad_middle_line_of_results_is_reported_not_dropped(tmp_path: Path) -> None:
    results_dir = tmp_path / "results"
    results_dir.mkdir()
    content = (
        orjson.dumps(record("t1").to_json_dict())
        + b"\n{not json\n"
        + orjson.dumps(record("t2").to_json_dict())
        + b"\n"
    )
    (results_dir / "anna.jsonl").write_bytes(content)
    store = ResultsStore(results_dir, "anna", "bad-input")
    [problem] = store.open()
    store.close()
    assert problem.line == 2 and "not valid JSON" in problem.message
    assert set(store.latest) == {"t1", "t2"}
    assert (results_dir / "anna.jsonl").read_bytes() == content


def _unwritable_existing_folder(tmp_path: Path) -> Iterator[Path]:
    """An existing folder this process cannot create files in, as root too."""
    if os.geteuid() != 0:
        folder = tmp_path / "readonly"
        folder.mkdir()
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    # root ignores permission bits; sysfs refuses new files to everyone.
    folder = Path("/sys/kernel")
    if not folder.is_dir():
        pytest.skip("no /sys/kernel: cannot make a folder that root cannot write")
    yield folder


@pytest.fixture
def unwritable_folder(tmp_path: Path) -> Iterator[Path]:
    yield from _unwritable_existing_folder(tmp_path)


def test_results_folder_that_cannot_be_written(unwritable_folder: Path, tmp_path: Path) -> None:
    store = ResultsStore(unwritable_folder, "anna", "bad-input")
    with pytest.raises(StoreNotWritableError) as caught:
        store.open()
    message = str(caught.value)
    assert f"cannot write in {unwritable_folder}" in message
    assert "--results" in message  # what to do about it
    assert not (unwritable_folder / "anna.jsonl").exists()

    folder = make_batch(tmp_path)
    run = open_fatally(folder, "--results", unwritable_folder)
    assert f"cannot write in {unwritable_folder}" in run.err


def test_results_path_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "results"
    blocker.write_text("not a folder\n")
    store = ResultsStore(blocker, "anna", "bad-input")
    with pytest.raises(StoreNotWritableError) as caught:
        store.open()
    assert f"cannot create the folder {blocker}" in str(caught.value)
    assert blocker.read_text() == "not a folder\n"

    folder = make_batch(tmp_path)
    run = open_fatally(folder, "--results", blocker)
    assert f"cannot create the folder {blocker}" in run.err


def test_results_folder_under_proc_cannot_be_created(tmp_path: Path) -> None:
    target = Path("/proc/labeldesk-results")
    store = ResultsStore(target, "anna", "bad-input")
    with pytest.raises(StoreNotWritableError) as caught:
        store.open()
    assert f"cannot create the folder {target}" in str(caught.value)


HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui.core.results import ResultsStore

    store = ResultsStore(Path(sys.argv[1]), "anna", "bad-input")
    store.open()
    print("locked", flush=True)
    sys.stdin.read()
    store.close()
    """
)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A second process holding results/anna.jsonl open for writing."""
    folder = make_batch(tmp_path)
    results_dir = folder / "results"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(results_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "locked"
        yield folder, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_second_writer_is_refused(holder: tuple[Path, subprocess.Popen[str]]) -> None:
    folder, proc = holder
    store = ResultsStore(folder / "results", "anna", "bad-input")
    with pytest.raises(StoreLockedError) as caught:
        store.open()
    message = str(caught.value)
    assert str(folder / "results" / "anna.jsonl") in message
    assert "already open for writing by another labeldesk" in message
    assert f"pid {proc.pid}" in message
    assert "Close that one first" in message

    run = open_fatally(folder)
    assert "already open for writing" in run.err

    # Another annotator's file in the same folder is not blocked.
    other = ResultsStore(folder / "results", "bram", "bad-input")
    other.open()
    other.close()


def test_lock_is_released_when_the_holder_dies(holder: tuple[Path, subprocess.Popen[str]]) -> None:
    folder, proc = holder
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    store = ResultsStore(folder / "results", "anna", "bad-input")
    assert store.open() == []
    store.close()


# -- every fatal case through the real command: exit 2, stderr, no traceback ------------------
FATAL_CASES: dict[str, tuple[str | None, bytes | None, str]] = {
    "no-batch-toml": (None, GOOD_TASKS, "batch.toml"),
    "unknown-task-type": (BINARY_TOML.replace('"binary"', '"nope"'), GOOD_TASKS, "unknown task"),
    "empty-labels": (CLASSIFY_TOML.replace('["ja", "nee"]', "[]"), GOOD_TASKS, "task.labels"),
    "duplicated-label": (CLASSIFY_TOML.replace('"nee"', '"ja"'), GOOD_TASKS, "listed twice"),
    "empty-tasks": (BINARY_TOML, b"", "has no tasks"),
    "no-tasks-file": (BINARY_TOML, None, "tasks file is missing"),
    "broken-toml": ('id = "x\n', GOOD_TASKS, "not valid TOML"),
}


@pytest.mark.parametrize("case", sorted(FATAL_CASES))
def test_fatal_case_exits_2_on_the_command_line(case: str, tmp_path: Path) -> None:
    toml, tasks, gist = FATAL_CASES[case]
    folder = make_batch(tmp_path, toml=toml, tasks=tasks)
    run = open_fatally(folder)
    assert gist in run.err
    assert run.err.startswith("labeldesk: ")
    assert run.out == ""
    # validate says the same on stdout, exit 1
    checked = validate(folder)
    assert checked.code == 1
    if toml is not None:
        assert gist in checked.out


def test_bare_jsonl_without_task_type_exits_2(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_bytes(GOOD_TASKS)
    run = open_fatally(tasks)
    assert "--task-type" in run.err
    assert not (tmp_path / "results").exists()
