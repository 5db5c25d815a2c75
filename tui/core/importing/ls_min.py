"""Label Studio's JSON-MIN export as import rows: one flat object per annotation, the task's
data fields side by side with one key per control (its `from_name`) holding that control's
result in short form:

- Choices: the choice as a string when there is one, else `{"choices": [...]}`;
- TextArea: the text as a string when there is one;
- region controls (Labels, TimelineLabels, RectangleLabels, ...), Rating, Ranker, Pairwise:
  a list of their result values (`[{"start", "end", "text", "labels"}]`, `[{"rating": 4}]`),
  as labeldesk's own export writes them too; a rating as a bare number (what labeldesk's
  export wrote before it matched Label Studio's) is read as well;
- then `id` (Label Studio's task id), `annotator`, `annotation_id`, `created_at`,
  `updated_at`, `lead_time` (and `agreement`); labeldesk's export adds `task_id`, `answer`
  and `flag`.

JSON-MIN does not say which keys are controls: a key is one when `--controls` names it, when
it is a control name of labeldesk's own config for the task type (`label`, `decision`,
`note`, ...), or when its value has a result's shape (a list of result values, a
`{"choices": ...}` object). The row is then read as a full export's annotation would be, so
pre-annotations come out the same way (pre-set spans, a proposed label, ...).
"""

from __future__ import annotations

from typing import Any

from tui.core.i18n import _
from tui.core.importing.convert import (
    Converted,
    ImportSettings,
    RowError,
    from_label_studio,
)

# Keys Label Studio's JSON-MIN (and labeldesk's) adds to each row: not task data.
ANNOTATION_KEYS = frozenset(
    {
        "id",
        "annotator",
        "annotation_id",
        "created_at",
        "updated_at",
        "lead_time",
        "agreement",
        "history",
        "was_cancelled",
        "task_id",
        "answer",
        "flag",
    }
)
# labeldesk's own config names (tui/core/export/label_studio.py: labeling_config) per type.
OWN_CONTROLS: dict[str, tuple[str, ...]] = {
    "binary": ("decision",),
    "classify": ("label",),
    "spans": ("label",),
    "rate": ("note",),
    "compare": ("pick", "outcome", "rank", "reason"),
    "write": ("text",),
    "image": ("label", "description"),
    "audio": ("segment", "label", "transcript", "quality"),
    "video": ("segment", "label"),
}
TEXT_CONTROLS = frozenset({"note", "reason", "text", "description", "transcript"})
# The key of a result value that says its type (`{"rating": 4}` is a rating).
VALUE_TYPES = ("timelinelabels", "labels", "choices", "rating", "ranker", "selected", "text")


def _value_type(value: dict[str, Any]) -> str | None:
    for key in VALUE_TYPES:
        if key in value:
            if key == "selected":
                return "pairwise"
            if key == "text":
                # A TextArea's value is a list of texts; a `text` string is data (a
                # compare response {id, text}, a Labels region's covered text).
                return "textarea" if isinstance(value["text"], list) else None
            return key
    return next((k for k in value if k.endswith("labels") and isinstance(value[k], list)), None)


def _looks_like_result(value: object) -> bool:
    if isinstance(value, dict):
        return "choices" in value or ("text" in value and isinstance(value["text"], list))
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(x, dict) and _value_type(x) is not None for x in value)
    )


def _items(name: str, value: object, kind: str) -> list[dict[str, Any]]:
    """One control's JSON-MIN value as full-export result items."""
    if isinstance(value, bool) or value is None:
        raise RowError(
            _("control {name!r}: expected a result, got {value!r}").format(name=name, value=value)
        )
    if isinstance(value, int | float):
        return [{"from_name": name, "type": "rating", "value": {"rating": value}}]
    if isinstance(value, str):
        text = name in TEXT_CONTROLS or kind == "write"
        if text:
            return [{"from_name": name, "type": "textarea", "value": {"text": [value]}}]
        return [{"from_name": name, "type": "choices", "value": {"choices": [value]}}]
    if isinstance(value, dict):
        typ = _value_type(value)
        if typ is None:
            raise RowError(
                _("control {name!r}: an object with none of {keys}").format(
                    name=name, keys=", ".join(VALUE_TYPES)
                )
            )
        return [{"from_name": name, "type": typ, "value": value}]
    if isinstance(value, list):
        items: list[dict[str, Any]] = []
        for element in value:
            if isinstance(element, str | dict):
                items += _items(name, element, kind)
            else:
                raise RowError(
                    _("control {name!r}: a list item is {what}, not a result").format(
                        name=name, what=type(element).__name__
                    )
                )
        return items
    raise RowError(
        _("control {name!r}: expected a result, got {what}").format(
            name=name, what=type(value).__name__
        )
    )


def from_label_studio_min(row: dict[str, Any], settings: ImportSettings) -> Converted:
    kind = settings.task_type
    named = set(settings.controls) | set(OWN_CONTROLS.get(kind, ()))
    if kind == "binary":
        named.discard("label")  # a binary task's `label` is data: the label asked about
    data: dict[str, Any] = {}
    results: list[dict[str, Any]] = []
    for key, value in row.items():
        if key in ANNOTATION_KEYS:
            continue
        rating = (
            kind == "rate"
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and key not in ("target", "fps")
        )  # older labeldesk JSON-MIN exports wrote a criterion's rating as a bare number
        if key in named or rating or _looks_like_result(value):
            if kind == "spans" and key == "label" and isinstance(value, str):
                data[key] = value  # not a Labels result: leave it with the data
                continue
            results += _items(key, value, kind)
        else:
            data[key] = value
    task_id = row.get("task_id")
    full: dict[str, Any] = {"data": data, "id": row.get("id")}
    if isinstance(task_id, str | int) and not isinstance(task_id, bool):
        full["meta"] = {"labeldesk_id": task_id}
    annotation: dict[str, Any] = {"id": row.get("annotation_id", "?"), "result": results}
    if row.get("answer") in ("skip", "flag") or row.get("was_cancelled") is True:
        annotation["was_cancelled"] = True
    full["annotations"] = [annotation]
    return from_label_studio(full, settings)
