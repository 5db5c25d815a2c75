"""labeldesk export (issue 14): every format of every task type, the answer's meaning for each
peer, the selection rule, timing fields, and the output's safety."""

from __future__ import annotations

import csv
import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.export_factory import TASK_TYPES, batch_with_answers, result_line
from tui.cli import main
from tui.core.batch import Batch
from tui.core.export.extras import MissingExtraError
from tui.core.export.formats import FORMATS, ExportOptions, write_export
from tui.core.export.label_studio import labeling_config
from tui.core.export.records import iter_records, open_source

TEXT_FORMATS = ("jsonl", "prodigy", "label-studio", "label-studio-min", "csv")


def export(folder: Path, fmt: str, **options: Any) -> tuple[bytes, Any]:
    source = open_source(folder)
    out = io.BytesIO()
    summary = write_export(source, ExportOptions(format=fmt, **options), out)
    return out.getvalue(), summary


def jsonl(data: bytes) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in data.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("batches")
    return {kind: batch_with_answers(tmp, kind) for kind in TASK_TYPES}


@pytest.mark.parametrize("kind", TASK_TYPES)
def test_jsonl_lines_carry_task_annotator_answer_flag_note_timing_revision(
    batches: dict[str, Path], kind: str
) -> None:
    lines = jsonl(export(batches[kind], "jsonl")[0])
    batch = Batch.open(batches[kind])
    batch.index_rest()
    first = lines[0]
    raw = batch.raw_line(0)[1]
    assert raw is not None
    assert first["task"] == {**raw, "id": batch.task_id_at(0)}
    assert first["annotator"] == "anna" and first["task_type"] == kind
    assert first["flag"] == {"reason": "guidelines", "note": "unclear rule"}
    assert first["note"] == "unclear rule"
    assert first["active_ms"] == 3000 and first["shown_ms"] == 3100
    assert first["started_at"] == "2026-11-22T10:00:00.000Z"
    assert first["submitted_at"] == "2026-11-22T10:00:03.250Z"
    assert first["revision"] == 1 and first["session_id"] == "s-anna"
    assert first["value"] is not None
    # Both annotators, every task, minus the withdrawn one of each.
    assert len(lines) == 2 * (len(batch) - 1)
    assert {x["annotator"] for x in lines} == {"anna", "bram"}
    assert lines[1]["answer"] == "skip" and lines[1]["value"] is None


def test_select_latest_withdraws_undone_and_all_keeps_every_line(batches: dict[str, Path]) -> None:
    folder = batches["classify"]
    source = open_source(folder)
    latest = list(iter_records(source))
    assert source.skipped_undone == 2
    withdrawn = Batch.open(folder).task_id_at(2)
    assert all(r.task_id != withdrawn for r in latest)
    every = list(iter_records(open_source(folder), "all"))
    assert len(every) == len(latest) + 4  # the answer and the undone line, twice
    assert [r.answer for r in every if r.task_id == withdrawn] == ["accept", "undone"] * 2


def test_an_edit_exports_only_its_latest_revision(tmp_path: Path) -> None:
    folder = batch_with_answers(tmp_path, "classify", annotators=("anna",))
    batch = Batch.open(folder)
    edit = result_line(batch, 0, 3, "anna", revision=2)
    with (folder / "results" / "anna.jsonl").open("ab") as fh:
        fh.write(orjson.dumps(edit) + b"\n")
    records = [r for r in iter_records(open_source(folder)) if r.task_id == edit["task_id"]]
    assert [(r.revision, r.value) for r in records] == [(2, edit["value"])]


@pytest.mark.parametrize("kind", TASK_TYPES)
@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_every_text_format_of_every_task_type(
    batches: dict[str, Path], kind: str, fmt: str
) -> None:
    data, summary = export(batches[kind], fmt)
    assert summary.problems == []
    if fmt in ("jsonl", "prodigy"):
        lines = jsonl(data)
        assert len(lines) == summary.written > 0
    elif fmt.startswith("label-studio"):
        tasks = orjson.loads(data)
        assert len(tasks) == summary.written > 0
    else:
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        assert len(rows) == summary.written > 0
        assert {r["annotator"] for r in rows} == {"anna", "bram"}


def test_prodigy_answers_say_what_they_are(batches: dict[str, Path]) -> None:
    compare = jsonl(export(batches["compare"], "prodigy")[0])
    won = next(x for x in compare if x.get("outcome") == "win")
    assert won["_view_id"] == "choice" and won["answer"] == "accept" and len(won["accept"]) == 1
    assert [o["id"] for o in won["options"]] == [r["id"] for r in won["responses"]]
    assert won["accept"][0] in [o["id"] for o in won["options"]]
    tie = next(x for x in compare if x.get("outcome") == "tie")
    assert tie["accept"] == [] and tie["answer"] == "accept"
    rate = jsonl(export(batches["rate"], "prodigy")[0])[0]
    assert rate["ratings"] and rate["accept"] == [f"{k}={v}" for k, v in rate["ratings"].items()]
    binary = jsonl(export(batches["binary"], "prodigy")[0])
    assert {x["answer"] for x in binary} == {"accept", "reject", "ignore"}
    assert all(x["_view_id"] == "classification" and x["label"] for x in binary)
    for line in binary:
        assert type(line["_input_hash"]) is int and type(line["_task_hash"]) is int
        assert line["_annotator_id"] == line["_session_id"]
        assert line["_annotator_id"].endswith(("-anna", "-bram"))
    spans = jsonl(export(batches["spans"], "prodigy")[0])
    for line in spans:
        for span in line.get("spans", []):
            first, last = line["tokens"][span["token_start"]], line["tokens"][span["token_end"]]
            assert (first["start"], last["end"]) == (span["start"], span["end"])


def test_prodigy_keeps_the_hashes_of_a_prodigy_task(tmp_path: Path) -> None:
    folder = batch_with_answers(tmp_path, "binary", annotators=("anna",))
    lines = (folder / "tasks.jsonl").read_bytes().splitlines()
    first = orjson.loads(lines[0])
    first.update(_input_hash=12345, _task_hash=-678)
    (folder / "tasks.jsonl").write_bytes(b"\n".join([orjson.dumps(first), *lines[1:]]) + b"\n")
    out = jsonl(export(folder, "prodigy")[0])[0]
    assert (out["_input_hash"], out["_task_hash"]) == (12345, -678)


@pytest.mark.parametrize("kind", TASK_TYPES)
def test_label_studio_results_name_controls_of_the_config(
    batches: dict[str, Path], kind: str
) -> None:
    tasks = orjson.loads(export(batches[kind], "label-studio")[0])
    batch = Batch.open(batches[kind])
    config = ET.fromstring(labeling_config(kind, dict(batch.config.task)))
    names = {el.get("name") for el in config.iter() if el.get("name")}
    values = {
        el.get("value", "")[1:] for el in config.iter() if el.get("value", "").startswith("$")
    }
    found = 0
    for task in tasks:
        assert task["data"]["id"] == task["meta"]["labeldesk_id"]
        for annotation in task["annotations"]:
            assert {"completed_by", "lead_time", "was_cancelled", "result"} <= set(annotation)
            assert annotation["was_cancelled"] == (
                annotation["labeldesk"]["answer"] in ("skip", "flag")
            )
            for item in annotation["result"]:
                found += 1
                assert item["from_name"] in names, item
                for target in item["to_name"].split(","):
                    assert target in names, item
        # Every $field the config shows is in the data (the ranker's list only for rankings).
        assert {v for v in values if v != "responses"} - {"label"} <= set(task["data"]) | {"label"}
    assert found


def test_label_studio_maps_ratings_and_picks_to_their_own_controls(
    batches: dict[str, Path],
) -> None:
    rate = orjson.loads(export(batches["rate"], "label-studio")[0])
    types = {i["type"] for t in rate for a in t["annotations"] for i in a["result"]}
    assert "rating" in types and "choices" not in types
    compare = orjson.loads(export(batches["compare"], "label-studio")[0])
    types = {i["type"] for t in compare for a in t["annotations"] for i in a["result"]}
    assert "pairwise" in types
    minimal = orjson.loads(export(batches["rate"], "label-studio-min")[0])
    assert all("annotator" in row and "lead_time" in row for row in minimal)
    # JSON-MIN writes a rating as Label Studio does: a list of the Rating's result values.
    rating = minimal[0]["helpfulness"]
    assert isinstance(rating, list) and [set(x) for x in rating] == [{"rating"}]
    assert isinstance(rating[0]["rating"], int)
    picks = orjson.loads(export(batches["compare"], "label-studio-min")[0])
    assert any(
        row.get("pick") in ([{"selected": "left"}], [{"selected": "right"}]) for row in picks
    )


def test_csv_per_task_has_a_consensus(tmp_path: Path) -> None:
    folder = batch_with_answers(tmp_path, "classify", annotators=("anna", "bram", "cees"))
    batch = Batch.open(folder)
    # cees agrees with anna on every task
    lines = [result_line(batch, i, i, "cees") for i in range(len(batch))]
    (folder / "results" / "cees.jsonl").write_bytes(
        b"".join(orjson.dumps(x) + b"\n" for x in lines)
    )
    data, summary = export(folder, "csv", per_task=True)
    rows = {r["task_id"]: r for r in csv.DictReader(io.StringIO(data.decode()))}
    assert summary.written == len(batch)
    last = rows[batch.task_id_at(len(batch) - 1)]
    by = orjson.loads(last["by_annotator"])
    assert by["anna"] == by["cees"] != by["bram"]
    assert last["consensus"] == by["anna"] and last["agreement"] == "0.667"


def test_parquet_is_read_by_pyarrow(batches: dict[str, Path], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "answers.parquet"
    assert main(["export", str(batches["spans"]), "--format", "parquet", "-o", str(out)]) == 0
    table = pq.read_table(out)
    rows = table.to_pylist()
    expected = jsonl(export(batches["spans"], "jsonl")[0])
    assert len(rows) == len(expected)
    assert [orjson.loads(r["task"]) for r in rows] == [x["task"] for x in expected]
    assert [orjson.loads(r["value"]) if r["value"] else None for r in rows] == [
        x["value"] for x in expected
    ]
    assert rows[0]["annotator"] == "anna" and rows[0]["active_ms"] == 3000


def test_span_formats_refuse_other_task_types(
    batches: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(batches["classify"]), "--format", "conll"]) == 2
    assert "carries spans" in capsys.readouterr().err


def test_a_missing_extra_says_how_to_install_it(
    batches: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError, match=r"labeldesk\[parquet\]"):
        export(batches["classify"], "parquet")
    out = tmp_path / "x.parquet"
    assert main(["export", str(batches["classify"]), "-f", "parquet", "-o", str(out)]) == 2
    assert "pip install 'labeldesk[parquet]'" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no temp file left behind


def test_output_replaces_a_file_atomically_and_never_writes_through_a_symlink(
    batches: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("keep me")
    link = tmp_path / "out.jsonl"
    link.symlink_to(target)
    assert main(["export", str(batches["classify"]), "-f", "jsonl", "-o", str(link)]) == 1
    assert "symbolic link" in capsys.readouterr().err
    assert target.read_text() == "keep me" and link.is_symlink()
    plain = tmp_path / "plain.jsonl"
    plain.write_text("old")
    assert main(["export", str(batches["classify"]), "-f", "jsonl", "-o", str(plain)]) == 0
    assert len(jsonl(plain.read_bytes())) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "plain.jsonl", "victim.txt"]
    assert os.stat(plain).st_mode & 0o777 == 0o600


def test_bad_results_lines_are_reported_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = batch_with_answers(tmp_path, "classify", annotators=("anna",))
    with (folder / "results" / "anna.jsonl").open("ab") as fh:
        fh.write(b'{"task_id": ["x"], "answer": "accept"}\nnot json\n')
        fh.write(b'{"task_id": "nope", "answer": "accept", "annotator": "anna"}\n')
    assert main(["export", str(folder), "-f", "jsonl", "-o", str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "anna.jsonl:" in err and "[task_id] expected a string" in err
    assert "not valid JSON" in err
    assert "task 'nope' is not in tasks.jsonl" in err


def test_stdout_on_a_pipe_is_the_data(batches: dict[str, Path]) -> None:
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "export", str(batches["write"]), "-f", "jsonl"],
        capture_output=True,
        env=env,
        check=True,
    )
    assert done.stdout == export(batches["write"], "jsonl")[0]
    assert b"exported" in done.stderr


def test_the_format_list_is_complete() -> None:
    assert set(FORMATS) == {
        "jsonl",
        "prodigy",
        "label-studio",
        "label-studio-min",
        "csv",
        "conll",
        "iob",
        "spacy",
        "parquet",
    }


def test_select_all_leaves_undone_lines_out_of_the_peers_formats(batches: dict[str, Path]) -> None:
    for fmt in ("prodigy", "label-studio-min"):
        data, summary = export(batches["classify"], fmt, select="all")
        assert summary.left_out == 2, fmt
        rows = jsonl(data) if fmt == "prodigy" else orjson.loads(data)
        assert all(r.get("answer") != "undone" for r in rows)
    lines = jsonl(export(batches["classify"], "jsonl", select="all")[0])
    assert sum(x["answer"] == "undone" for x in lines) == 2


def test_prodigy_timestamp_is_the_submit_time(batches: dict[str, Path]) -> None:
    first = jsonl(export(batches["classify"], "prodigy")[0])[0]
    assert first["_timestamp"] == 1795341603  # 2026-11-22T10:00:03.250Z


def test_stdout_on_a_terminal_escapes_controls(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from tui.core.export.output import TerminalSafeStdout

    class FakeTty(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", FakeTty(raw, encoding="utf-8"))
    stream = TerminalSafeStdout()
    data = '{"text": "a\u009b31m\u202eb é"}\n'.encode()
    cut = data.index("\u202e".encode()) + 1  # inside a multi-byte character
    stream.write(data[:cut])
    stream.write(data[cut:])
    stream.flush()
    shown = raw.getvalue().decode()
    assert "\u009b" not in shown and "\u202e" not in shown
    assert shown == '{"text": "a\\u009b31m\\u202eb é"}\n'


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("conll", "iob", "spacy")])
def test_a_value_that_is_not_the_types_answer_is_reported(tmp_path: Path, fmt: str) -> None:
    folder = batch_with_answers(tmp_path, "spans", annotators=("anna",))
    batch = Batch.open(folder)
    hostile = [
        {"spans": [{"label": "PER"}]},
        {"spans": "everything"},
        {"labels": 7},
    ]
    with (folder / "results" / "anna.jsonl").open("ab") as fh:
        for value in hostile:
            line = result_line(batch, 0, 0, "anna", value=value, revision=5)
            fh.write(orjson.dumps(line) + b"\n")
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    _, summary = export(folder, fmt, select="all")
    said = [str(p) for p in summary.problems]
    assert len(said) >= 3 and all("not a spans answer, not exported" in s for s in said), said
    assert any("[value.spans.0.start] required field is missing" in s for s in said)


def test_span_formats_survive_a_value_that_is_not_a_span_answer(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    folder = batch_with_answers(tmp_path, "spans", annotators=("anna",))
    batch = Batch.open(folder)
    with (folder / "results" / "anna.jsonl").open("ab") as fh:
        line = result_line(batch, 0, 0, "anna", value={"spans": [{"start": "x"}]}, revision=5)
        fh.write(orjson.dumps(line) + b"\n")
    for fmt in ("conll", "spacy"):
        _, summary = export(folder, fmt)
        assert any("not a spans answer" in str(p) for p in summary.problems)
