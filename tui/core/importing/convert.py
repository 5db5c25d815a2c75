"""One foreign row to one labeldesk task line, plus the answer it carries (if any).

The answer becomes, by choice, a pre-annotation (what the task types accept today: pre-set
`spans` for spans, a proposed `label` for binary and classify; other types have none, so
their proposed answer is kept in `meta.proposed`) or `gold` (the expected answer's value,
scored silently). Each converter raises RowError with the reason a row cannot be used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from tui.core.export.label_studio import DEFAULT_FPS, frame_rate, frames_to_seconds
from tui.core.i18n import _

# Fields a Prodigy answer adds to its task: not part of the task labeldesk shows.
PRODIGY_ANSWER_KEYS = frozenset(
    {
        "answer",
        "accept",
        "_view_id",
        "_annotator_id",
        "_session_id",
        "_timestamp",
        "_labeldesk",
        "flag",
        "note",
        "user_input",
        "ratings",
        "outcome",
        "ranking",
        "audio_spans",
        "transcript",
        "description",
    }
)
MEDIA_TYPES = ("image", "audio", "video")


class RowError(ValueError):
    """Why a row cannot become a task."""


@dataclass
class Converted:
    task: dict[str, Any]
    value: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)  # warnings about this row
    labels: list[str] = field(default_factory=list)  # labels the row offers (Prodigy options)


@dataclass
class ImportSettings:
    task_type: str
    text_field: str | None = None
    id_field: str | None = None
    label_field: str | None = None
    fps: float | None = None  # Label Studio video: frames a second when the data gives none
    controls: list[str] = field(default_factory=list)  # label-studio-min: control keys


def _text_id(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | str) and str(value).strip():
        return str(value)
    return None


# -- Label Studio ---------------------------------------------------------------------------


def _reviewed_away(annotation: dict[str, Any]) -> bool:
    reviews = annotation.get("reviews")
    if isinstance(reviews, list) and reviews:
        last = reviews[-1]
        if isinstance(last, dict) and last.get("accepted") is False:
            return True
    return annotation.get("last_action") == "rejected"


def ls_value(
    results: list[Any],
    kind: str,
    task: dict[str, Any],
    notes: list[str],
    fps: float | None = None,
) -> dict[str, Any] | None:
    """Label Studio result items as the value of a labeldesk answer of `kind` (`fps`: the
    frame rate of a video's timeline ranges when its data gives none)."""
    spans: list[dict[str, Any]] = []
    segments: list[dict[str, Any]] = []
    choices: list[str] = []
    texts: dict[str, str] = {}
    ratings: dict[str, int] = {}
    ranking: list[str] | None = None
    selected: str | None = None
    regions: set[str] = set()
    for item in results:
        if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
            continue
        typ, value, name = item.get("type"), item["value"], str(item.get("from_name", ""))
        found = value.get("labels") if typ == "labels" else value.get(str(typ))
        labels = [str(x) for x in found] if isinstance(found, list) else []
        if found is not None and not isinstance(found, list):
            notes.append(f"a {typ} result whose labels are not a list was ignored")
        if typ == "labels" and "start" in value and "end" in value:
            if kind in ("audio", "video"):
                for label in labels:
                    segments.append(
                        {
                            "start_s": float(value["start"]),
                            "end_s": float(value["end"]),
                            "label": label,
                        }
                    )
            else:
                for label in labels:
                    spans.append(
                        {"start": int(value["start"]), "end": int(value["end"]), "label": label}
                    )
        elif typ == "timelinelabels" and kind in ("video", "audio"):
            segments += _timeline_segments(value, labels, frame_rate(task, fps))
        elif typ == "choices":
            choices += [str(x) for x in value.get("choices") or []]
        elif typ == "textarea":
            text = value.get("text")
            texts[name] = (
                "\n".join(str(x) for x in text) if isinstance(text, list) else str(text or "")
            )
        elif typ == "rating" and isinstance(value.get("rating"), int | float):
            ratings[name] = int(value["rating"])
        elif typ == "ranker":
            rank = value.get("ranker")
            if isinstance(rank, dict):
                first = next(iter(rank.values()), None)
                ranking = [str(x) for x in first] if isinstance(first, list) else None
        elif typ == "pairwise":
            selected = str(value.get("selected", ""))
        elif isinstance(typ, str) and typ.endswith("labels"):
            # rectanglelabels, polygonlabels, ...: regions labeldesk has no tool for; their
            # labels become labels of the whole item.
            regions.add(typ)
            choices += labels
    if regions:
        whole = kind in ("classify", "image", "video", "binary")
        notes.append(
            f"{', '.join(sorted(regions))} regions have no labeldesk equivalent: "
            + (
                "their labels were taken as labels of the whole item"
                if whole
                else f"ignored (a {kind} task has no whole-item labels)"
            )
        )
    if kind == "spans":
        return {"spans": spans}  # no spans is an answer too: "nothing to mark here"
    if kind in ("classify", "image"):
        labels = list(dict.fromkeys(choices))
        out: dict[str, Any] | None = {"labels": labels} if labels else None
        if kind == "image" and texts.get("description"):
            out = {**(out or {"labels": []}), "description": texts["description"]}
        return out
    if kind == "binary":
        if not choices:
            return None
        if choices[0] in ("accept", "reject"):
            return {"label": task.get("label"), "accept": choices[0] == "accept"}
        return {"label": choices[0], "accept": True}
    if kind == "rate":
        if not ratings:
            return None
        out = {"ratings": ratings, "target": _rate_target(task)}
        if texts.get("note"):
            out["note"] = texts["note"]
        return out
    if kind == "compare":
        ids = [str(r.get("id")) for r in task.get("responses") or [] if isinstance(r, dict)]
        out = {"shown_order": ids, "seed": 0}
        if ranking is not None:
            out["ranking"] = ranking
        elif selected in ("left", "right") and len(ids) >= 2:
            out.update(outcome="win", winner=ids[0] if selected == "left" else ids[1])
        elif choices and choices[0] in ("tie", "both_bad"):
            out["outcome"] = choices[0]
        elif choices and choices[0] in ids:
            out.update(outcome="win", winner=choices[0])
        else:
            return None
        if texts.get("reason"):
            out["reason"] = texts["reason"]
        return out
    if kind == "write":
        text = texts.get("text") or next(iter(texts.values()), "")
        return {"text": text} if text else None
    if kind in ("audio", "video"):
        out = {"segments": segments}
        if choices and kind == "video":
            out["labels"] = choices
        if kind == "audio" and texts.get("transcript"):
            out["transcript"] = texts["transcript"]
        return out if segments or len(out) > 1 else None
    return None


def _timeline_segments(
    value: dict[str, Any], labels: list[str], fps: float
) -> list[dict[str, Any]]:
    """A TimelineLabels region (frame ranges, 1-based, ends included) as segments in
    seconds; a range that is not two frame numbers is a RowError (the row is reported)."""
    ranges = value.get("ranges")
    if not isinstance(ranges, list) or not ranges:
        raise RowError(_("a timelinelabels result has no `ranges` list"))
    out: list[dict[str, Any]] = []
    for frame_range in ranges:
        start = frame_range.get("start") if isinstance(frame_range, dict) else None
        end = frame_range.get("end") if isinstance(frame_range, dict) else None
        if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (start, end)):
            raise RowError(
                _(
                    "a timelinelabels range must have numeric `start` and `end` frames, got {r}"
                ).format(r=repr(frame_range)[:80])
            )
        assert isinstance(start, int | float) and isinstance(end, int | float)
        start_s, end_s = frames_to_seconds(start, end, fps)
        out += [{"start_s": start_s, "end_s": end_s, "label": label} for label in labels]
    return out


def _rate_target(task: dict[str, Any]) -> int:
    messages = task.get("messages")
    if isinstance(messages, list) and messages:
        return len(messages) - 1
    return 1 if task.get("prompt") is not None else 0


def from_label_studio(row: dict[str, Any], settings: ImportSettings) -> Converted:
    data = row.get("data")
    notes: list[str] = []
    if data is None:
        # A Label Studio tasks file may list bare data objects ([{"text": ...}]).
        data = {
            k: v
            for k, v in row.items()
            if k not in ("annotator", "annotation_id", "lead_time", "created_at", "updated_at")
        }
    if not isinstance(data, dict):
        raise RowError(f"`data` must be an object, got {type(data).__name__}")
    task = {
        k: v
        for k, v in data.items()
        if not k.startswith("response_") or settings.task_type != "compare"
    }
    if settings.task_type == "rate" and "messages" in task and "response" in task:
        from tui.core.export.label_studio import rated_message

        if task["response"] == rated_message(task):
            del task["response"]  # the flat copy labeldesk's export adds for the config
    fps = frame_rate(task, settings.fps)  # of the video's timeline ranges
    if settings.task_type == "video" and task.get("fps") == (settings.fps or DEFAULT_FPS):
        del task["fps"]  # the rate labeldesk's export wrote for the config: no news
    meta = dict(row.get("meta") or {}) if isinstance(row.get("meta"), dict) else {}
    own_id = meta.pop("labeldesk_id", None)
    task_id = _text_id(own_id) or _text_id(data.get("id")) or _text_id(row.get("id"))
    if task_id is not None:
        task["id"] = task_id
    meta.pop("batch_id", None)
    if meta:
        task["meta"] = {**meta, **(task.get("meta") or {})}
    value = None
    annotations = [a for a in row.get("annotations") or [] if isinstance(a, dict)]
    for annotation in annotations:
        number = annotation.get("id", "?")
        if annotation.get("was_cancelled"):
            notes.append(f"annotation {number} was cancelled (skipped): not used")
            continue
        if _reviewed_away(annotation):
            notes.append(f"annotation {number} was rejected in review: not used")
            continue
        if value is None:
            value = ls_value(annotation.get("result") or [], settings.task_type, task, notes, fps)
    if value is None:
        for prediction in row.get("predictions") or []:
            if isinstance(prediction, dict) and value is None:
                value = ls_value(
                    prediction.get("result") or [], settings.task_type, task, notes, fps
                )
                if value is not None:
                    notes.append("the proposed answer comes from a prediction")
    return Converted(task, value, notes)


# -- Prodigy --------------------------------------------------------------------------------


def from_prodigy(row: dict[str, Any], settings: ImportSettings) -> Converted:
    kind = settings.task_type
    answer = row.get("answer")
    task = {k: v for k, v in row.items() if k not in PRODIGY_ANSWER_KEYS}
    value: dict[str, Any] | None = None
    decided = answer in ("accept", "reject")
    accept = row.get("accept")
    if kind == "spans":
        spans = row.get("spans")
        if decided and answer == "accept" and isinstance(spans, list):
            value = {
                "spans": [
                    {
                        k: s[k]
                        for k in ("start", "end", "label", "token_start", "token_end")
                        if k in s
                    }
                    for s in spans
                    if isinstance(s, dict)
                ]
            }
    elif kind == "binary":
        if decided:
            value = {"label": row.get("label"), "accept": answer == "accept"}
    elif kind in ("classify", "image"):
        options = row.get("options")
        offered: list[str] = []
        if isinstance(options, list) and all(
            isinstance(o, dict) and o.get("id") == o.get("text") and isinstance(o.get("id"), str)
            for o in options
        ):
            # Options that are plain labels (what labeldesk exports from the batch's labels)
            # become the batch's labels, not a per-task override.
            offered = [str(o["id"]) for o in options]
            task.pop("options", None)
        if decided and isinstance(accept, list):
            value = {"labels": [str(x) for x in accept]}
            if kind == "image" and isinstance(row.get("description"), str):
                value["description"] = row["description"]
        return Converted(task, value, labels=offered)
    elif kind == "compare":
        ids = [
            str(o.get("id"))
            for o in row.get("options") or row.get("responses") or []
            if isinstance(o, dict)
        ]
        task.pop("options", None)
        if decided:
            value = {"shown_order": ids, "seed": 0}
            if isinstance(row.get("ranking"), list):
                value["ranking"] = [str(x) for x in row["ranking"]]
            elif row.get("outcome") in ("tie", "both_bad"):
                value["outcome"] = row["outcome"]
            elif isinstance(accept, list) and accept:
                value.update(outcome="win", winner=str(accept[0]))
            else:
                value = None
            if value is not None and isinstance(row.get("reason"), str) and row["reason"]:
                value["reason"] = row["reason"]
        task.pop("reason", None)
    elif kind == "rate":
        task.pop("options", None)
        if decided and isinstance(row.get("ratings"), dict):
            value = {"ratings": row["ratings"], "target": _rate_target(task)}
            if isinstance(row.get("note"), str):
                value["note"] = row["note"]
    elif kind == "write":
        if decided and isinstance(row.get("user_input"), str):
            value = {"text": row["user_input"]}
    elif kind in ("audio", "video") and decided:
        segments = [
            {"start_s": s.get("start"), "end_s": s.get("end"), "label": s.get("label")}
            for s in row.get("audio_spans") or []
            if isinstance(s, dict)
        ]
        value = {"segments": segments}
        if kind == "audio" and isinstance(row.get("transcript"), str):
            value["transcript"] = row["transcript"]
        if kind == "video" and isinstance(accept, list):
            value["labels"] = [str(x) for x in accept]
    return Converted(task, value)


# -- labeldesk's own export (jsonl, or csv/parquet rows with `task` and `value`) -------------


def is_labeldesk_export(row: dict[str, Any]) -> bool:
    return "task" in row and "value" in row and "answer" in row


def _json_field(value: object) -> object:
    if isinstance(value, str):
        if not value:
            return None
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            raise RowError(f"expected JSON text, got {value[:40]!r}") from None
    return value


def from_labeldesk(row: dict[str, Any], settings: ImportSettings) -> Converted:
    task = _json_field(row.get("task"))
    if not isinstance(task, dict):
        raise RowError("`task` must be a task object (labeldesk's export)")
    value = _json_field(row.get("value"))
    decided = row.get("answer") in ("accept", "reject")
    return Converted(dict(task), value if decided and isinstance(value, dict) else None)


# -- generic rows (CSV, Hugging Face JSONL/Parquet) ------------------------------------------


def from_table(row: dict[str, Any], settings: ImportSettings) -> Converted:
    if is_labeldesk_export(row):
        return from_labeldesk(row, settings)
    kind = settings.task_type
    task: dict[str, Any] = dict(row)
    text_field = settings.text_field
    if text_field is not None:
        if text_field not in row:
            raise RowError(f"no column {text_field!r} (columns: {', '.join(map(str, row))[:200]})")
        if row[text_field] is None or (
            isinstance(row[text_field], str) and not row[text_field].strip()
        ):
            raise RowError(f"the {text_field!r} column is empty: there is nothing to label")
        task.pop(text_field)
        target = kind if kind in MEDIA_TYPES else ("source" if kind == "write" else "text")
        task[target] = row[text_field]
    if settings.id_field is not None:
        if settings.id_field not in row:
            raise RowError(f"no column {settings.id_field!r}")
        task.pop(settings.id_field)
        task["id"] = row[settings.id_field]
    value = None
    if settings.label_field is not None:
        if settings.label_field not in row:
            raise RowError(f"no column {settings.label_field!r}")
        task.pop(settings.label_field)
        raw_label = row[settings.label_field]
        if raw_label not in (None, ""):
            labels = (
                [str(x) for x in raw_label] if isinstance(raw_label, list) else [str(raw_label)]
            )
            value = {"label": labels[0], "accept": True} if kind == "binary" else {"labels": labels}
    if "id" in task:
        task_id = _text_id(task["id"])
        if task_id is None:
            raise RowError(f"the id must be a non-empty string or number, got {task['id']!r}")
        task["id"] = task_id
    return Converted(task, value)
