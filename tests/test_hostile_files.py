"""A shared batch folder is hostile ground (issue 11): symlinks, odd files and a permissive
umask in results/ and audits/ must never make labeldesk write where it should not."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from tests.hang_guard import within as _within
from tui.core import safe_files
from tui.core.jsonl_store import AppendOnlyJsonl, StoreNotWritableError, UnsafeFileError
from tui.core.records import ResultRecord
from tui.core.results import ResultsStore
from tui.core.safe_files import make_private_dirs


def record(task_id: str) -> ResultRecord:
    now = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)
    return ResultRecord(
        task_id=task_id,
        batch_id="b",
        annotator="anna",
        task_type="binary",
        answer="accept",
        value={"label": None, "accept": True},
        session_id="s1",
        started_at=now,
        submitted_at=now,
        active_ms=1200,
    )


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file outside the batch that a colleague would like labeldesk to overwrite."""
    path = tmp_path / "bashrc"
    path.write_text("export PATH=/usr/bin\n")
    return path


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o000)
    try:
        yield
    finally:
        os.umask(old)


def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(
    tmp_path: Path, victim: Path
) -> None:
    results = tmp_path / "results"
    results.mkdir()
    (results / "anna.jsonl.lock").symlink_to(victim)
    store = ResultsStore(results, "anna", "b")
    with pytest.raises(UnsafeFileError) as caught:
        store.open()
    message = str(caught.value)
    assert str(results / "anna.jsonl.lock") in message
    assert "symbolic link" in message
    assert victim.read_text() == "export PATH=/usr/bin\n"
    assert isinstance(caught.value, StoreNotWritableError)  # the launch reports it as such


def test_a_symlinked_results_file_is_refused_and_its_target_untouched(
    tmp_path: Path, victim: Path
) -> None:
    results = tmp_path / "results"
    results.mkdir()
    victim.write_bytes(b'{"task_id": "x"}\n{"task_id": "torn')  # a "torn" last line
    before = victim.read_bytes()
    (results / "anna.jsonl").symlink_to(victim)
    store = ResultsStore(results, "anna", "b")
    with pytest.raises(UnsafeFileError) as caught:
        store.open()
    assert str(results / "anna.jsonl") in str(caught.value)
    assert "symbolic link" in str(caught.value)
    assert victim.read_bytes() == before
    assert not list(results.glob("*.torn-*"))
    assert not list(tmp_path.glob("bashrc.torn-*"))


def test_a_fifo_where_the_results_file_belongs_is_refused(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    os.mkfifo(results / "anna.jsonl")
    with pytest.raises(UnsafeFileError, match="not a regular file"):
        ResultsStore(results, "anna", "b").open()


def test_a_symlinked_results_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "results").symlink_to(elsewhere)
    with pytest.raises(UnsafeFileError) as caught:
        ResultsStore(tmp_path / "results", "anna", "b").open()
    assert str(tmp_path / "results") in str(caught.value)
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_audit_file_is_refused(tmp_path: Path, victim: Path) -> None:
    audits = tmp_path / "audits"
    audits.mkdir()
    (audits / "dora.jsonl").symlink_to(victim)
    with pytest.raises(UnsafeFileError):
        AppendOnlyJsonl(audits / "dora.jsonl").open()
    assert victim.read_text() == "export PATH=/usr/bin\n"


def test_the_data_file_itself_is_locked_so_deleting_the_lock_file_lets_no_second_writer_in(
    tmp_path: Path,
) -> None:
    import fcntl

    results = tmp_path / "results"
    first = ResultsStore(results, "anna", "b")
    first.open()
    try:
        (results / "anna.jsonl.lock").unlink()
        fd = os.open(results / "anna.jsonl", os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    finally:
        first.close()


def test_folders_and_files_are_private_under_umask_000(tmp_path: Path, open_umask: None) -> None:
    results = tmp_path / "deep" / "er" / "results"
    store = ResultsStore(results, "anna", "b")
    store.open()
    store.append(record("t1"))
    store.close()
    for folder in (tmp_path / "deep", tmp_path / "deep" / "er", results):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE((results / "anna.jsonl").stat().st_mode) == 0o600
    assert stat.S_IMODE((results / "anna.jsonl.lock").stat().st_mode) == 0o600


def test_make_private_dirs_keeps_existing_folders_as_they_are(tmp_path: Path) -> None:
    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    os.chmod(existing, 0o755)
    made = make_private_dirs(existing / "a" / "b")
    assert made == existing / "a" / "b"
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755
    assert stat.S_IMODE((existing / "a").stat().st_mode) == 0o700


UNPRIVILEGED = 65534  # nobody/nogroup


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    """A batch folder's results/ that an unprivileged user owns and can reach (pytest's own
    temporary folders are private to root when the tests run as root)."""
    top = Path(tempfile.mkdtemp(prefix="ld-hostile-"))
    try:
        top.chmod(0o755)
        results = top / "results"
        results.mkdir(mode=0o700)
        if os.geteuid() == 0:
            os.chown(results, UNPRIVILEGED, UNPRIVILEGED)
        yield results
    finally:
        shutil.rmtree(top, ignore_errors=True)


def as_unprivileged(check: Callable[[], None]) -> None:
    """Run `check` as an ordinary user: as root, in a forked child that drops to
    nobody/nogroup first (root ignores file permissions, so a read-only file would prove
    nothing); otherwise in this process, which is unprivileged already."""
    if os.geteuid() != 0:
        check()
        return
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(UNPRIVILEGED)
            os.setuid(UNPRIVILEGED)
            check()
            code = 0
        except BaseException:
            os.write(write, traceback.format_exc().encode())
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        report = fh.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, report


def test_the_torn_tail_of_a_read_only_results_file_leaves_no_side_file(shared: Path) -> None:
    path = shared / "anna.jsonl"
    before = orjson.dumps(record("t1").to_json_dict()) + b'\n{"task_id": "t2", "an'
    path.write_bytes(before)
    path.chmod(0o400)
    if os.geteuid() == 0:
        os.chown(path, UNPRIVILEGED, UNPRIVILEGED)

    def check() -> None:
        for _ in range(3):
            with pytest.raises(StoreNotWritableError) as caught:
                ResultsStore(shared, "anna", "b").open()
            assert "read-only" in str(caught.value) or "permission" in str(caught.value).lower()
            assert str(path) in str(caught.value)

    as_unprivileged(check)
    assert not list(shared.glob("*.torn-*"))
    assert path.read_bytes() == before


@pytest.mark.parametrize("planted", ["anna.jsonl", "anna.jsonl.lock"])
def test_a_colleagues_file_under_my_name_is_refused_as_an_ordinary_user(
    shared: Path, planted: str
) -> None:
    """A colleague (here: root, or the test's user) plants a world-writable file where my
    results or lock note belongs: permissions would let me write it, ownership must not."""
    path = shared / planted
    path.write_bytes(b"planted\n")
    path.chmod(0o666)
    if os.geteuid() != 0:
        pytest.skip("a file of another user can only be planted by root here")

    def check() -> None:
        with pytest.raises(UnsafeFileError) as caught:
            ResultsStore(shared, "anna", "b").open()
        assert str(path) in str(caught.value) and "another user" in str(caught.value)

    as_unprivileged(check)
    assert path.read_bytes() == b"planted\n"
    assert not list(shared.glob("*.torn-*"))


def test_media_cache_folders_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    from tui.core.media import cache

    monkeypatch.setenv("LABELDESK_CACHE_DIR", str(tmp_path / "cache"))
    cache.write("abcdef", b"data")
    assert cache.read("abcdef") == b"data"
    folder = tmp_path / "cache"
    for sub in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(sub.stat().st_mode) == 0o700, sub


def test_a_symlinked_cache_entry_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, victim: Path
) -> None:
    from tui.core.media import cache

    monkeypatch.setenv("LABELDESK_CACHE_DIR", str(tmp_path / "cache"))
    cache.write("abcdef", b"data")
    entry = next(p for p in (tmp_path / "cache").rglob("abcdef"))
    entry.unlink()
    entry.symlink_to(victim)
    assert cache.read("abcdef") is None


def test_a_results_file_owned_by_someone_else_is_refused(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    planted = results / "anna.jsonl"
    planted.write_bytes(orjson.dumps(record("t1").to_json_dict()) + b"\n")
    other = os.geteuid() + 4242
    try:
        os.chown(planted, other, -1)
    except PermissionError:
        pytest.skip("only root can give a file to another user here")
    with pytest.raises(UnsafeFileError) as caught:
        ResultsStore(results, "anna", "b").open()
    assert str(planted) in str(caught.value)
    assert "another user" in str(caught.value)


def _write_classify_results(folder: Path, count: int) -> None:
    """anna's results file with `count` classify answers (lines the audit commands read),
    written through the public append-only store."""
    with AppendOnlyJsonl(folder / "results" / "anna.jsonl", owner="anna") as results:
        for i in range(count):
            line = record(f"t{i}").to_json_dict()
            line["task_type"] = "classify"
            line["value"] = {"labels": ["pos"]}
            results.append(line)


def test_audit_folders_and_plans_are_private_under_umask_000(
    tmp_path: Path, open_umask: None
) -> None:
    from tests.batch_factory import make_batch, texts
    from tui.core.audit import SampleSpec, assign_audit

    folder = make_batch(tmp_path / "b", texts(4), id="b")
    _write_classify_results(folder, 4)
    assign_audit(folder, "dora", SampleSpec(per_annotator=2), seed="1")
    assert stat.S_IMODE((folder / "audits").stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "audits" / "dora.plan.json").stat().st_mode) == 0o600
    with AppendOnlyJsonl(folder / "audits" / "dora.jsonl") as audit_file:
        audit_file.append({"task_id": "t0"})
    assert stat.S_IMODE((folder / "audits" / "dora.jsonl").stat().st_mode) == 0o600


def test_a_symlink_at_the_plans_temporary_name_is_not_followed(
    tmp_path: Path, victim: Path
) -> None:
    from tui.core.audit.plan import AuditPlan

    audits = tmp_path / "audits"
    audits.mkdir()
    plan = AuditPlan(audits / "dora.plan.json", "b", "dora", "1", {}, "now", [])
    (audits / f".dora.plan.json.{os.getpid()}.tmp").symlink_to(victim)
    with pytest.raises(safe_files.UnsafeFileError, match="symbolic link"):
        plan.save()
    assert victim.read_text() == "export PATH=/usr/bin\n"


def test_audit_assign_never_writes_through_a_planted_plan_symlink(
    tmp_path: Path, victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.batch_factory import make_batch, texts
    from tui.cli import main

    folder = make_batch(tmp_path / "b", texts(4), id="b")
    _write_classify_results(folder, 4)
    (folder / "audits").mkdir()
    (folder / "audits" / "dora.plan.json").symlink_to(victim)
    argv = ["audit", "assign", str(folder), "--auditor", "dora", "--per-annotator", "2"]
    assert main([*argv, "--replace"]) == 0
    assert victim.read_text() == "export PATH=/usr/bin\n"
    plan = folder / "audits" / "dora.plan.json"
    assert not plan.is_symlink() and plan.is_file()  # the link was replaced, not followed


def test_audit_assign_says_why_when_a_symlink_blocks_the_plan(
    tmp_path: Path, victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.batch_factory import make_batch, texts
    from tui.cli import main

    folder = make_batch(tmp_path / "b", texts(4), id="b")
    _write_classify_results(folder, 4)
    (folder / "audits").mkdir()
    (folder / "audits" / f".dora.plan.json.{os.getpid()}.tmp").symlink_to(victim)
    argv = ["audit", "assign", str(folder), "--auditor", "dora", "--per-annotator", "2"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert ".dora.plan.json." in err and "symbolic link" in err
    assert victim.read_text() == "export PATH=/usr/bin\n"


def _plant_foreign(path: Path) -> None:
    """A colleague's own world-writable file at `path` (another user's: needs root)."""
    if os.geteuid() != 0:
        pytest.skip("a file of another user can only be planted by root here")
    path.write_bytes(b"colleague's\n")
    path.chmod(0o666)
    os.chown(path, UNPRIVILEGED, UNPRIVILEGED)


def test_a_colleagues_file_at_the_plans_temporary_name_never_becomes_the_plan(
    tmp_path: Path,
) -> None:
    """Writing into it and renaming it into place would leave a plan its planter can edit."""
    from tui.core.audit.plan import AuditPlan

    audits = tmp_path / "audits"
    audits.mkdir()
    planted = audits / f".dora.plan.json.{os.getpid()}.tmp"
    _plant_foreign(planted)
    plan = AuditPlan(audits / "dora.plan.json", "b", "dora", "1", {}, "now", [])
    with pytest.raises(safe_files.UnsafeFileError, match="another user"):
        plan.save()
    assert planted.read_bytes() == b"colleague's\n"
    assert not (audits / "dora.plan.json").exists()


def test_my_own_leftover_temporary_file_does_not_block_saving(tmp_path: Path) -> None:
    from tui.core.audit.plan import AuditPlan

    audits = tmp_path / "audits"
    audits.mkdir()
    (audits / f".dora.plan.json.{os.getpid()}.tmp").write_bytes(b"half a plan")
    plan = AuditPlan(audits / "dora.plan.json", "b", "dora", "1", {}, "now", [])
    plan.save()
    assert orjson.loads((audits / "dora.plan.json").read_bytes())["auditor"] == "dora"
    assert not list(audits.glob(".*.tmp"))


def test_a_colleagues_file_at_the_merge_outputs_temporary_name_is_refused(
    tmp_path: Path,
) -> None:
    from tui.core.merge.output import write_file

    out = tmp_path / "merged.jsonl"
    planted = tmp_path / f".merged.jsonl.{os.getpid()}.tmp"
    _plant_foreign(planted)
    with pytest.raises(safe_files.UnsafeFileError, match="another user"):
        write_file([], out)
    assert planted.read_bytes() == b"colleague's\n"
    assert not out.exists()


def test_a_colleagues_file_at_the_remembered_folders_temporary_name_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.home import roots

    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setattr(roots, "opened_file", lambda: state / "opened.json")
    planted = state / f".opened.json.{os.getpid()}.tmp"
    _plant_foreign(planted)
    problem = roots.remember_opened(tmp_path)
    assert problem is not None and "another user" in str(problem)
    assert planted.read_bytes() == b"colleague's\n"
    assert not (state / "opened.json").exists()


def _classify_line(task: str, annotator: str) -> bytes:
    line = record(task).to_json_dict()
    line.update(task_type="classify", value={"labels": ["pos"]}, annotator=annotator)
    return orjson.dumps(line) + b"\n"


def test_stats_reads_no_symlink_found_in_a_batch_folder(tmp_path: Path) -> None:
    """A link in results/ (to another batch's file, or to a colleague's file under a name
    sorted first) is reported, never counted: not as its own file, and not in place of the
    file it points to. A file named on the command line may still be a link."""
    from tests.batch_factory import make_batch, texts
    from tui.core.stats import compute_stats

    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_bytes(b"".join(_classify_line(f"t{i}", "zed") for i in range(3)))
    folder = make_batch(tmp_path / "b", texts(4), id="b")
    results = folder / "results"
    results.mkdir()
    (results / "anna.jsonl").write_bytes(_classify_line("t0", "anna"))
    (results / "aaa.jsonl").symlink_to(results / "anna.jsonl")
    (results / "zed.jsonl").symlink_to(elsewhere)
    report = compute_stats([folder], by="annotator")
    assert report.total.items == 1
    assert {g.key: g.items for g in report.groups} == {"anna": 1}
    linked = {Path(p.file).name for p in report.problems if "symbolic link" in p.message}
    assert linked == {"aaa.jsonl", "zed.jsonl"}
    named = compute_stats([results / "zed.jsonl"])
    assert named.total.items == 3


def test_a_read_only_lock_note_is_named_not_the_folder(shared: Path) -> None:
    """Item 8: the message said the folder was not writable when only the .lock note was."""
    note = shared / "anna.jsonl.lock"
    note.write_bytes(b"")
    note.chmod(0o400)
    if os.geteuid() == 0:
        os.chown(note, UNPRIVILEGED, UNPRIVILEGED)

    def check() -> None:
        with pytest.raises(StoreNotWritableError) as caught:
            ResultsStore(shared, "anna", "b").open()
        message = str(caught.value)
        assert str(note) in message and "read-only" in message, message
        assert "cannot write in" not in message, message

    as_unprivileged(check)


def test_a_planted_plan_is_read_only_as_a_regular_file(tmp_path: Path) -> None:
    """audits/<auditor>.plan.json read by `labeldesk audit`, the home screen and assign
    --add: a link to a plan made elsewhere is refused, never followed; a named pipe is
    refused at once (the read blocked for ever)."""
    from tests.batch_factory import make_batch, texts
    from tui.core.audit import SampleSpec, assign_audit
    from tui.core.audit.plan import PlanError, load_plan

    folder = make_batch(tmp_path / "b", texts(4), id="b")
    _write_classify_results(folder, 4)
    assign_audit(folder, "dora", SampleSpec(per_annotator=2), seed="1")
    plan = folder / "audits" / "dora.plan.json"
    elsewhere = tmp_path / "crafted.plan.json"
    plan.rename(elsewhere)
    plan.symlink_to(elsewhere)
    with pytest.raises(PlanError, match="symbolic link"):
        load_plan(folder, "dora")
    plan.unlink()
    os.mkfifo(plan)
    try:
        with pytest.raises(PlanError, match="not a regular file"):
            _within(10, lambda: load_plan(folder, "dora"))
    finally:
        with contextlib.suppress(OSError):  # free a reader left blocked on the pipe
            os.close(os.open(plan, os.O_WRONLY | os.O_NONBLOCK))
