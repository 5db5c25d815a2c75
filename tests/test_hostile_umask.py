"""Under umask 000 every folder and file labeldesk creates still gets its explicit mode
(issue 11, attack 6), for the places added after the first hostile-folder work: adjudication
files, rescued answers, the home screen's state, merge and export output, team folders and the
ledger, imported batches. A 0777 folder would let anyone replace a file in it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, texts


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    old = os.umask(0o000)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_adjudication_files_are_private(tmp_path: Path) -> None:
    from tui.core.audit.inputs import read_batch_info
    from tui.core.merge.adjudications import AdjudicationWriter

    folder = make_batch(tmp_path / "b", texts(2), id="b")
    writer = AdjudicationWriter(read_batch_info(folder), "cees")
    writer.open()
    try:
        writer.record(
            task_id="t0",
            decision="pick",
            answer="accept",
            value={"labels": ["pos"]},
            chosen=["anna"],
            based_on=[],
            submitted_at=datetime(2026, 11, 22, 10, tzinfo=UTC),
        )
    finally:
        writer.close()
    assert mode(folder / "adjudications") == 0o700
    assert mode(folder / "adjudications" / "cees.jsonl") == 0o600


def test_rescued_answers_are_private(tmp_path: Path) -> None:
    from tui.core.batch import Batch
    from tui.core.results import ResultsStore
    from tui.core.session import LabelingSession

    folder = make_batch(tmp_path / "b", texts(3), id="b")
    batch = Batch.open(folder)
    store = ResultsStore(batch.results_dir, "anna", batch.id)
    store.open()
    session = LabelingSession(batch, store)
    session.resume()
    session.submit("accept", {"labels": ["pos"]})
    store.close()
    (folder / "results" / "anna.jsonl").unlink()  # the batch folder's file is gone
    target = tmp_path / "data" / "rescued" / "anna.jsonl"
    assert session.rescue(target) == 1
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "rescued") == 0o700
    assert mode(target) == 0o600


def test_the_home_screens_state_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.core.home import roots

    state = tmp_path / "state" / "labeldesk"
    monkeypatch.setattr(roots, "opened_file", lambda: state / "opened.json")
    assert roots.remember_opened(tmp_path) is None
    assert mode(tmp_path / "state") == 0o700
    assert mode(state) == 0o700
    assert mode(state / "opened.json") == 0o600


def test_merge_and_export_output_files_are_private(tmp_path: Path) -> None:
    from tui.core.export.output import atomic_output
    from tui.core.merge.output import write_file

    write_file([], tmp_path / "merged.jsonl")
    assert mode(tmp_path / "merged.jsonl") == 0o600
    with atomic_output(tmp_path / "export.jsonl") as out:
        out.write(b"{}\n")
    assert mode(tmp_path / "export.jsonl") == 0o600


def test_team_folders_results_and_ledger_get_the_teams_modes(tmp_path: Path) -> None:
    from tui.core.batch import Batch
    from tui.core.team.engine import team_results_store
    from tui.core.team.ledger import LedgerCoordinator
    from tui.core.team.settings import DEFAULT_DIR_MODE, DEFAULT_FILE_MODE
    from tui.core.team.tasks import open_plan

    folder = make_batch(tmp_path / "b", texts(3), id="b", extra="[team]\n")
    batch = Batch.open(folder)
    store = team_results_store(batch, "anna")
    store.open()
    store.close()
    ledger = LedgerCoordinator(folder, open_plan(batch), batch_id=batch.id)
    ledger.close()
    for made in (folder / "results", folder / "team"):
        assert stat.S_IMODE(os.stat(made).st_mode) == DEFAULT_DIR_MODE, made
    assert mode(folder / "results" / "anna.jsonl") == DEFAULT_FILE_MODE & ~0o022
    assert mode(folder / "team" / "claims.jsonl") == DEFAULT_FILE_MODE


def test_an_imported_batch_gets_its_explicit_modes(tmp_path: Path) -> None:
    from tui.core.importing.build import (
        BATCH_DIR_MODE,
        BATCH_FILE_MODE,
        ImportRequest,
        run_import,
    )

    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "een"}\n{"text": "twee"}\n', encoding="utf-8")
    output = tmp_path / "imported"
    run_import(ImportRequest(source, "jsonl", "classify", output, labels=["pos", "neg"]))
    assert mode(output) == BATCH_DIR_MODE
    for name in ("tasks.jsonl", "batch.toml"):
        assert mode(output / name) == BATCH_FILE_MODE, name
