"""labeldesk import --format conll | iob | spacy (issue 14): a token file becomes a spans
batch whose tasks carry the text and the tokens, and the entities as pre-set spans (or gold).
Round trips export → import give the same tokens and entities, token for token, for the
English and Dutch samples and the Prodigy NER fixtures; `.spacy` keeps the text itself."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.test_export_tokens import FIXTURES, NER_FIXTURES, _answered_batch
from tui.cli import main
from tui.core.batch import Batch
from tui.core.export.formats import ExportOptions, write_export
from tui.core.export.records import open_source
from tui.core.importing.build import ImportRequest, run_import

spacy = pytest.importorskip("spacy")
REPO = Path(__file__).resolve().parent.parent
SUFFIX = {"conll": "conll", "iob": "iob", "spacy": "spacy"}


def tasks_of(folder: Path) -> list[dict[str, Any]]:
    return [orjson.loads(x) for x in (folder / "tasks.jsonl").read_bytes().splitlines()]


def _sample_items(language: str) -> list[dict[str, Any]]:
    lines = (REPO / "samples" / f"spans-{language}" / "tasks.jsonl").read_bytes().splitlines()
    return [
        {"text": t["text"], "spans": t.get("spans") or []} for t in (orjson.loads(x) for x in lines)
    ]


def _fixture_items(name: str) -> list[dict[str, Any]]:
    items = []
    for raw in (FIXTURES / name).read_bytes().splitlines():
        line = orjson.loads(raw)
        if line.get("answer") == "accept":
            items.append({"text": line["text"], "spans": line.get("spans") or []})
    return items


def _spacy_view(nlp: Any, text: str, spans: list[dict[str, Any]]) -> tuple[list[str], list[Any]]:
    """The tokens (no whitespace tokens) and entities (first token, last token, label) that
    spaCy makes of a text and its character spans, as the export aligns them."""
    doc = nlp.make_doc(text)
    ents: list[Any] = []
    for s in sorted(spans, key=lambda s: (s["start"], s["end"])):
        span = doc.char_span(s["start"], s["end"], label=s["label"])
        if span is None or any(span.start < e.end and e.start < span.end for e in ents):
            continue
        ents.append(span)
    kept = [t for t in doc if not t.is_space and t.text.strip()]
    index = {t.i: n for n, t in enumerate(kept)}
    return [t.text for t in kept], [(index[e.start], index[e.end - 1], e.label_) for e in ents]


def _imported_view(
    task: dict[str, Any], spans: list[dict[str, Any]]
) -> tuple[list[str], list[Any]]:
    tokens = task["tokens"]
    assert all(task["text"][t["start"] : t["end"]] == t["text"] for t in tokens)
    first = {t["start"]: n for n, t in enumerate(tokens)}
    last = {t["end"]: n for n, t in enumerate(tokens)}
    return [t["text"] for t in tokens], [
        (first[s["start"]], last[s["end"]], s["label"]) for s in spans
    ]


def _export(folder: Path, fmt: str, out: Path) -> Path:
    data = io.BytesIO()
    write_export(open_source(folder), ExportOptions(format=fmt), data)
    out.write_bytes(data.getvalue())
    return out


def _round_trip(
    tmp_path: Path, items: list[dict[str, Any]], language: str, fmt: str, answers: str
) -> list[dict[str, Any]]:
    folder = _answered_batch(tmp_path / "b", items, language=language)
    exported = _export(folder, fmt, tmp_path / f"export.{SUFFIX[fmt]}")
    result = run_import(
        ImportRequest(exported, fmt, "spans", tmp_path / "in", answers=answers, language=language)  # type: ignore[arg-type]
    )
    assert [p for p in result.problems if p.severity == "error"] == []
    assert result.written == len(items)
    assert Batch.open(tmp_path / "in").validate_all()[0] == []
    return tasks_of(tmp_path / "in")


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("fmt", ["conll", "iob", "spacy"])
def test_samples_round_trip_token_for_token(tmp_path: Path, fmt: str, language: str) -> None:
    items = _sample_items(language)
    nlp = spacy.blank(language)
    tasks = _round_trip(tmp_path, items, language, fmt, "pre")
    for n, (task, item) in enumerate(zip(tasks, items, strict=True)):
        expected = _spacy_view(nlp, item["text"], item["spans"])
        assert _imported_view(task, task.get("spans", [])) == expected
        if fmt == "spacy":
            assert task["text"] == item["text"]  # a DocBin keeps the spaces
            assert task["id"] == f"t{n}"  # the exported doc's task id
        else:
            # CoNLL/IOB keep no spaces: the tokens joined by one space, as spaCy reads them.
            assert task["text"] == " ".join(expected[0])
    assert any(t.get("spans") for t in tasks)


@pytest.mark.parametrize("name", NER_FIXTURES)
@pytest.mark.parametrize("fmt", ["conll", "spacy"])
def test_prodigy_ner_fixtures_round_trip_as_gold(tmp_path: Path, fmt: str, name: str) -> None:
    items = _fixture_items(name)
    nlp = spacy.blank("en")
    tasks = _round_trip(tmp_path, items, "en", fmt, "gold")
    for task, item in zip(tasks, items, strict=True):
        assert "spans" not in task
        gold = task["gold"]["spans"]
        assert _imported_view(task, gold) == _spacy_view(nlp, item["text"], item["spans"])
        # The gold spans count the task's own tokens (what the annotator moves over).
        first = {t["start"]: n for n, t in enumerate(task["tokens"])}
        assert all(s["token_start"] == first[s["start"]] for s in gold)


def test_export_import_export_gives_the_same_conll(tmp_path: Path) -> None:
    """The imported tasks' own tokens are what a second export writes: byte for byte."""
    items = _sample_items("nl")
    tasks = _round_trip(tmp_path, items, "nl", "conll", "gold")
    first = (tmp_path / "export.conll").read_bytes()
    folder = tmp_path / "in"
    lines = [
        {
            "task_id": t["id"],
            "batch_id": Batch.open(folder).id,
            "annotator": "anna",
            "task_type": "spans",
            "answer": "accept",
            "value": t["gold"],
            "active_ms": 1000,
            "revision": 1,
        }
        for t in tasks
    ]
    (folder / "results").mkdir()
    (folder / "results" / "anna.jsonl").write_bytes(
        b"".join(orjson.dumps(x) + b"\n" for x in lines)
    )
    again = _export(folder, "conll", tmp_path / "again.conll").read_bytes()
    assert again == first


def test_tags_iob1_bilou_and_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "mixed.iob"
    source.write_text(
        "Anna\tI-PER\nwoont\tO\nin\tO\nDen\tB-LOC\nHaag\tI-LOC\n.\tO\n\n"
        "Bram\tU-PER\nen\tO\nCees\tB-PER\nde\tI-PER\nVries\tL-PER\n\n"
        "Dirk\tX-PER\n\n"
        "Eva\n\n"
        "Fien\tB-\n",
        encoding="utf-8",
    )
    result = run_import(ImportRequest(source, "iob", "spans", tmp_path / "b"))
    said = "\n".join(str(p) for p in result.problems)
    assert "line 14: not imported: line 14: tag 'X-PER' is not O or B-, I-, E-, L-, S-, U-" in said
    assert "line 16: not imported: line 16: expected a token and a tag, got only 'Eva'" in said
    assert "line 18: not imported: line 18: tag 'B-'" in said
    tasks = tasks_of(tmp_path / "b")
    assert [t["id"] for t in tasks] == ["line-1", "line-8"]
    assert tasks[0]["text"] == "Anna woont in Den Haag ."
    assert tasks[0]["spans"] == [
        {"start": 0, "end": 4, "label": "PER"},
        {"start": 14, "end": 22, "label": "LOC"},
    ]
    assert tasks[1]["spans"] == [
        {"start": 0, "end": 4, "label": "PER"},
        {"start": 8, "end": 21, "label": "PER"},
    ]
    assert Batch.open(tmp_path / "b").config.task["labels"] == ["PER", "LOC"]


def test_cli_conll_import_and_its_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "train.conll"
    source.write_text(
        "-DOCSTART- -X- O O\n\nSatya NNP B-NP B-PER\nNadella NNP I-NP I-PER\nspoke VBD B-VP O\n\n",
        encoding="utf-8",
    )
    out = tmp_path / "ner"
    code = main(
        ["import", str(source), "-f", "conll", "-t", "spans", "--answers", "gold", "-o", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "imported 1 task(s)" in err and "1 with an answer as gold" in err
    [task] = tasks_of(out)
    assert task["text"] == "Satya Nadella spoke"
    assert [t["text"] for t in task["tokens"]] == ["Satya", "Nadella", "spoke"]
    assert task["gold"]["spans"] == [
        {"start": 0, "end": 13, "label": "PER", "token_start": 0, "token_end": 1}
    ]
    # Not a spans task type: refused before anything is made.
    code = main(["import", str(source), "-f", "conll", "-t", "classify", "-o", str(tmp_path / "c")])
    assert code == 2
    assert "the conll format carries entities in a text: import it with --task-type spans" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "c").exists()
    # spaCy missing: the extra to install, and no folder left behind.
    binary = tmp_path / "x.spacy"
    binary.write_bytes(b"")
    monkeypatch.setitem(sys.modules, "spacy", None)
    code = main(["import", str(binary), "-f", "spacy", "-t", "spans", "-o", str(tmp_path / "s")])
    assert code == 2
    assert "pip install 'labeldesk[spacy]'" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_a_broken_docbin_is_one_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "broken.spacy"
    source.write_bytes(b"\x00not a docbin")
    code = main(["import", str(source), "-f", "spacy", "-t", "spans", "-o", str(tmp_path / "b")])
    err = capsys.readouterr().err
    assert code == 1
    assert "not a readable spaCy DocBin (.spacy)" in err and "Traceback" not in err
    assert not (tmp_path / "b").exists()


def test_an_empty_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "empty.iob"
    source.write_text("\n\n", encoding="utf-8")
    code = main(["import", str(source), "-f", "iob", "-t", "spans", "-o", str(tmp_path / "b")])
    assert code == 1
    assert "nothing to import: the file holds no rows (it is empty)" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_a_second_export_writes_the_imported_tokens_not_spacys(tmp_path: Path) -> None:
    """An English batch from a file whose token is "Rutte's" (spaCy's Dutch tokens): the
    English tokenizer would split it ("Rutte", "'s"); the task's own tokens are kept."""
    source = tmp_path / "nl.iob"
    source.write_text("Rutte's\tB-PER\nwoordvoerder\tO\n", encoding="utf-8")
    folder = tmp_path / "b"
    result = run_import(ImportRequest(source, "iob", "spans", folder, "gold", language="en"))
    assert result.written == 1
    [task] = tasks_of(folder)
    line = {
        "task_id": task["id"],
        "batch_id": "b",
        "annotator": "anna",
        "task_type": "spans",
        "answer": "accept",
        "value": task["gold"],
        "active_ms": 1000,
        "revision": 1,
    }
    (folder / "results").mkdir()
    (folder / "results" / "anna.jsonl").write_bytes(orjson.dumps(line) + b"\n")
    again = _export(folder, "iob", tmp_path / "again.iob").read_text(encoding="utf-8")
    assert again == "Rutte's\tB-PER\nwoordvoerder\tO\n\n"
    assert [t.text for t in spacy.blank("en").make_doc(task["text"])][:2] == ["Rutte", "'s"]
