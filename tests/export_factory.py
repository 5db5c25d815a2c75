"""Batches with answers for the export/import tests: a sample batch of each task type,
copied, and results lines a real session would write (valid against each type's model)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson

from tui.core.batch import Batch

REPO = Path(__file__).resolve().parent.parent
TASK_TYPES = ("binary", "classify", "spans", "rate", "compare", "write", "image", "audio", "video")


def _value(batch: Batch, raw: dict[str, Any], index: int, n: int) -> dict[str, Any]:
    kind = batch.task_type.name
    table = batch.config.task
    labels = [str(x) for x in table.get("labels") or []]
    if kind == "binary":
        return {"label": raw.get("label") or table.get("label"), "accept": n % 2 == 0}
    if kind in ("classify", "image"):
        value: dict[str, Any] = {"labels": [labels[n % len(labels)]]}
        if kind == "image":
            value["description"] = "A picture with colours."
        return value
    if kind == "spans":
        item = batch.item(index)
        assert item.task is not None
        tokens = batch.task_type.tokens(item.task, batch.options) or []
        spans = []
        for span in raw.get("spans", []):
            first = next(i for i, (s, e) in enumerate(tokens) if e > span["start"])
            last = max(i for i, (s, e) in enumerate(tokens) if s < span["end"])
            spans.append({**span, "token_start": first, "token_end": last})
        return {"spans": spans}
    if kind == "rate":
        item = batch.item(index)
        assert item.task is not None
        ratings = {c["name"]: 1 + (n + i) % 5 for i, c in enumerate(table["criteria"])}
        return {"ratings": ratings, "target": item.task.target_index() or 0, "note": f"note {n}"}  # type: ignore[attr-defined]
    if kind == "compare":
        ids = [str(r["id"]) for r in raw["responses"]]
        if len(ids) > 2:
            return {"ranking": list(reversed(ids)), "shown_order": ids, "seed": n}
        if n % 3 == 2:
            return {"outcome": "tie", "shown_order": ids, "seed": n, "reason": "equal"}
        return {
            "winner": ids[n % 2],
            "outcome": "win",
            "shown_order": ids,
            "seed": n,
            "reason": "clearer",
        }
    if kind == "write":
        text = f"Written text number {n} for the task."
        return {
            "text": text,
            "words": len(text.split()),
            "chars": len(text),
            "language": "en",
            "checks": [],
        }
    if kind == "audio":
        return {
            "transcript": f"transcript {n}",
            "quality": [],
            "segments": [{"start_s": 0.0, "end_s": 1.5, "label": labels[0]}],
        }
    if kind == "video":
        return {
            "segments": [{"start_s": 0.5, "end_s": 2.0, "label": labels[0]}],
            "labels": [str(table["item_labels"][0])],
        }
    raise AssertionError(kind)


def result_line(batch: Batch, index: int, n: int, annotator: str, **changes: Any) -> dict[str, Any]:
    """A valid answer line for task `index`; `n` varies the value between annotators."""
    raw = batch.raw_line(index)[1]
    assert raw is not None
    answer = "accept"
    value = _value(batch, raw, index, n)
    if batch.task_type.name == "binary" and not value["accept"]:
        answer = "reject"
    line = {
        "task_id": batch.task_id_at(index),
        "batch_id": batch.id,
        "annotator": annotator,
        "task_type": batch.task_type.name,
        "answer": answer,
        "value": value,
        "flag": None,
        "session_id": f"s-{annotator}",
        "started_at": f"2026-11-22T10:{n % 60:02d}:00.000Z",
        "submitted_at": f"2026-11-22T10:{n % 60:02d}:03.250Z",
        "active_ms": 3000 + n,
        "shown_ms": 3100 + n,
        "keys": 2,
        "revision": 1,
    }
    line.update(changes)
    return line


def batch_with_answers(
    tmp: Path, kind: str, lang: str = "en", annotators: tuple[str, ...] = ("anna", "bram")
) -> Path:
    """A copy of samples/<kind>-<lang> with every task answered by each annotator (the
    second annotator's value differs where the type allows), plus one flagged answer, one
    skip and one answer edited then withdrawn."""
    folder = tmp / f"{kind}-{lang}"
    shutil.copytree(
        REPO / "samples" / f"{kind}-{lang}",
        folder,
        ignore=shutil.ignore_patterns("results", "audits"),
    )
    batch = Batch.open(folder)
    batch.index_rest()
    raws = [batch.raw_line(i)[1] for i in range(len(batch))]
    (folder / "results").mkdir()
    for a, annotator in enumerate(annotators):
        lines = []
        for index in range(len(raws)):
            lines.append(result_line(batch, index, index + a, annotator))
        lines[0]["flag"] = {"reason": "guidelines", "note": "unclear rule"}
        if len(lines) > 2:
            lines[1] = {**lines[1], "answer": "skip", "value": None}
            withdrawn = dict(lines[2])
            lines.append({**withdrawn, "answer": "undone", "value": None, "revision": 2})
        (folder / "results" / f"{annotator}.jsonl").write_bytes(
            b"".join(orjson.dumps(x) + b"\n" for x in lines)
        )
    return folder
