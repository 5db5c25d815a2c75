"""The home screen's engine: roots, the fast listing, and each batch's figures (no Textual)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.batch_factory import make_batch, texts
from tui.core.home.figures import FigureCache, compute_figures
from tui.core.home.listing import list_batches
from tui.core.home.roots import opened_file, read_opened, remember_opened, resolve_roots

DAY = "2026-11-22"


def answer(
    task_id: str, annotator: str, *, when: str = f"{DAY}T10:00:00.000Z", **extra: Any
) -> dict[str, Any]:
    line = {
        "task_id": task_id,
        "batch_id": "b1",
        "annotator": annotator,
        "task_type": "classify",
        "answer": "accept",
        "value": {"labels": ["pos"]},
        "flag": None,
        "session_id": "s",
        "started_at": when,
        "submitted_at": when,
        "active_ms": 3000,
        "keys": 2,
        "revision": 1,
        "guidelines_sha256": None,
        "app_version": "0.1.0",
    }
    line.update(extra)
    return line


def write_lines(path: Path, lines: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line) + "\n")


def audit(task_id: str, annotator: str, verdict: str, auditor: str = "ruud") -> dict[str, Any]:
    return {
        "task_id": task_id,
        "batch_id": "b1",
        "annotator": annotator,
        "auditor": auditor,
        "revision": 1,
        "verdict": verdict,
        "errors": [] if verdict == "pass" else ["wrong_label"],
        "corrected_value": None,
        "comment": "",
        "session_id": "s",
        "started_at": f"{DAY}T11:00:00.000Z",
        "submitted_at": f"{DAY}T11:00:00.000Z",
        "active_ms": 1000,
    }


def test_listing_finds_batches_at_depth_and_skips_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "root"
    make_batch(root / "a", texts(2), id="a", title="Alpha")
    make_batch(root / "project" / "b", texts(1), id="b")
    make_batch(root / "project" / "b" / "results" / "c", texts(1), id="inside-results")
    make_batch(root / ".hidden" / "d", texts(1), id="hidden")
    (root / "broken").mkdir()
    (root / "broken" / "batch.toml").write_text("id = [", encoding="utf-8")
    (root / "link").symlink_to(root / "a")
    entries = list_batches([root, root / "a"])  # a root inside another: each batch once
    assert [e.id for e in entries] == ["a", "broken", "b"]  # by path: root/project/b last
    assert entries[0].title == "Alpha" and entries[2].title == "b"
    assert entries[1].error is not None and entries[1].task_type == "?"
    assert list_batches([root / "a"])[0].id == "a"  # a root that is a batch itself
    assert list_batches([tmp_path / "missing"]) == []


def test_figures_mine_others_today_audits_and_plan(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b1", texts(10), id="b1", target_per_hour=600)
    results = folder / "results"
    write_lines(
        results / "anna.jsonl",
        [
            answer("t0", "anna", when="2026-11-21T09:00:00.000Z"),  # yesterday
            answer("t1", "anna"),
            answer("t2", "anna"),
            answer("t2", "anna", answer="undone", revision=2),  # withdrawn
            answer("t3", "anna", answer="skip", value=None),
        ],
    )
    write_lines(results / "bram.jsonl", [answer(f"t{i}", "bram") for i in range(4)])
    write_lines(
        folder / "audits" / "ruud.jsonl",
        [audit("t0", "anna", "pass"), audit("t1", "anna", "fail"), audit("t0", "bram", "pass")],
    )
    figures = compute_figures(list_batches([folder])[0], "anna", DAY)
    assert figures.tasks == 10
    assert figures.mine == 3  # t0, t1, t3 (a skip is an item); t2 was undone
    assert figures.others == (("bram", 4),)
    # today: t1 and t3 (t2's undone line counts no item but its time counts)
    assert figures.today_items == 2
    assert figures.target_per_hour == 600
    assert figures.audited == 2 and figures.audit_passed == 1 and figures.pass_rate == 0.5
    assert figures.plan is None
    assert figures.unreadable == ()
    # bram sees the same batch from his side
    bram = compute_figures(list_batches([folder])[0], "bram", DAY)
    assert bram.mine == 4 and bram.others == (("anna", 3),) and bram.pass_rate == 1.0


def test_pace_against_target(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b1", texts(10), id="b1", target_per_hour=600)
    # 6 items in 36 s of active time: 600 per hour, on target
    write_lines(
        folder / "results" / "anna.jsonl",
        [answer(f"t{i}", "anna", active_ms=6000) for i in range(6)],
    )
    figures = compute_figures(list_batches([folder])[0], "anna", DAY)
    assert figures.today_rate == pytest.approx(600)
    assert figures.pace == pytest.approx(1.0)
    tomorrow = compute_figures(list_batches([folder])[0], "anna", "2026-11-23")
    assert tomorrow.today_items == 0 and tomorrow.pace is None


def test_an_unreadable_colleague_is_named_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_batch(tmp_path / "b1", texts(3), id="b1")
    write_lines(folder / "results" / "anna.jsonl", [answer("t0", "anna")])
    write_lines(folder / "results" / "bram.jsonl", [answer("t0", "bram")])
    (folder / "results" / "bram.jsonl").chmod(0)
    if os.geteuid() == 0:  # root reads every file: make the permission count for the test
        real_access = os.access
        monkeypatch.setattr(
            "tui.core.home.figures.os.access",
            lambda path, mode: Path(path).name != "bram.jsonl" and real_access(path, mode),
        )
    figures = compute_figures(list_batches([folder])[0], "anna", DAY)
    assert figures.mine == 1 and figures.unreadable == ("bram",) and figures.others == ()


def test_audit_plan_assigned_to_me(tmp_path: Path) -> None:
    from tui.core.audit import SampleSpec, assign_audit

    folder = make_batch(tmp_path / "b1", texts(6), id="b1")
    write_lines(folder / "results" / "bram.jsonl", [answer(f"t{i}", "bram") for i in range(6)])
    assign_audit(folder, "anna", SampleSpec(rate=None, per_annotator=4), seed="x", mode="new")
    entry = list_batches([folder])[0]
    figures = compute_figures(entry, "anna", DAY)
    assert figures.plan is not None and (figures.plan.done, figures.plan.total) == (0, 4)
    (folder / "audits" / "anna.plan.json").write_text("{", encoding="utf-8")
    broken = compute_figures(entry, "anna", DAY)
    assert broken.plan is not None and broken.plan.error and "anna.plan.json" in broken.plan.error


def test_guidelines_changed_since_my_last_answer(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b1", texts(3), id="b1")
    sha = hashlib.sha256((folder / "guidelines.md").read_bytes()).hexdigest()
    write_lines(folder / "results" / "anna.jsonl", [answer("t0", "anna", guidelines_sha256=sha)])
    entry = list_batches([folder])[0]
    assert not compute_figures(entry, "anna", DAY).guidelines_changed
    (folder / "guidelines.md").write_text("# New rules\n", encoding="utf-8")
    assert compute_figures(entry, "anna", DAY).guidelines_changed


def test_bad_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b1", texts(3), id="b1")
    results = folder / "results" / "anna.jsonl"
    write_lines(results, [answer("t0", "anna")])
    with results.open("a") as fh:
        fh.write('{"task_id": 5}\nnot json\n')
    write_lines(results, [answer("t1", "anna")])
    figures = compute_figures(list_batches([folder])[0], "anna", DAY)
    assert figures.mine == 2 and figures.bad_lines == 2
    assert any("anna.jsonl" in p for p in figures.problems)


def test_cache_recomputes_only_changed_batches(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b1", texts(3), id="b1")
    entry = list_batches([folder])[0]
    cache = FigureCache("anna")
    first = cache.refresh(entry, DAY)
    assert first is not None and first.mine == 0
    assert cache.refresh(entry, DAY) is None  # nothing changed: no repaint
    write_lines(folder / "results" / "anna.jsonl", [answer("t0", "anna")])
    again = cache.refresh(entry, DAY)
    assert again is not None and again.mine == 1 and cache.get(folder) == again
    with (folder / "tasks.jsonl").open("a") as fh:
        fh.write('{"id": "t9", "text": "new"}\n')
    grown = cache.refresh(entry, DAY)
    assert grown is not None and grown.tasks == 4


def test_roots_from_config_else_opened_before(tmp_path: Path) -> None:
    assert resolve_roots([]).folders == []
    assert remember_opened(tmp_path / "one") is None
    assert remember_opened(tmp_path / "two") is None
    assert remember_opened(tmp_path / "one") is None  # moved to the front, not doubled
    written = os.stat(opened_file())
    assert remember_opened(tmp_path / "one") is None  # first already: the file is not rewritten
    again = os.stat(opened_file())
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    roots = resolve_roots([])
    assert roots.source == "opened" and roots.folders == [tmp_path / "one", tmp_path / "two"]
    info = os.stat(opened_file())
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE(os.stat(opened_file().parent).st_mode) == 0o700
    configured = resolve_roots(["~/batches", "/abs", "rel"])
    assert configured.source == "config"
    assert configured.folders[0] == Path.home() / "batches"
    assert configured.folders[1] == Path("/abs")
    assert configured.folders[2].name == "rel" and configured.folders[2].is_absolute()


def test_a_damaged_state_file_is_a_warning(tmp_path: Path) -> None:
    remember_opened(tmp_path / "one")
    opened_file().write_text("{not json", encoding="utf-8")
    folders, problems = read_opened()
    assert folders == [] and "not valid JSON" in problems[0].message
    opened_file().unlink()
    opened_file().symlink_to(tmp_path / "elsewhere.json")
    (tmp_path / "elsewhere.json").write_text('{"folders": ["/x"]}', encoding="utf-8")
    folders, problems = read_opened()
    assert folders == [] and problems  # a symlink is refused
    assert remember_opened(tmp_path / "two") is None  # replaced by a file of its own
    assert not opened_file().is_symlink()
    assert (tmp_path / "elsewhere.json").read_text(encoding="utf-8") == '{"folders": ["/x"]}'


def test_today_is_that_day_only(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b1", texts(5), id="b1")
    write_lines(
        folder / "results" / "anna.jsonl",
        [answer("t0", "anna"), answer("t1", "anna", when="2026-11-23T08:00:00.000Z")],
    )
    figures = compute_figures(list_batches([folder])[0], "anna", DAY)
    assert figures.mine == 2 and figures.today_items == 1


def test_figure_line_words() -> None:
    from tui.core.home.figures import AuditPlanFigures, BatchFigures
    from tui.core.home.render import figure_line

    figures = BatchFigures(
        tasks=10,
        mine=4,
        others=(("bram", 3), ("cor", 1), ("dirk", 2), ("eva", 5)),
        today_items=6,
        today_active_ms=36_000,
        target_per_hour=300,
        plan=AuditPlanFigures(1, 4),
        audited=4,
        audit_passed=3,
        guidelines_changed=True,
    )
    assert figure_line(figures) == (
        "me 4/10 40% · bram 3, cor 1, dirk 2 +1 more · today 6 at 600/h (200% of 300/h) · "
        "to audit 3 of 4 · my work passed 3/4 · guidelines changed"
    )
    assert figure_line(BatchFigures(tasks=0, mine=0)) == "me 0/0 · today 0"
