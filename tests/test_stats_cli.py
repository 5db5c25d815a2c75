"""The `labeldesk stats` command: human output, --json, options and exit codes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_stats_scan import D22, D23, answer, audit, write
from tui.commands import stats as stats_command


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="labeldesk")
    stats_command.register(parser.add_subparsers())
    args = parser.parse_args(["stats", *argv])
    code: int = args.func(args)
    return code


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "reviews"
    folder.mkdir()
    (folder / "batch.toml").write_text('id = "reviews"\ntask_type = "classify"\nmin_seconds = 2\n')
    write(
        folder / "results" / "anna.jsonl",
        [
            answer("r1", "anna", "accept", 1000, D22 + "10:00:00.000Z", batch="reviews"),
            answer("r2", "anna", "accept", 3000, D22 + "10:01:00.000Z", batch="reviews"),
            answer("r3", "anna", "skip", 4000, D22 + "11:00:00.000Z", batch="reviews"),
            answer("r2", "anna", "undone", 5000, D22 + "11:05:00.000Z", batch="reviews"),
            answer("r4", "anna", "reject", 8000, D23 + "09:00:00.000Z", batch="reviews"),
            b'{"task_id": "r5", "oops"\n',
        ],
    )
    write(
        folder / "audits" / "cees.jsonl",
        [
            audit("r1", "anna", "pass", D23 + "12:00:00.000Z"),
            audit("r4", "anna", "corrected", D23 + "12:00:00.000Z"),
        ],
    )
    return folder


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert run(*argv, "--json") == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_json_figures(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, str(batch))
    # items r1 (1 s), r3 (skip, 4 s), r4 (8 s); r2 undone after 5 s of work
    assert data["total"] == {
        "key": "all",
        "items": 3,
        "active_hours": round(18 / 3600, 6),
        "items_per_active_hour": 600.0,
        "median_s": 4.0,
        "p90_s": 7.2,
        "skips": 1,
        "flags": 0,
        "undos": 1,
        "fast": 1,
        "gold_checked": 0,
        "gold_correct": 0,
        "gold_accuracy": None,
        "audited": 2,
        "audit_passed": 1,
        "audit_pass_rate": 0.5,
    }
    assert data["lines_skipped"] == 1 and data["problems_total"] == 1
    problem = data["problems"][0]
    assert problem["file"].endswith("anna.jsonl") and problem["line"] == 6
    assert [p["start"] for p in data["timeline"]["points"]][:3] == [
        "2026-11-22T10",
        "2026-11-22T11",
        "2026-11-22T12",
    ]


def test_json_by_day_since_and_annotator(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, str(batch), "--by", "day", "--since", "2026-11-22T10:30:00Z")
    assert [(g["key"], g["items"], g["undos"]) for g in data["groups"]] == [
        ("2026-11-22", 1, 1),
        ("2026-11-23", 1, 0),
    ]
    nobody = as_json(capsys, str(batch), "--annotator", "zoe")
    assert nobody["total"]["items"] == 0 and nobody["total"]["audited"] == 0


def test_min_seconds_option_for_bare_files(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bare = batch / "results" / "anna.jsonl"
    copy = batch.parent / "copy.jsonl"
    copy.write_bytes(bare.read_bytes())
    assert as_json(capsys, str(copy))["total"]["fast"] == 0
    assert as_json(capsys, str(copy), "--min-seconds", "1.5")["total"]["fast"] == 1
    assert as_json(capsys, str(copy), "--min-seconds", "10")["total"]["fast"] == 2


def test_human_output(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(batch), "--by", "annotator") == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    row = next(line for line in lines if line.strip().startswith("anna"))
    assert row.split() == [
        "anna",
        "3",
        "0.01",
        "600",
        "4.0s",
        "7.2s",
        "1",
        "0",
        "1",
        "1",
        "—",
        "50%",
    ]
    assert "items per active hour, per hour (UTC)" in captured.out
    assert f"{batch / 'results' / 'anna.jsonl'}:6: not valid JSON" in captured.err
    assert "1 malformed lines were skipped" in captured.err


def test_empty_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert run(str(empty)) == 0
    out = capsys.readouterr().out
    assert "no answers match" in out
    data = as_json(capsys, str(empty))
    assert data["total"]["items"] == 0 and data["total"]["items_per_active_hour"] is None
    assert run(str(tmp_path / "nowhere")) == 1
    captured = capsys.readouterr()
    assert "nowhere: no such file or folder" in captured.err
    assert "no results or audit files found" in captured.out


def test_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(tmp_path), "--since", "yesterday") == 2
    assert "--since: expected a date (2026-11-22)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(str(tmp_path), "--min-seconds", "-1")
    assert "expected 0 seconds or more" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(str(tmp_path), "--by", "week")


def _two_annotators(tmp_path: Path) -> Path:
    """Two annotators with the same figures: only the name column tells the rows apart."""
    folder = tmp_path / "wide"
    folder.mkdir()
    (folder / "batch.toml").write_text('id = "wide"\ntask_type = "classify"\nmin_seconds = 2\n')
    for name in ("annemarie.van-der-berg", "annemarie.van-den-bos"):
        rows: list[dict[str, Any] | bytes] = [
            answer(f"r{n}", name, "accept", 1000 + 900_000 * n, D22 + f"1{n}:00:00.000Z")
            for n in range(5)
        ]
        write(folder / "results" / f"{name}.jsonl", rows)
    return folder


@pytest.mark.parametrize("width", [80, 60])
def test_stats_table_keeps_the_name_column_when_narrow(tmp_path: Path, width: int) -> None:
    from rich.console import Console

    from tui.core.stats import compute_stats, render_stats

    report = compute_stats([_two_annotators(tmp_path)], by="annotator", min_seconds=2)
    console = Console(width=width, record=True, color_system=None)
    console.print(render_stats(report, width))
    text = console.export_text()
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    header = next(line for line in lines if line.lstrip().startswith("annotator"))
    assert "items" in header and "/h" in header and "fast" in header
    rows = [line.strip() for line in lines if line.strip().startswith("annemarie")]
    assert len(rows) == 2 and rows[0].split()[0] != rows[1].split()[0]
    assert "annemarie.van-der-berg" in rows[0] or "annemarie.van-der-berg" in rows[1]


def test_stats_cli_at_80_columns_names_every_annotator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert run(str(_two_annotators(tmp_path)), "--by", "annotator") == 0
    out = capsys.readouterr().out
    assert "annemarie.van-der-berg" in out and "annemarie.van-den-bos" in out
    assert all(len(line) <= 80 for line in out.splitlines())
