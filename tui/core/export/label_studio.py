"""Label Studio's JSON export (`label-studio`) and its JSON_MIN (`label-studio-min`), plus
the labeling config XML that matches them (`labeling_config`).

Full export: one object per task — `id`, `data` (the task's content), `annotations`: one per
labeldesk answer with `result[]` items (`from_name`, `to_name`, `type`, `value`),
`completed_by`, `lead_time` (active seconds), `was_cancelled` (a skip or bare flag is a
cancelled annotation, as Label Studio's own "skip" is), `created_at`/`updated_at`.
MIN export: one flat object per annotation, as Label Studio's converter writes JSON_MIN
from the full export: the data fields and one key per control (see `ls_min`).

Video segments are Label Studio's `TimelineLabels` regions: `value.ranges[{start, end}]` in
frames (1-based, both ends included, as Label Studio's timeline counts them) at the task's
frame rate, which goes into `data.fps` for the config's `<Video frameRate="$fps">`.
"""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import quoteattr

from tui.core.export.records import ExportRecord

# Label Studio's <Video> plays at 24 frames a second unless told otherwise.
DEFAULT_FPS = 24.0


def frame_rate(task: dict[str, Any], default: float | None = None) -> float:
    """The frames a second of a video task: its own `fps` (a positive number), else the
    given default (`--fps`), else Label Studio's 24."""
    own = task.get("fps")
    if isinstance(own, str):  # Label Studio data is often all strings: "25"
        try:
            own = float(own)
        except ValueError:
            own = None
    if isinstance(own, int | float) and not isinstance(own, bool) and 0 < own < 1000:
        return float(own)
    return default if default is not None and default > 0 else DEFAULT_FPS


def seconds_to_frames(start_s: float, end_s: float, fps: float) -> tuple[int, int]:
    """[start_s, end_s) as Label Studio's frame range: frame n (1-based) shows the time
    [(n-1)/fps, n/fps); the range holds every frame the segment covers (ends included). The
    1e-6 keeps a boundary given in ms (0.5 s at 24 fps = frame 12 exactly) on its frame."""
    first = math.floor(start_s * fps + 1e-6) + 1
    last = max(first, math.ceil(end_s * fps - 1e-6))
    return first, last


def frames_to_seconds(start: float, end: float, fps: float) -> tuple[float, float]:
    """Label Studio's frame range back to [start_s, end_s) in seconds (ms precision)."""
    return round(max(0.0, (start - 1) / fps), 3), round(max(end, start) / fps, 3)


def ls_data(task: dict[str, Any], kind: str, fps: float | None = None) -> dict[str, Any]:
    """The task as Label Studio `data`; compare responses and the rated turn get flat keys
    (`response_<id>`, `response`) that the config's tags can name; a video its frame rate
    (`fps`) for the config's `<Video frameRate="$fps">`."""
    data = {k: v for k, v in task.items() if k not in ("gold",) and not k.startswith("_")}
    if kind == "video":
        data["fps"] = frame_rate(task, fps)
    if kind == "compare":
        # Tags name data keys, not list items: the responses by position, A, B, C, ...
        for n, r in enumerate(task.get("responses", [])[:26]):
            if isinstance(r, dict):
                data[f"response_{chr(65 + n)}"] = r.get("text")
    if kind == "rate" and "response" not in data:
        rated = rated_message(task)
        if rated is not None:
            data["response"] = rated
    return data


def rated_message(task: dict[str, Any]) -> str | None:
    """The content of the message a rate task rates: its `target`, else the last assistant
    message (as the rate type reads it)."""
    messages = task.get("messages")
    if not isinstance(messages, list):
        return None
    target = task.get("target")
    if type(target) is not int:
        target = next(
            (
                i
                for i in range(len(messages) - 1, -1, -1)
                if isinstance(messages[i], dict) and messages[i].get("role") == "assistant"
            ),
            None,
        )
    if target is None or not 0 <= target < len(messages) or not isinstance(messages[target], dict):
        return None
    content = messages[target].get("content")
    return content if isinstance(content, str) else None


def _item(from_name: str, to_name: str, kind: str, value: dict[str, Any], n: int) -> dict[str, Any]:
    return {
        "id": f"r{n}",
        "from_name": from_name,
        "to_name": to_name,
        "type": kind,
        "value": value,
        "origin": "manual",
    }


def _main_input(kind: str) -> str:
    return {
        "image": "image",
        "audio": "audio",
        "video": "video",
        "write": "source",
        "rate": "response",
        "compare": "prompt",
    }.get(kind, "text")


def ls_result(record: ExportRecord, fps: float | None = None) -> list[dict[str, Any]]:
    """The result items of one answer, by task type (`fps`: a video's frame rate when the
    task gives none)."""
    value = record.value or {}
    kind = record.task_type
    target = _main_input(kind)
    items: list[dict[str, Any]] = []

    def add(from_name: str, typ: str, val: dict[str, Any], to_name: str = target) -> None:
        items.append(_item(from_name, to_name, typ, val, len(items) + 1))

    if record.answer not in ("accept", "reject"):
        return items
    if kind == "binary":
        accepted = bool(value.get("accept", record.answer == "accept"))
        add("decision", "choices", {"choices": ["accept" if accepted else "reject"]})
    elif kind == "spans":
        text = str(record.task.get("text", ""))
        for span in value.get("spans", []):
            if isinstance(span, dict):
                s, e = int(span["start"]), int(span["end"])
                add(
                    "label",
                    "labels",
                    {"start": s, "end": e, "text": text[s:e], "labels": [span["label"]]},
                )
    elif kind == "rate":
        for name, score in (value.get("ratings") or {}).items():
            add(name, "rating", {"rating": score})
        if value.get("note"):
            add("note", "textarea", {"text": [value["note"]]})
    elif kind == "compare":
        if value.get("ranking") is not None:
            add("rank", "ranker", {"ranker": {"rank": list(value["ranking"])}}, "responses")
        elif value.get("winner") is not None:
            shown = [str(r.get("id")) for r in record.task.get("responses", [])[:2]]
            winner = str(value["winner"])
            side = "left" if shown and winner == shown[0] else "right"
            add("pick", "pairwise", {"selected": side}, "response_A,response_B")
            add("outcome", "choices", {"choices": [winner]})
        else:
            add("outcome", "choices", {"choices": [str(value.get("outcome"))]})
        if value.get("reason"):
            add("reason", "textarea", {"text": [value["reason"]]})
    elif kind == "write":
        add("text", "textarea", {"text": [value.get("text", "")]})
    elif kind == "video":
        rate = frame_rate(record.task, fps)
        for seg in value.get("segments", []):
            if isinstance(seg, dict):
                first, last = seconds_to_frames(
                    float(seg.get("start_s", 0)), float(seg.get("end_s", 0)), rate
                )
                add(
                    "segment",
                    "timelinelabels",
                    {
                        "ranges": [{"start": first, "end": last}],
                        "timelinelabels": [seg.get("label")],
                    },
                )
        if value.get("labels"):
            add("label", "choices", {"choices": list(value["labels"])})
    elif kind == "audio":
        for seg in value.get("segments", []):
            if isinstance(seg, dict):
                add(
                    "segment",
                    "labels",
                    {
                        "start": seg.get("start_s"),
                        "end": seg.get("end_s"),
                        "labels": [seg.get("label")],
                    },
                )
        if value.get("labels"):
            add("label", "choices", {"choices": list(value["labels"])})
        if value.get("transcript"):
            add("transcript", "textarea", {"text": [value["transcript"]]})
        if value.get("quality"):
            add("quality", "choices", {"choices": list(value["quality"])})
    else:  # classify, image
        labels = value.get("labels") or []
        if labels:
            add("label", "choices", {"choices": list(labels)})
        if value.get("description"):
            add("description", "textarea", {"text": [value["description"]]})
    return items


def ls_annotation(
    record: ExportRecord, number: int, user_id: int, fps: float | None = None
) -> dict[str, Any]:
    created = record.started_at or record.submitted_at
    annotation: dict[str, Any] = {
        "id": number,
        "completed_by": {"id": user_id, "email": record.annotator},
        "result": ls_result(record, fps),
        "was_cancelled": record.answer in ("skip", "flag"),
        "ground_truth": False,
        "created_at": created,
        "updated_at": record.submitted_at,
        "lead_time": record.active_ms / 1000,
    }
    meta: dict[str, Any] = {"answer": record.answer, "revision": record.revision}
    if record.flag is not None:
        meta["flag"] = record.flag
    if record.note:
        meta["note"] = record.note
    if record.shown_ms is not None:
        meta["shown_ms"] = record.shown_ms
    annotation["labeldesk"] = meta
    return annotation


def _min_value(kind: str, values: list[dict[str, Any]]) -> Any:
    """One control's results as Label Studio's JSON-MIN writes them (its converter's
    `prettify_result`): a Choices' one choice or a TextArea's one text as a string, a
    several-choice Choices as its value object; every other control (Labels,
    TimelineLabels, Rating, Pairwise, Ranker, ...) as the list of its result values."""
    short: list[Any] = []
    for value in values:
        if kind == "choices" and len(value["choices"]) == 1:
            short.append(value["choices"][0])
        elif kind == "textarea" and len(value["text"]) == 1:
            short.append(value["text"][0])
        else:
            short.append(dict(value))
    return short[0] if kind in ("choices", "textarea") and len(short) == 1 else short


def ls_min(
    record: ExportRecord, number: int, task_number: int, fps: float | None = None
) -> dict[str, Any]:
    """One JSON_MIN row, key for key what Label Studio's converter makes of this answer's
    annotation in the full export (`number`: its annotation id there, `task_number`: its
    task's id there): the data fields, `id`, one key per control (`_min_value`), then
    `annotator`, `annotation_id`, `created_at`, `updated_at`, `lead_time`. After them come
    what the converter cannot know, as it reads neither the task's `meta` nor the
    annotation's `labeldesk` object: `task_id` (labeldesk's), `answer` and `flag`."""
    row: dict[str, Any] = dict(ls_data(record.task, record.task_type, fps))
    row["id"] = task_number
    controls: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for item in ls_result(record, fps):
        controls.setdefault(item["from_name"], (item["type"], []))[1].append(item["value"])
    for name, (kind, values) in controls.items():
        row[name] = _min_value(kind, values)
    row["annotator"] = record.annotator
    row["annotation_id"] = number
    row["created_at"] = record.started_at or record.submitted_at
    row["updated_at"] = record.submitted_at
    row["lead_time"] = record.active_ms / 1000
    row["task_id"] = record.task_id
    row["answer"] = record.answer
    if record.flag is not None:
        row["flag"] = record.flag
    return row


def _choices(name: str, to: str, labels: list[str], multiple: bool = False) -> str:
    mode = "multiple" if multiple else "single"
    inner = "".join(f"<Choice value={quoteattr(x)}/>" for x in labels)
    return f"<Choices name={quoteattr(name)} toName={quoteattr(to)} choice={quoteattr(mode)}>{inner}</Choices>"


def labeling_config(kind: str, table: dict[str, Any]) -> str:
    """The Label Studio labeling config XML for a batch of this task type ([task] table)."""
    labels = [str(x) for x in table.get("labels") or []]
    parts: list[str] = []
    if kind == "binary":
        parts.append('<Text name="text" value="$text"/><Header value="$label"/>')
        parts.append(_choices("decision", "text", ["accept", "reject"]))
    elif kind == "classify":
        parts.append('<Text name="text" value="$text"/>')
        parts.append(_choices("label", "text", labels, bool(table.get("multi"))))
    elif kind == "spans":
        inner = "".join(f"<Label value={quoteattr(x)}/>" for x in labels)
        parts.append(f'<Labels name="label" toName="text">{inner}</Labels>')
        parts.append('<Text name="text" value="$text"/>')
    elif kind == "rate":
        parts.append('<Text name="response" value="$response"/>')
        for criterion in table.get("criteria") or []:
            name = str(criterion.get("name"))
            top = (criterion.get("scale") or [1, 5])[1]
            parts.append(
                f'<Rating name={quoteattr(name)} toName="response" maxRating="{int(top)}"/>'
            )
        parts.append('<TextArea name="note" toName="response"/>')
    elif kind == "compare":
        parts.append('<Text name="prompt" value="$prompt"/>')
        parts.append('<Text name="response_A" value="$response_A"/>')
        parts.append('<Text name="response_B" value="$response_B"/>')
        parts.append('<Pairwise name="pick" toName="response_A,response_B"/>')
        parts.append(_choices("outcome", "prompt", ["A", "B", "tie", "both_bad"]))
        parts.append('<List name="responses" value="$responses" title="Responses"/>')
        parts.append('<Ranker name="rank" toName="responses"/>')
        parts.append('<TextArea name="reason" toName="prompt"/>')
    elif kind == "write":
        parts.append('<Text name="source" value="$source"/>')
        parts.append('<TextArea name="text" toName="source"/>')
    elif kind == "image":
        parts.append('<Image name="image" value="$image"/>')
        if labels:
            parts.append(_choices("label", "image", labels, bool(table.get("multi"))))
        parts.append('<TextArea name="description" toName="image"/>')
    elif kind in ("audio", "video"):
        inner = "".join(f"<Label value={quoteattr(x)}/>" for x in labels)
        if kind == "audio":
            parts.append('<Audio name="audio" value="$audio"/>')
            parts.append(f'<Labels name="segment" toName="audio">{inner}</Labels>')
        else:
            # Label Studio labels video time on its timeline, in frames: TimelineLabels,
            # at the frame rate each task's data gives (`fps`, written by the export).
            parts.append('<Video name="video" value="$video" frameRate="$fps"/>')
            parts.append(f'<TimelineLabels name="segment" toName="video">{inner}</TimelineLabels>')
        item_labels = [str(x) for x in table.get("item_labels") or []]
        if item_labels:
            parts.append(_choices("label", kind, item_labels, True))
        if kind == "audio":
            parts.append('<TextArea name="transcript" toName="audio"/>')
    else:
        parts.append('<Text name="text" value="$text"/>')
    return "<View>\n  " + "\n  ".join(parts) + "\n</View>\n"
