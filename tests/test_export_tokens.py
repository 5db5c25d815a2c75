"""CoNLL / IOB and `.spacy` exports of span answers: spaCy's own tokens (blank nl/en), the same
entities token for token as spaCy computes from the character offsets, misaligned spans
reported and never moved (issue 14)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.batch_factory import make_batch
from tui.core.export.formats import ExportOptions, write_export
from tui.core.export.records import open_source

spacy = pytest.importorskip("spacy")
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "prodigy"
NER_FIXTURES = (
    "annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl",
    "annotated_reddit-PRODUCT-ner.jsonl",
)


def _answered_batch(folder: Path, items: list[dict[str, Any]], language: str = "en") -> Path:
    """A spans batch whose tasks are `items` (text, spans) and one annotator's answers are
    the items' spans (as labeldesk would have recorded them)."""
    labels = sorted({s["label"] for item in items for s in item["spans"]}) or ["X"]
    tasks = [{"id": f"t{n}", "text": item["text"]} for n, item in enumerate(items)]
    make_batch(folder, tasks, task_type="spans", task={"labels": labels}, language=language)
    (folder / "results").mkdir()
    lines = []
    for n, item in enumerate(items):
        spans = [
            {
                "start": s["start"],
                "end": s["end"],
                "label": s["label"],
                "token_start": 0,
                "token_end": 0,
            }
            for s in item["spans"]
        ]
        lines.append(
            {
                "task_id": f"t{n}",
                "batch_id": folder.name,
                "annotator": "anna",
                "task_type": "spans",
                "answer": "accept",
                "value": {"spans": spans},
                "active_ms": 1000,
                "revision": 1,
            }
        )
    (folder / "results" / "anna.jsonl").write_bytes(
        b"".join(orjson.dumps(x) + b"\n" for x in lines)
    )
    return folder


def _export(folder: Path, fmt: str, language: str | None = None) -> tuple[bytes, Any]:
    out = io.BytesIO()
    summary = write_export(open_source(folder), ExportOptions(format=fmt, language=language), out)
    return out.getvalue(), summary


def _conll_docs(data: bytes) -> list[list[tuple[str, str]]]:
    docs: list[list[tuple[str, str]]] = []
    for block in data.decode().split("-DOCSTART- -X- O O\n")[1:]:
        rows = [line.split(" ") for line in block.strip("\n").split("\n") if line]
        docs.append([(r[0], r[-1]) for r in rows])
    return docs


def _expected(
    nlp: Any, text: str, spans: list[dict[str, Any]]
) -> tuple[list[tuple[str, str]], int]:
    """spaCy's own reading of the character offsets: tokens and IOB tags, and how many spans
    did not align (char_span gave None, or they overlap an earlier one)."""
    doc = nlp.make_doc(text)
    ents, dropped = [], 0
    for s in sorted(spans, key=lambda s: (s["start"], s["end"])):
        span = doc.char_span(s["start"], s["end"], label=s["label"])
        if span is None or any(span.start < e.end and e.start < span.end for e in ents):
            dropped += 1
            continue
        ents.append(span)
    doc.ents = ents
    tags = [
        (t.text, "O" if t.ent_iob_ == "O" else f"{t.ent_iob_}-{t.ent_type_}")
        for t in doc
        if not t.is_space and t.text.strip()
    ]
    return tags, dropped


@pytest.mark.parametrize("name", NER_FIXTURES)
def test_prodigy_ner_answers_export_token_for_token_as_spacy_computes(
    tmp_path: Path, name: str
) -> None:
    items = []
    for raw in (FIXTURES / name).read_bytes().splitlines():
        line = orjson.loads(raw)
        if line.get("answer") == "accept":
            items.append({"text": line["text"], "spans": line.get("spans") or []})
    folder = _answered_batch(tmp_path / "b", items)
    data, summary = _export(folder, "conll")
    nlp = spacy.blank("en")
    docs = _conll_docs(data)
    assert len(docs) == len(items) == summary.written
    dropped = 0
    for doc, item in zip(docs, items, strict=True):
        tags, lost = _expected(nlp, item["text"], item["spans"])
        assert doc == tags
        dropped += lost
    assert len(summary.misaligned) == dropped
    # The .spacy DocBin: spaCy reads it, with the same entities.
    binary, spacy_summary = _export(folder, "spacy")
    docbin = spacy.tokens.DocBin().from_bytes(binary)
    read = list(docbin.get_docs(nlp.vocab))
    assert len(read) == len(items) == spacy_summary.written
    for doc, item in zip(read, items, strict=True):
        expected = nlp.make_doc(item["text"])
        assert [t.text for t in doc] == [t.text for t in expected]
        tags, _ = _expected(nlp, item["text"], item["spans"])
        got = [
            (t.text, "O" if t.ent_iob_ == "O" else f"{t.ent_iob_}-{t.ent_type_}")
            for t in doc
            if not t.is_space and t.text.strip()
        ]
        assert got == tags
        assert doc.user_data["annotator"] == "anna"


def test_dutch_tokens_are_spacys_and_a_misaligned_span_is_reported_not_moved(
    tmp_path: Path,
) -> None:
    text = "De Amsterdammers gingen naar Noord-Holland, zei Rutte's woordvoerder."
    spans = [
        {"start": 3, "end": 12, "label": "LOC"},  # "Amsterdam" inside "Amsterdammers"
        {"start": 29, "end": 42, "label": "LOC"},  # Noord-Holland
        {"start": 48, "end": 53, "label": "PER"},  # Rutte
    ]
    folder = _answered_batch(tmp_path / "nl", [{"text": text, "spans": spans}], language="nl")
    data, summary = _export(folder, "iob")
    rows = [line.split("\t") for line in data.decode().splitlines() if line]
    nlp = spacy.blank("nl")
    tags, dropped = _expected(nlp, text, spans)
    assert [tuple(r) for r in rows] == tags
    # spaCy's Dutch tokenizer keeps "Rutte's" whole: "Rutte" does not align either.
    assert dropped == 2 and len(summary.misaligned) == 2
    first, second = summary.misaligned
    assert "task 't0'" in first and "3-12" in first and "'Amsterdammers'" in first
    assert "48-53" in second and '"Rutte\'s"' in second
    # Not moved onto the whole token: "Amsterdammers" and "Rutte's" stay O.
    assert ("Amsterdammers", "O") in [tuple(r) for r in rows]
    assert ("Rutte's", "O") in [tuple(r) for r in rows]
    # Not a whitespace split: the comma is a token of its own.
    assert ("Noord-Holland", "B-LOC") in [tuple(r) for r in rows]
    assert (",", "O") in [tuple(r) for r in rows]


def test_overlapping_spans_are_reported(tmp_path: Path) -> None:
    text = "Tweede Kamer in Den Haag"
    spans = [{"start": 0, "end": 12, "label": "ORG"}, {"start": 7, "end": 24, "label": "LOC"}]
    folder = _answered_batch(tmp_path / "o", [{"text": text, "spans": spans}], language="nl")
    _, summary = _export(folder, "conll")
    assert len(summary.misaligned) == 1 and "overlaps" in summary.misaligned[0]
