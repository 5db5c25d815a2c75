"""`labeldesk audit` argument shapes and output, through its own register()."""

from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path

import orjson
import pytest

from tests.test_audit_support import make_batch, result, write_results
from tui.commands import audit as audit_command


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="labeldesk")
    audit_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["audit", *argv])
    code: int = args.func(args)
    return code


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = make_batch(tmp_path / "b")
    write_results(
        folder,
        [
            result(a, f"t{i}", {"labels": ["pos" if i % 2 else "neg"]})
            for a in ("anna", "bob")
            for i in range(10)
        ],
    )
    return folder


def test_assign_report_agreement(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run("assign", str(batch), "--auditor", "dora", "--rate", "20%", "--seed", "3", "--json")
        == 0
    )
    plan = orjson.loads(capsys.readouterr().out)
    assert len(plan["items"]) == 4 and plan["seed"] == "3"
    assert run("assign", str(batch), "--auditor", "dora", "--per-annotator", "1") == 2
    assert "already has an audit plan" in capsys.readouterr().err
    assert run("report", str(batch), "--json") == 0
    assert orjson.loads(capsys.readouterr().out)["overall"]["audited"] == 0
    assert run("agreement", str(batch)) == 0
    assert "Cohen's kappa" in capsys.readouterr().out


def test_open_form_calls_the_app_launcher(
    batch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[Path, str]] = []
    fake = types.ModuleType("tui.app_launch")

    def open_audit(batch: Path, auditor: str) -> int:
        calls.append((batch, auditor))
        return 0

    fake.open_audit = open_audit  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tui.app_launch", fake)
    assert run(str(batch), "--auditor", "dora") == 2
    assert "no audit plan for dora" in capsys.readouterr().err
    assert calls == []
    assert run("assign", str(batch), "--auditor", "dora", "--per-annotator", "1") == 0
    assert run(str(batch), "--auditor", "dora") == 0
    assert run("--auditor", "dora", str(batch)) == 0
    assert calls == [(batch, "dora"), (batch, "dora")]


def test_bad_input_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("report", str(tmp_path / "missing")) == 2
    assert "no such batch folder" in capsys.readouterr().err
    folder = make_batch(tmp_path / "b")
    assert run("assign", str(folder), "--auditor", "dora", "--rate", "lots") == 2
    assert "--rate expects a percentage" in capsys.readouterr().err
