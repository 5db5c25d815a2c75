"""What an answer means, task type by task type, in the words peers use.

labeldesk's results line says `answer: "accept"` for every submitted answer that is not a
binary decision; a peer reads that literally. Here each type's value becomes what it is: a
binary decision (accept/reject), a choice among options (classify, image, a compare pick or
ranking), ratings per criterion, spans, a written text, time segments.
"""

from __future__ import annotations

from typing import Any

from tui.core.export.records import ExportRecord

# labeldesk answer kind -> Prodigy answer. A skip or a bare flag is Prodigy's "ignore"; an
# `undone` line (only with --select all) has no Prodigy meaning and is left out.
PRODIGY_ANSWERS = {"accept": "accept", "reject": "reject", "skip": "ignore", "flag": "ignore"}


def choices_of(record: ExportRecord) -> list[str]:
    """The options an answer chose: labels, a compare winner or ranking, ratings as
    `criterion=score`. Empty for a skip, a tie, a text or spans."""
    value = record.value or {}
    kind = record.task_type
    if kind == "compare":
        ranking = value.get("ranking")
        if isinstance(ranking, list):
            return [str(x) for x in ranking]
        winner = value.get("winner")
        return [str(winner)] if winner is not None else []
    if kind == "rate":
        ratings = value.get("ratings")
        if isinstance(ratings, dict):
            return [f"{name}={score}" for name, score in ratings.items()]
        return []
    if kind == "binary":
        label = value.get("label") or record.task.get("label")
        return [str(label)] if label and value.get("accept") else []
    labels = value.get("labels")
    if isinstance(labels, list):
        return [str(x) for x in labels]
    label = value.get("label")
    return [str(label)] if label is not None else []


def outcome_of(record: ExportRecord) -> str:
    """One short word for tables: the decision, the choices, or what was written."""
    if record.answer not in ("accept", "reject"):
        return record.answer
    value = record.value or {}
    if record.task_type == "binary":
        return "accept" if value.get("accept", record.answer == "accept") else "reject"
    if record.task_type == "compare" and value.get("outcome") in ("tie", "both_bad"):
        return str(value["outcome"])
    if record.task_type == "spans":
        spans = value.get("spans") or []
        return " ".join(
            f"{s.get('label')}[{s.get('start')}:{s.get('end')}]"
            for s in spans
            if isinstance(s, dict)
        )
    if record.task_type == "write":
        return str(value.get("text", ""))
    if record.task_type == "audio" and value.get("transcript"):
        return str(value["transcript"])
    chosen = choices_of(record)
    return "|".join(chosen)


def task_text(task: dict[str, Any]) -> str:
    """The main text of a task, whatever its type (for tables and token formats)."""
    for key in ("text", "source", "prompt", "response"):
        value = task.get(key)
        if isinstance(value, str):
            return value
    messages = task.get("messages")
    if isinstance(messages, list) and messages:
        last = messages[-1]
        if isinstance(last, dict) and isinstance(last.get("content"), str):
            return str(last["content"])
    for key in ("image", "audio", "video"):
        value = task.get(key)
        if isinstance(value, str):
            return value
    return ""


def with_token_indices(span: object, tokens: list[tuple[int, int]]) -> object:
    """A span without token indices (a pre-set span; Prodigy ner.teach and Label Studio
    spans have none) with the `token_start`/`token_end` of `tokens` when its edges are token
    edges; otherwise as it is."""
    if not isinstance(span, dict) or "token_start" in span:
        return span
    starts = {start: i for i, (start, _) in enumerate(tokens)}
    ends = {end: i for i, (_, end) in enumerate(tokens)}
    first, last = starts.get(span.get("start")), ends.get(span.get("end"))  # type: ignore[arg-type]
    if first is None or last is None:
        return span
    return {**span, "token_start": first, "token_end": last}
