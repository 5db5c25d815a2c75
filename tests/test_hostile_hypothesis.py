"""Property-based fuzz (hypothesis) of results and audit lines through every reader: any
JSON value in any field, extra fields, lines that are not objects or not JSON. No exception
escapes; every line the shared checker refuses is reported with its file and line number,
and the good lines are still counted (issue 11)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.batch_factory import make_batch, texts
from tests.test_hostile_lines import BATCH_ID, audit, result
from tui.core.problems import Problem
from tui.core.result_lines import check_audit_line, check_result_line, read_result_lines

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
RESULT_FIELDS = sorted(result(0))
AUDIT_FIELDS = sorted(audit(0))


def _line(base: dict[str, Any], fields: list[str]) -> st.SearchStrategy[bytes]:
    """Mostly a good line with fields changed or dropped; sometimes any JSON or any bytes.
    json.dumps writes NaN, Infinity and huge integers as they are: odd lines on purpose."""
    changed = st.dictionaries(st.sampled_from([*fields, "extra"]), JSON, max_size=3)
    dropped = st.lists(st.sampled_from(fields), max_size=2)
    as_object = st.builds(
        lambda c, d: json.dumps({k: v for k, v in {**base, **c}.items() if k not in d}).encode(),
        changed,
        dropped,
    )
    other = st.one_of(
        JSON.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=20).filter(lambda b: b"\n" not in b),
    )
    return st.one_of(as_object, as_object, as_object, other)


def _bad_lines(path: Path, raw: list[bytes], check: Any) -> set[int]:
    bad = set()
    for number, data in enumerate(raw, start=1):
        try:
            obj = orjson.loads(data)
        except orjson.JSONDecodeError:
            if data.strip():
                bad.add(number)
            continue
        found = check(obj, path, number)
        if isinstance(found, Problem) and found.severity == "error":
            bad.add(number)
    return bad


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    results=st.lists(_line(result(1), RESULT_FIELDS), min_size=1, max_size=8),
    audits=st.lists(_line(audit(1), AUDIT_FIELDS), min_size=1, max_size=6),
)
def test_every_reader_survives_any_line(results: list[bytes], audits: list[bytes]) -> None:
    from tui.core.audit import agreement_report, audit_report, own_audit_summary
    from tui.core.batch import Batch
    from tui.core.kpi.tally import AnswerTally
    from tui.core.results import ResultsStore
    from tui.core.session import LabelingSession
    from tui.core.stats import compute_stats

    with tempfile.TemporaryDirectory() as tmp:
        folder = make_batch(Path(tmp) / "b", texts(5), id=BATCH_ID)
        (folder / "results").mkdir(mode=0o700, exist_ok=True)
        (folder / "audits").mkdir(mode=0o700, exist_ok=True)
        rpath = folder / "results" / "anna.jsonl"
        apath = folder / "audits" / "dora.jsonl"
        rpath.write_bytes(b"".join(line + b"\n" for line in results))
        apath.write_bytes(b"".join(line + b"\n" for line in audits))
        rpath.chmod(0o600)
        apath.chmod(0o600)

        problems: list[Problem] = []
        good = list(read_result_lines(rpath, problems))
        reported = {p.line for p in problems if p.severity == "error"}
        assert all(p.line is not None for p in problems)
        assert reported == _bad_lines(rpath, results, check_result_line)
        AnswerTally(line.raw for line in good)

        report = compute_stats([folder])
        assert {p.line for p in report.problems if Path(p.file) == apath} >= _bad_lines(
            apath, audits, check_audit_line
        )
        audit_report([folder])
        agreement_report(folder)
        own_audit_summary(folder, "anna")

        batch = Batch.open(folder)
        store = ResultsStore(batch.results_dir, "anna", batch.id)
        store.open()
        try:
            session = LabelingSession(batch, store)
            session.resume()
            session.live_figures()
        finally:
            store.close()


def adjudication(task: int) -> dict[str, Any]:
    """A good adjudications/<name>.jsonl line (DESIGN "Merged results and adjudications")."""
    return {
        **result(task),
        "annotator": "cees",
        "adjudicator": "cees",
        "decision": "pick",
        "chosen": ["anna"],
        "based_on": [{"annotator": "anna", "revision": 1}],
        "comment": "",
    }


ADJUDICATION_FIELDS = sorted(adjudication(0))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    results=st.lists(_line(result(1), RESULT_FIELDS), min_size=1, max_size=8),
    decisions=st.lists(_line(adjudication(1), ADJUDICATION_FIELDS), min_size=1, max_size=6),
)
def test_the_newer_readers_survive_any_line(results: list[bytes], decisions: list[bytes]) -> None:
    """Readers added after the first hostile-folder work (merge and adjudications, export in
    every format, the team ledger, the home screen's figures, the history
    panel): a colleague's odd line is a reported problem, never an exception."""
    import io

    from tui.core.batch import Batch
    from tui.core.export.formats import ExportOptions, write_export
    from tui.core.export.names import BINARY_FORMATS, FORMATS, SPAN_FORMATS
    from tui.core.export.records import open_source
    from tui.core.history import my_history
    from tui.core.home.figures import compute_figures
    from tui.core.home.listing import read_entry
    from tui.core.merge.merge import disagreements, merge_batch
    from tui.core.results import ResultsStore
    from tui.core.team.ledger import LedgerCoordinator
    from tui.core.team.tasks import open_plan

    assert not _refused(orjson.dumps(adjudication(1)), Path("a.jsonl"), 1)  # a good base line
    with tempfile.TemporaryDirectory() as tmp:
        # A team batch (an empty [team] table): the ledger reads the results files too.
        folder = make_batch(Path(tmp) / "b", texts(5), id=BATCH_ID, extra="[team]\n")
        (folder / "results").mkdir(mode=0o700, exist_ok=True)
        (folder / "adjudications").mkdir(mode=0o700, exist_ok=True)
        good = orjson.dumps({**result(1), "annotator": "bram", "value": {"labels": ["neg"]}})
        files = {
            folder / "results" / "anna.jsonl": results,
            folder / "results" / "bram.jsonl": [good],
            folder / "adjudications" / "cees.jsonl": decisions,
        }
        for path, lines in files.items():
            path.write_bytes(b"".join(line + b"\n" for line in lines))
            path.chmod(0o600)

        merged = merge_batch(folder)
        list(disagreements(merged, with_majority=True))
        adjudicated = folder / "adjudications" / "cees.jsonl"
        assert {p.line for p in merged.problems if Path(p.file) == adjudicated} >= {
            n for n, raw in enumerate(decisions, start=1) if _refused(raw, adjudicated, n)
        }

        for name in FORMATS:
            if name in SPAN_FORMATS or (name in BINARY_FORMATS and not _can_write(name)):
                continue
            write_export(open_source(folder), ExportOptions(format=name), io.BytesIO())

        batch = Batch.open(folder)
        ledger = LedgerCoordinator(folder, open_plan(batch), batch_id=batch.id)
        try:
            ledger.status()
        finally:
            ledger.close()

        compute_figures(read_entry(folder, folder.parent), "anna", "2026-11-22")

        store = ResultsStore(batch.results_dir, "anna", batch.id)
        store.open()
        try:
            my_history(store.latest, batch.task_type.summarize)
        finally:
            store.close()


def _refused(raw: bytes, path: Path, number: int) -> bool:
    from tui.core.merge.adjudications import check_adjudication_line

    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return bool(raw.strip())
    return isinstance(check_adjudication_line(obj, path, number), Problem)


def _can_write(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow" if name == "parquet" else "spacy") is not None


def ledger_op(task: int) -> dict[str, Any]:
    """A good team/claims.jsonl line (DESIGN "Working as a team")."""
    return {"op": "claim", "task": f"t{task}", "by": "bram", "until": 1.9e9, "at": 1.8e9}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=st.lists(
        st.one_of(
            _line(ledger_op(1), sorted(ledger_op(1))),
            _line({**ledger_op(2), "op": "answer", "answer": "accept", "rev": 1}, ["answer"]),
            _line({**ledger_op(3), "op": "takeover", "from": "bram"}, ["from", "op"]),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_the_team_ledger_survives_any_line(ops: list[bytes]) -> None:
    """The shared ledger is written by every annotator's labeldesk: any line a colleague (or
    a killed writer) leaves is one reported problem; claiming, renewing, answering and
    releasing go on."""
    from tui.core.batch import Batch
    from tui.core.team.ledger import LedgerCoordinator
    from tui.core.team.settings import DEFAULT_DIR_MODE
    from tui.core.team.tasks import open_plan

    with tempfile.TemporaryDirectory() as tmp:
        folder = make_batch(Path(tmp) / "b", texts(5), id=BATCH_ID, extra="[team]\n")
        (folder / "team").mkdir()
        (folder / "team").chmod(DEFAULT_DIR_MODE)  # as the team made it (no wait for a chmod)
        ledger_file = folder / "team" / "claims.jsonl"
        ledger_file.write_bytes(b"".join(line + b"\n" for line in ops))
        ledger_file.chmod(0o660)
        batch = Batch.open(folder)
        coordinator = LedgerCoordinator(folder, open_plan(batch), batch_id=batch.id)
        try:
            claims = coordinator.claim("anna", 2)
            coordinator.renew("anna", [c.task_id for c in claims])
            coordinator.answered(result(int(claims[0].task_id[1:])) if claims else result(0))
            coordinator.status()
            coordinator.release("anna")
            assert all(p.line is not None for p in coordinator.problems)
        finally:
            coordinator.close()
