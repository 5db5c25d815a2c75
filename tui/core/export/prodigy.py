"""Prodigy's answer format (what `prodigy db-in` takes): one JSON object per line with
`answer` accept/reject/ignore, `_input_hash`, `_task_hash`, `_annotator_id`, `_session_id`,
`_view_id`, and the fields of the matching Prodigy interface.

Hashes: a task that came from Prodigy keeps its own `_input_hash`/`_task_hash`; otherwise
they are stable signed 32-bit integers of the task's input (text, image, ...) and of input +
the task's content, so the same task always gets the same hashes (Prodigy's own are MurmurHash
values; `db-in --rehash` recomputes them if a team wants exactly those).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

from tui.core.export.meaning import PRODIGY_ANSWERS, choices_of, with_token_indices
from tui.core.export.records import ExportRecord

INPUT_KEYS = ("text", "image", "audio", "video", "html", "input", "prompt", "source", "messages")
TokensOf = Callable[[ExportRecord], list[tuple[int, int]] | None]


def _hash32(obj: object) -> int:
    digest = hashlib.blake2b(orjson.dumps(obj, option=orjson.OPT_SORT_KEYS), digest_size=4)
    return int.from_bytes(digest.digest(), "big", signed=True)


def input_hash(task: dict[str, Any]) -> int:
    given = task.get("_input_hash")
    if type(given) is int:
        return given
    return _hash32({k: task[k] for k in INPUT_KEYS if k in task})


def task_hash(task: dict[str, Any]) -> int:
    given = task.get("_task_hash")
    if type(given) is int:
        return given
    content = {k: v for k, v in task.items() if not k.startswith("_") and k not in ("meta", "gold")}
    return _hash32(content)


def _unix_seconds(moment: str | None) -> int | None:
    """Prodigy's `_timestamp`: whole seconds since the epoch of the answer."""
    if moment is None:
        return None
    try:
        return int(datetime.fromisoformat(moment).timestamp())
    except ValueError:
        return None


def _options(labels: list[str]) -> list[dict[str, str]]:
    return [{"id": label, "text": label} for label in labels]


def prodigy_line(
    record: ExportRecord, labels: list[str], tokens_of: TokensOf
) -> dict[str, Any] | None:
    """The Prodigy answer for one record, or None for an `undone` line (no Prodigy meaning)."""
    answer = PRODIGY_ANSWERS.get(record.answer)
    if answer is None:
        return None
    task = record.task
    line: dict[str, Any] = {
        k: v for k, v in task.items() if k not in ("gold", "answer", "accept", "_view_id")
    }
    value = record.value or {}
    kind = record.task_type
    line["_input_hash"] = input_hash(task)
    line["_task_hash"] = task_hash(task)
    if kind == "binary":
        line["_view_id"] = "classification"
        if record.answer in ("accept", "reject") and "accept" in value:
            answer = "accept" if value["accept"] else "reject"
        if value.get("label"):
            line["label"] = value["label"]
    elif kind == "spans":
        line["_view_id"] = "ner_manual"
        tokens = tokens_of(record)
        if tokens is not None:
            text = str(task.get("text", ""))
            line["tokens"] = [
                {"text": text[s:e], "start": s, "end": e, "id": i, "ws": text[e : e + 1] == " "}
                for i, (s, e) in enumerate(tokens)
            ]
        if record.answer in ("accept", "reject"):
            line["spans"] = [
                {
                    k: s[k]
                    for k in ("start", "end", "token_start", "token_end", "label")
                    if k in s and (tokens is not None or not k.startswith("token_"))
                }
                for s in value.get("spans", [])
                if isinstance(s, dict)
            ]
        if tokens is not None and isinstance(line.get("spans"), list):
            line["spans"] = [with_token_indices(s, tokens) for s in line["spans"]]
    elif kind in ("audio", "video"):
        # Prodigy's audio_manual interface also shows a `video` (there is no video_manual).
        line["_view_id"] = "audio_manual"
        line["audio_spans"] = [
            {"start": s.get("start_s"), "end": s.get("end_s"), "label": s.get("label")}
            for s in value.get("segments", [])
            if isinstance(s, dict)
        ]
        if value.get("transcript"):
            line["transcript"] = value["transcript"]
        if value.get("labels"):
            line["accept"] = list(value["labels"])
    elif kind == "write":
        line["_view_id"] = "text_input"
        if "text" in value:
            line["user_input"] = value["text"]
    else:
        # classify, image, compare, rate: a choice among options.
        line["_view_id"] = "choice"
        if kind == "compare":
            line["options"] = [
                {"id": str(r.get("id")), "text": r.get("text")}
                for r in task.get("responses", [])
                if isinstance(r, dict)
            ]
            if value.get("outcome"):
                line["outcome"] = value["outcome"]
            if value.get("ranking") is not None:
                line["ranking"] = value["ranking"]
            if value.get("reason"):
                line["reason"] = value["reason"]
        elif kind == "rate":
            line["ratings"] = value.get("ratings", {})
            if value.get("note"):
                line["note"] = value["note"]
            line["options"] = _options(choices_of(record))
        elif not task.get("options"):
            line["options"] = _options(labels)
        if kind == "image" and value.get("description"):
            line["description"] = value["description"]
        if record.answer in ("accept", "reject"):
            line["accept"] = choices_of(record)
    line["answer"] = answer
    session = f"{record.batch_id}-{record.annotator}"
    line["_annotator_id"] = session
    line["_session_id"] = session
    if record.source is not None:
        line["_merge_source"] = record.source  # a team batch: how the task's answer was merged
    timestamp = _unix_seconds(record.submitted_at)
    if timestamp is not None:
        line["_timestamp"] = timestamp
    if record.flag is not None:
        line["flag"] = record.flag  # with its note
    line["_labeldesk"] = {
        "annotator": record.annotator,
        "task_id": record.task_id,
        "revision": record.revision,
        "active_ms": record.active_ms,
        "shown_ms": record.shown_ms,
        "started_at": record.started_at,
        "submitted_at": record.submitted_at,
    }
    return line
