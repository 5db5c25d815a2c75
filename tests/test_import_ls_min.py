"""labeldesk import --format label-studio-min (issue 14): Label Studio's JSON-MIN, as Label
Studio's own converter writes it and as labeldesk exports it, becomes a batch with the same
pre-annotations the full Label Studio import makes; every row that cannot be converted is
reported with its position and why."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.export_factory import batch_with_answers
from tui.cli import main
from tui.core.batch import Batch
from tui.core.export.formats import ExportOptions, write_export
from tui.core.export.records import iter_records, open_source
from tui.core.importing.build import ImportRequest, run_import


def tasks_of(folder: Path) -> list[dict[str, Any]]:
    return [orjson.loads(x) for x in (folder / "tasks.jsonl").read_bytes().splitlines()]


def _min_export(folder: Path, out: Path) -> Path:
    data = io.BytesIO()
    write_export(open_source(folder), ExportOptions(format="label-studio-min"), data)
    out.write_bytes(data.getvalue())
    return out


def _first_values(folder: Path) -> dict[str, Any]:
    first: dict[str, Any] = {}
    for record in iter_records(open_source(folder)):
        decided = record.answer in ("accept", "reject")
        first.setdefault(record.task_id, record.value if decided else None)
    return first


def test_spans_become_pre_set_spans_and_a_choice_a_proposed_label(tmp_path: Path) -> None:
    spans = batch_with_answers(tmp_path, "spans")
    result = run_import(
        ImportRequest(
            _min_export(spans, tmp_path / "spans.json"),
            "label-studio-min",
            "spans",
            tmp_path / "spans-in",
        )
    )
    first = _first_values(spans)
    for task in tasks_of(tmp_path / "spans-in"):
        value = first[task["id"]]
        if value is None:  # a skipped first answer: nothing proposed
            continue
        assert task["spans"] == [
            {"start": s["start"], "end": s["end"], "label": s["label"]} for s in value["spans"]
        ]
        assert "gold" not in task
    assert result.written and result.with_answer
    classify = batch_with_answers(tmp_path, "classify")
    run_import(
        ImportRequest(
            _min_export(classify, tmp_path / "classify.json"),
            "label-studio-min",
            "classify",
            tmp_path / "classify-in",
        )
    )
    first = _first_values(classify)
    proposed = {t["id"]: t.get("label") for t in tasks_of(tmp_path / "classify-in")}
    assert proposed == {k: (v["labels"][0] if v else None) for k, v in first.items()}
    assert Batch.open(tmp_path / "classify-in").validate_all()[0] == []


def test_label_studio_converters_own_json_min_is_read(tmp_path: Path) -> None:
    """Label Studio's full export (labeldesk's) → Label Studio's converter writes JSON-MIN →
    labeldesk imports it: the same entities for the annotation Label Studio puts first."""
    converter_module = pytest.importorskip("label_studio_sdk.converter")
    folder = batch_with_answers(tmp_path, "spans")
    export, config = tmp_path / "ls.json", tmp_path / "ls.xml"
    code = main(
        [
            "export",
            str(folder),
            "-f",
            "label-studio",
            "-o",
            str(export),
            "--config-out",
            str(config),
        ]
    )
    assert code == 0
    converter = converter_module.Converter(
        config=config.read_text(encoding="utf-8"),
        project_dir=str(tmp_path),
        download_resources=False,
    )
    converter.convert_to_json_min(str(export), str(tmp_path / "min"), is_dir=False)
    source = tmp_path / "min" / "result.json"
    rows = json.loads(source.read_text(encoding="utf-8"))
    assert all(isinstance(r.get("label", []), list) for r in rows)  # Labels: a region list
    result = run_import(
        ImportRequest(source, "label-studio-min", "spans", tmp_path / "back", answers="gold")
    )
    errors = [p for p in result.problems if p.severity == "error"]
    assert all("another answer to a task already imported" in p.message for p in errors)
    # Label Studio's ids are its own task numbers: match the tasks by their text.
    by_text = {t["text"]: t for t in tasks_of(tmp_path / "back")}
    seen: set[str] = set()
    for row in rows:
        if row["text"] in seen:
            continue
        seen.add(row["text"])
        expected = sorted((s["start"], s["end"], s["labels"][0]) for s in row.get("label", []))
        gold = by_text[row["text"]]["gold"]
        assert sorted((s["start"], s["end"], s["label"]) for s in gold["spans"]) == expected
    assert len(seen) == result.written
    assert Batch.open(tmp_path / "back").validate_all()[0] == []


def test_every_row_that_cannot_be_converted_is_reported_where_and_why(tmp_path: Path) -> None:
    rows: list[Any] = [
        {
            "id": 1,
            "text": "Anna woont in Utrecht.",
            "label": [{"start": 14, "end": 21, "labels": ["LOC"]}],
        },
        "not a row",
        {"id": 3, "text": "Bram", "label": [7]},
        {"id": 4, "label": [{"start": 0, "end": 4, "labels": ["PER"]}]},
        {"id": 5, "text": "Cees", "label": [{"start": 0, "end": 9, "labels": ["PER"]}]},
        {
            "id": 6,
            "text": "Dirk",
            "label": [{"start": 0, "end": 4, "labels": ["PER"]}],
            "answer": "skip",
        },
    ]
    source = tmp_path / "min.json"
    source.write_bytes(orjson.dumps(rows))
    result = run_import(ImportRequest(source, "label-studio-min", "spans", tmp_path / "b"))
    said = "\n".join(f"{p.severity}: {p}" for p in result.problems)
    assert f"{source}: row 2: expected an object, got str" in said
    assert "row 3: not imported: control 'label': a list item is int, not a result" in said
    assert "row 4: [text] not imported: required field is missing" in said
    assert "row 5: not imported: span 0-9 lies outside the text (0-4)" in said
    assert "row 6: annotation ? was cancelled (skipped): not used" in said
    tasks = tasks_of(tmp_path / "b")
    assert [t["id"] for t in tasks] == ["1", "6"]
    assert tasks[0]["spans"] == [{"start": 14, "end": 21, "label": "LOC"}]
    assert "spans" not in tasks[1]


def test_cli_imports_json_min_with_named_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Label Studio project's own control names (`sentiment`, a free-text `comment`):
    --controls says which keys are results, the rest is the task."""
    rows = [
        {"id": 1, "text": "Prima service!", "sentiment": "positief", "annotator": "a@x.nl"},
        {"id": 2, "text": "Te laat geleverd.", "sentiment": "negatief", "annotator": "a@x.nl"},
        {"id": 3, "text": "Gaat wel.", "annotator": "a@x.nl"},
    ]
    source = tmp_path / "project.json"
    source.write_bytes(orjson.dumps(rows))
    out = tmp_path / "reviews"
    code = main(
        [
            "import",
            str(source),
            "--format",
            "label-studio-min",
            "--task-type",
            "classify",
            "--controls",
            "sentiment",
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "imported 3 task(s)" in err and "2 with an answer as pre" in err
    tasks = tasks_of(out)
    assert [(t["id"], t["text"], t.get("label")) for t in tasks] == [
        ("1", "Prima service!", "positief"),
        ("2", "Te laat geleverd.", "negatief"),
        ("3", "Gaat wel.", None),
    ]
    assert all("sentiment" not in t and "annotator" not in t for t in tasks)
    assert Batch.open(out).config.task["labels"] == ["positief", "negatief"]


def test_rows_without_a_known_control_say_how_to_name_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "project.json"
    source.write_bytes(orjson.dumps([{"id": 1, "text": "Prima!", "sentiment": "positief"}]))
    code = main(
        [
            "import",
            str(source),
            "-f",
            "label-studio-min",
            "-t",
            "classify",
            "--labels",
            "positief,negatief",
            "-o",
            str(tmp_path / "b"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "no row held a control's result" in err and "--controls A,B" in err
    assert tasks_of(tmp_path / "b")[0]["sentiment"] == "positief"  # kept as data


@pytest.mark.parametrize("kind", ["rate", "compare"])
def test_older_exports_bare_rating_and_pick_object_read_as_the_lists(
    tmp_path: Path, kind: str
) -> None:
    """labeldesk's JSON-MIN used to write a rating as a bare number and a pairwise pick or a
    ranking as an object; it now writes Label Studio's lists. Both import the same."""
    folder = batch_with_answers(tmp_path, kind)
    rows = orjson.loads(_min_export(folder, tmp_path / "min.json").read_bytes())

    def older(value: Any) -> Any:
        one = value[0] if isinstance(value, list) and len(value) == 1 else None
        if isinstance(one, dict) and set(one) in ({"rating"}, {"selected"}, {"ranker"}):
            return one.get("rating", one)
        return value

    old = [{k: older(v) for k, v in row.items()} for row in rows]
    assert old != rows
    (tmp_path / "old.json").write_bytes(orjson.dumps(old))
    gold = {}
    for name in ("min", "old"):
        run_import(
            ImportRequest(
                tmp_path / f"{name}.json", "label-studio-min", kind, tmp_path / name, answers="gold"
            )
        )
        gold[name] = [t.get("gold") for t in tasks_of(tmp_path / name)]
    assert gold["old"] == gold["min"] and any(gold["min"])
