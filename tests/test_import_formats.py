"""labeldesk import (issue 14): the real Label Studio and Prodigy files, CSV and Hugging Face
columns, media copied, and every row that cannot be converted reported with its position."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

from tui.cli import main
from tui.core.batch import Batch
from tui.core.export.formats import ExportOptions, write_export
from tui.core.export.records import open_source
from tui.core.importing.build import ImportRequest, run_import

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LS_EXPORT = FIXTURES / "label-studio" / "export-with-reviews.json"
PRODIGY = FIXTURES / "prodigy"
PRODIGY_TYPES = {
    "news_headlines.jsonl": "classify",
    "bio_events.jsonl": "spans",
    "annotated_github-issues-DOCUMENTATION-textcat.jsonl": "binary",
    "annotated_reddit-INSULT-textcat.jsonl": "binary",
    "annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl": "spans",
    "annotated_reddit-PRODUCT-ner.jsonl": "spans",
}


def tasks_of(folder: Path) -> list[dict[str, Any]]:
    return [orjson.loads(x) for x in (folder / "tasks.jsonl").read_bytes().splitlines()]


def test_label_studio_export_with_reviews(tmp_path: Path) -> None:
    result = run_import(
        ImportRequest(LS_EXPORT, "label-studio", "classify", tmp_path / "ls", answers="pre")
    )
    said = [str(p) for p in result.problems]
    # Both annotations were rejected by a reviewer: not used; the predictions are.
    assert any("task 1: annotation 7 was rejected in review: not used" in s for s in said)
    assert any("task 2: annotation 8 was rejected in review: not used" in s for s in said)
    assert sum("comes from a prediction" in s for s in said) == 2
    assert any("rectanglelabels regions have no labeldesk equivalent" in s for s in said)
    tasks = tasks_of(tmp_path / "ls")
    assert [t["id"] for t in tasks] == ["1", "2"]
    assert [t["label"] for t in tasks] == ["Car", "Car"]
    assert tasks[1]["text"].startswith("The Supreme Court won’t hear")
    assert Batch.open(tmp_path / "ls").validate_all()[0] == []


def test_label_studio_cancelled_annotations_are_not_used(tmp_path: Path) -> None:
    data = orjson.loads(LS_EXPORT.read_bytes())
    data[0]["annotations"][0]["was_cancelled"] = True
    data[0]["annotations"][0]["reviews"] = []
    data[0]["annotations"][0]["last_action"] = None
    data[1]["annotations"][0]["reviews"][0]["accepted"] = True
    data[1]["annotations"][0]["last_action"] = "accepted"
    data[1]["annotations"][0]["result"][0]["value"]["rectanglelabels"] = ["Truck"]
    source = tmp_path / "ls.json"
    source.write_bytes(orjson.dumps(data))
    result = run_import(
        ImportRequest(source, "label-studio", "classify", tmp_path / "b", answers="gold")
    )
    said = [str(p) for p in result.problems]
    assert any("task 1: annotation 7 was cancelled (skipped): not used" in s for s in said)
    tasks = tasks_of(tmp_path / "b")
    assert tasks[0]["gold"] == {"labels": ["Car"]}  # from the prediction
    assert tasks[1]["gold"] == {"labels": ["Truck", "Car"]}  # the accepted annotation's


def test_label_studio_media_urls_are_reported_per_task(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "import",
            str(LS_EXPORT),
            "-f",
            "label-studio",
            "-t",
            "image",
            "-o",
            str(tmp_path / "img"),
            "--labels",
            "Car",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "task 1: not imported: media 'https://data.heartex.net/open-images" in err
    assert "task 2: not imported: media" in err and "is a URL" in err
    assert not (tmp_path / "img").exists()  # nothing imported: no half-made batch


@pytest.mark.parametrize("name", sorted(PRODIGY_TYPES))
def test_every_prodigy_fixture_round_trips(tmp_path: Path, name: str) -> None:
    """Prodigy file -> batch (answers as gold) -> an annotator gives the gold answers ->
    Prodigy export: the same texts, hashes, labels, answers and spans as the file."""
    kind = PRODIGY_TYPES[name]
    labels = ["a", "b"] if name == "news_headlines.jsonl" else []
    folder = tmp_path / "batch"
    result = run_import(
        ImportRequest(PRODIGY / name, "prodigy", kind, folder, answers="gold", labels=labels)
    )
    original = [orjson.loads(x) for x in (PRODIGY / name).read_bytes().splitlines() if x.strip()]
    errors = [p for p in result.problems if p.severity == "error"]
    # The only rows refused repeat a task id (Prodigy answer files repeat tasks).
    assert all("again (first at line" in p.message for p in errors), errors
    tasks = tasks_of(folder)
    assert len(tasks) == len(original) - len(errors)
    batch = Batch.open(folder)
    by_id: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(original, start=1):
        from tui.core.batch import task_id_of

        by_id.setdefault(task_id_of(line, n), line)
    lines = []
    for task in tasks:
        source = by_id[task["id"]]
        assert task["text"] == source["text"] and task.get("meta") == source.get("meta")
        gold = task.get("gold")
        if gold is None:
            continue
        answer = "accept" if gold.get("accept", True) else "reject"
        lines.append(
            {
                "task_id": task["id"],
                "batch_id": batch.id,
                "annotator": "anna",
                "task_type": kind,
                "answer": answer,
                "value": gold,
                "active_ms": 10,
                "revision": 1,
            }
        )
    (folder / "results").mkdir()
    (folder / "results" / "anna.jsonl").write_bytes(
        b"".join(orjson.dumps(x) + b"\n" for x in lines)
    )
    out = io.BytesIO()
    write_export(open_source(folder), ExportOptions(format="prodigy"), out)
    exported = [orjson.loads(x) for x in out.getvalue().splitlines()]
    assert len(exported) == len(lines)
    if name in ("news_headlines.jsonl", "bio_events.jsonl"):
        assert exported == []  # raw tasks: nothing answered
        assert all(t.get("spans", []) == by_id[t["id"]].get("spans", []) for t in tasks)
        return
    for line in exported:
        source = by_id[line["id"]]
        for key in ("text", "meta", "_input_hash", "_task_hash", "answer"):
            assert line.get(key) == source.get(key), (key, line["id"])
        if kind == "binary":
            assert line["label"] == source["label"]
        else:
            assert [(s["start"], s["end"], s["label"]) for s in line["spans"]] == [
                (s["start"], s["end"], s["label"]) for s in source["spans"]
            ]
            if "tokens" in source:  # the file's own tokens are the ones written back
                assert [(t["start"], t["end"]) for t in line["tokens"]] == [
                    (t["start"], t["end"]) for t in source["tokens"]
                ]


def test_csv_with_chosen_columns_and_every_bad_row_reported(tmp_path: Path) -> None:
    source = tmp_path / "reviews.csv"
    source.write_text(
        "nr,tekst,oordeel,bron\n"
        "1,Heel goed product,positief,web\n"
        "2,,negatief,web\n"  # no text: refused by the type
        "3,Werkt niet,negatief,app\n"
        "1,Dubbel,positief,web\n"  # id again
        '4,"Prima, snel geleverd",,app\n',  # no label: a task without an answer
        encoding="utf-8",
    )
    result = run_import(
        ImportRequest(
            source,
            "csv",
            "classify",
            tmp_path / "b",
            answers="pre",
            text_field="tekst",
            id_field="nr",
            label_field="oordeel",
        )
    )
    said = {str(p.file).rsplit(": ", 1)[-1]: p.message for p in result.problems}
    assert set(said) == {"line 3", "line 5"}, said
    assert "text" in said["line 3"] or "empty" in said["line 3"]
    assert "task id '1' again (first at line 2)" in said["line 5"]
    tasks = tasks_of(tmp_path / "b")
    assert [(t["id"], t["text"], t.get("label"), t["bron"]) for t in tasks] == [
        ("1", "Heel goed product", "positief", "web"),
        ("3", "Werkt niet", "negatief", "app"),
        ("4", "Prima, snel geleverd", None, "app"),
    ]
    assert Batch.open(tmp_path / "b").config.task["labels"] == ["positief", "negatief"]


def test_a_missing_column_is_said_per_row_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "x.csv"
    source.write_text("id,text\n1,hallo\n", encoding="utf-8")
    code = main(
        [
            "import",
            str(source),
            "-f",
            "csv",
            "-t",
            "classify",
            "--labels",
            "a",
            "--label-column",
            "label",
            "-o",
            str(tmp_path / "b"),
        ]
    )
    assert code == 1
    assert "line 2: not imported: no column 'label'" in capsys.readouterr().err


def test_hugging_face_jsonl_and_parquet(tmp_path: Path) -> None:
    rows = [
        {"sentence": "Goed zo", "label": 1, "idx": 0},
        {"sentence": "Slecht", "label": 0, "idx": 1},
    ]
    jsonl = tmp_path / "train.jsonl"
    jsonl.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows) + b"[1, 2]\n{bad\n")
    result = run_import(
        ImportRequest(
            jsonl,
            "jsonl",
            "classify",
            tmp_path / "j",
            answers="gold",
            text_field="sentence",
            id_field="idx",
            label_field="label",
        )
    )
    messages = sorted((p.line, p.message.split(":")[0]) for p in result.problems)
    assert messages == [(3, "expected a JSON object, got list"), (4, "not valid JSON")]
    assert [(t["id"], t["text"], t["gold"]) for t in tasks_of(tmp_path / "j")] == [
        ("0", "Goed zo", {"labels": ["1"]}),
        ("1", "Slecht", {"labels": ["0"]}),
    ]
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "train.parquet")
    run_import(
        ImportRequest(
            tmp_path / "train.parquet",
            "parquet",
            "classify",
            tmp_path / "p",
            answers="gold",
            text_field="sentence",
            id_field="idx",
            label_field="label",
        )
    )
    assert tasks_of(tmp_path / "p") == tasks_of(tmp_path / "j")


def test_media_are_copied_into_the_new_batch(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    (tmp_path / "pics").mkdir()
    shutil.copy(
        repo / "samples" / "image-en" / "media" / "testbeeld.png", tmp_path / "pics" / "a.png"
    )
    source = tmp_path / "tasks.csv"
    source.write_text(
        "id,image\n1,pics/a.png\n2,pics/a.png\n3,pics/missing.png\n", encoding="utf-8"
    )
    result = run_import(ImportRequest(source, "csv", "image", tmp_path / "b", labels=["x"]))
    assert [str(p.file).rsplit(": ", 1)[-1] for p in result.problems] == ["line 4"]
    assert "media file 'pics/missing.png': not found" in result.problems[0].message
    assert result.media_copied == 1
    assert [t["image"] for t in tasks_of(tmp_path / "b")] == ["media/a.png", "media/a.png"]
    assert (tmp_path / "b" / "media" / "a.png").read_bytes() == (
        tmp_path / "pics" / "a.png"
    ).read_bytes()
    assert Batch.open(tmp_path / "b").validate_all()[0] == []


def test_the_output_must_be_a_new_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "keep.txt").write_text("mine")
    code = main(
        [
            "import",
            str(LS_EXPORT),
            "-f",
            "label-studio",
            "-t",
            "classify",
            "-o",
            str(tmp_path / "b"),
        ]
    )
    assert code == 2 and "not an empty folder" in capsys.readouterr().err
    assert (tmp_path / "b" / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe not utf8",
        b'[{"data": 5}]',
        b'[{"data": {"text": "x"}, "annotations": [{"result": [{"type": "labels", "value": {"start": "a", "end": 2, "labels": ["A"]}}]}]}]',
        b'{"data": {"text": "x"}, "predictions": [{"result": 3}]}',
    ],
)
def test_hostile_label_studio_files_never_give_a_traceback(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "x.json"
    source.write_bytes(content)
    code = main(
        [
            "import",
            str(source),
            "-f",
            "label-studio",
            "-t",
            "spans",
            "--labels",
            "A",
            "-o",
            str(tmp_path / "b"),
        ]
    )
    err = capsys.readouterr().err
    # Said in words, naming the file (an exception would have failed this test).
    assert code == 1 and f"error: {source}" in err, err


def test_hugging_face_class_labels_are_imported_by_name(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    # What `datasets` writes for a ClassLabel column: ints, names in the schema metadata.
    features = {
        "text": {"dtype": "string", "_type": "Value"},
        "label": {"names": ["neg", "pos"], "_type": "ClassLabel"},
    }
    table = pa.Table.from_pylist([{"text": "Mooi", "label": 1}, {"text": "Lelijk", "label": 0}])
    table = table.replace_schema_metadata(
        {b"huggingface": orjson.dumps({"info": {"features": features}})}
    )
    pq.write_table(table, tmp_path / "train.parquet")
    result = run_import(
        ImportRequest(
            tmp_path / "train.parquet",
            "parquet",
            "classify",
            tmp_path / "b",
            label_field="label",
        )
    )
    assert result.problems == []
    assert [(t["id"], t["text"], t["label"]) for t in tasks_of(tmp_path / "b")] == [
        ("row-1", "Mooi", "pos"),
        ("row-2", "Lelijk", "neg"),
    ]
    assert Batch.open(tmp_path / "b").config.task["labels"] == ["pos", "neg"]
