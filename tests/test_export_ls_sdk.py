"""Label Studio's own converter (label_studio_sdk.converter, from PyPI) reads our Label
Studio export and its labeling config (issue 14): spans become CoNLL 2003 with the same
entities, token for token; a classification becomes LS's JSON-MIN with the same choices;
and for every task type our label-studio-min export is LS's JSON-MIN, row for row."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.export_factory import TASK_TYPES, batch_with_answers, result_line
from tests.test_audit_support import result, write_results
from tui.cli import main
from tui.core.batch import Batch
from tui.core.export.formats import ExportOptions, write_export
from tui.core.export.records import open_source

REPO = Path(__file__).resolve().parent.parent


def _export(folder: Path, out: Path) -> tuple[Path, str]:
    export, config = out / "export.json", out / "config.xml"
    code = main(
        [
            "export",
            str(folder),
            "--format",
            "label-studio",
            "-o",
            str(export),
            "--config-out",
            str(config),
        ]
    )
    assert code == 0
    return export, config.read_text(encoding="utf-8")


def _batch_id(folder: Path) -> str:
    import tomllib

    return str(tomllib.loads((folder / "batch.toml").read_text(encoding="utf-8"))["id"])


def _sample(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(
        REPO / "samples" / name, folder, ignore=shutil.ignore_patterns("results", "audits")
    )
    return folder


def test_label_studio_reads_our_span_export_as_conll(tmp_path: Path) -> None:
    from label_studio_sdk.converter import Converter

    folder = _sample(tmp_path, "spans-en")
    spans = [
        {"start": 0, "end": 13, "label": "PER", "token_start": 0, "token_end": 1},
        {"start": 32, "end": 39, "label": "LOC", "token_start": 5, "token_end": 5},
        {"start": 45, "end": 54, "label": "ORG", "token_start": 7, "token_end": 7},
    ]
    record = result("anna", "ner-en-0001", {"spans": spans}, task_type="spans")
    write_results(folder, [record.model_copy(update={"batch_id": _batch_id(folder)})])
    export, config = _export(folder, tmp_path)
    converter = Converter(config=config, project_dir=str(tmp_path), download_resources=False)
    converter.convert_to_conll2003(str(export), str(tmp_path / "conll"), is_dir=False)
    lines = (tmp_path / "conll" / "result.conll").read_text(encoding="utf-8").splitlines()
    tagged = [(line.split()[0], line.split()[-1]) for line in lines[1:] if line.strip()]
    entities = [(token, tag) for token, tag in tagged if tag != "O"]
    assert entities == [
        ("Satya", "B-PER"),
        ("Nadella", "I-PER"),
        ("Seattle", "B-LOC"),
        ("Microsoft", "B-ORG"),
    ]


def test_label_studio_reads_our_classification_export_as_json_min(tmp_path: Path) -> None:
    from label_studio_sdk.converter import Converter

    folder = _sample(tmp_path, "classify-en")
    batch_id = _batch_id(folder)
    first = json.loads((folder / "tasks.jsonl").read_text().splitlines()[0])["id"]
    record = result("anna", first, {"labels": ["coding", "math"]})
    write_results(folder, [record.model_copy(update={"batch_id": batch_id})])
    export, config = _export(folder, tmp_path)
    converter = Converter(config=config, project_dir=str(tmp_path), download_resources=False)
    converter.convert_to_json_min(str(export), str(tmp_path / "min"), is_dir=False)
    [row] = json.loads((tmp_path / "min" / "result.json").read_text(encoding="utf-8"))
    chosen = [v for k, v in row.items() if isinstance(v, dict) and "choices" in v]
    assert chosen and sorted(chosen[0]["choices"]) == ["coding", "math"]


# What labeldesk's JSON-MIN adds to Label Studio's: the converter cannot know them, as it reads
# neither a task's `meta` (labeldesk's task id) nor an annotation's `labeldesk` object (the
# answer and its flag).
OWN_FIELDS = ("task_id", "answer", "flag")


def _converter_json_min(folder: Path, out: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    """Label Studio's converter's JSON-MIN of our full export, and that full export."""
    from label_studio_sdk.converter import Converter

    out.mkdir()
    export, config = _export(folder, out)
    converter = Converter(config=config, project_dir=str(out), download_resources=False)
    converter.convert_to_json_min(str(export), str(out / "min"), is_dir=False)
    rows = json.loads((out / "min" / "result.json").read_text(encoding="utf-8"))
    return rows, json.loads(export.read_text(encoding="utf-8"))


def _our_json_min(folder: Path) -> list[dict[str, Any]]:
    out = io.BytesIO()
    write_export(open_source(folder), ExportOptions(format="label-studio-min"), out)
    rows: list[dict[str, Any]] = orjson.loads(out.getvalue())
    return rows


@pytest.mark.parametrize("kind", TASK_TYPES)
def test_our_json_min_is_label_studios_row_for_row(tmp_path: Path, kind: str) -> None:
    """`export --format label-studio-min` writes, for each annotation, the row Label Studio's
    converter writes from our full export of the same answers: the same keys in the same order
    with the same values (a rating `[{"rating": 4}]`, a pairwise pick
    `[{"selected": "left"}]`, a ranking `[{"ranker": ...}]`, a choice as a string, a region
    list, ...), the same task `id` and `annotation_id`; then labeldesk's OWN_FIELDS. A
    cancelled answer (skip, bare flag) is a row of ours only: Label Studio's converter leaves
    cancelled annotations out, labeldesk keeps them, marked by `answer`."""
    folder = batch_with_answers(tmp_path, kind)
    if kind == "classify":
        # A several-label answer: Label Studio writes {"choices": [...]}, not a string.
        batch = Batch.open(folder)
        labels = [str(x) for x in batch.config.task["labels"]][:2]
        line = result_line(batch, 0, 0, "cees", value={"labels": labels})
        (folder / "results" / "cees.jsonl").write_bytes(orjson.dumps(line) + b"\n")
    theirs, full = _converter_json_min(folder, tmp_path / "ls")
    by_id = {row["annotation_id"]: row for row in theirs}
    assert len(by_id) == len(theirs)
    base = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"}
    data_keys = {task["id"]: set(task["data"]) for task in full}
    compared = with_results = cancelled = 0
    for row in _our_json_min(folder):
        other = by_id.pop(row["annotation_id"], None)
        if row["answer"] in ("skip", "flag"):
            assert other is None, row
            cancelled += 1
            continue
        assert other is not None, row
        assert [(k, v) for k, v in row.items() if k not in OWN_FIELDS] == list(other.items())
        own = [k for k in OWN_FIELDS if k in row]
        assert list(row)[-len(own) :] == own  # after everything Label Studio writes
        compared += 1
        with_results += bool(set(other) - base - data_keys[other["id"]])
    assert by_id == {}  # every row Label Studio wrote is one of ours
    assert compared and with_results and cancelled  # (a spans answer may have no span)
