"""`labeldesk stats` with no path reads the home screen's roots and says which it read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, texts
from tests.test_home_core import answer, write_lines
from tui.cli import main
from tui.core.home.roots import remember_opened


def config(roots: list[Path]) -> None:
    folder = Path(os.environ["LABELDESK_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    listed = ", ".join(json.dumps(str(r)) for r in roots)
    (folder / "config.toml").write_text(f"roots = [{listed}]\n", encoding="utf-8")


def test_no_path_reads_the_configured_roots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing in . : only the roots can find the answers
    one = make_batch(tmp_path / "work" / "project" / "b1", texts(3), id="b1")
    write_lines(one / "results" / "anna.jsonl", [answer("t0", "anna"), answer("t1", "anna")])
    two = make_batch(tmp_path / "more" / "b2", texts(3), id="b2")
    write_lines(two / "results" / "bram.jsonl", [answer("t0", "bram")])
    config([tmp_path / "work", tmp_path / "more"])
    assert main(["stats", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["total"]["items"] == 3
    assert "read 2 batch folder(s) under roots from" in out.err
    assert str(tmp_path / "work") in out.err and str(tmp_path / "more") in out.err
    assert main(["stats"]) == 0
    text = capsys.readouterr().out
    assert "read 2 batch folder(s)" in text


def test_no_path_uses_the_folders_opened_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    one = make_batch(tmp_path / "batches" / "b1", texts(3), id="b1")
    write_lines(one / "results" / "anna.jsonl", [answer("t0", "anna")])
    remember_opened(tmp_path / "batches")
    assert main(["stats", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["total"]["items"] == 1
    assert "folders opened before" in out.err and str(tmp_path / "batches") in out.err


def test_nothing_found_says_where_it_looked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    config([tmp_path / "empty"])
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "no results or audit files found" in out
    assert "looked in 0 batch folder(s)" in out and str(tmp_path / "empty") in out


def test_no_roots_at_all_reads_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "looked in . (no roots in" in out and "no folder opened before" in out
