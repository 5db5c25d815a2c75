"""A task's `meta` as one short line for the card: which fields, in which order, how long.

Meta (source, model, topic, ...) helps judgement, as Prodigy's card corner shows. batch.toml
`show_meta` picks the fields (in that order; `[]` shows none); absent, every field is shown in
the file's order. Values pass through the one sanitizer: meta comes from a shared file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from tui.core.safe_text import visible

# One value never takes the whole line: a long one is cut, the next fields stay readable.
MAX_VALUE_CHARS = 40


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool) or value is None:
        text = str(value).lower() if value is not None else "null"
    elif isinstance(value, int | float):
        text = str(value)
    else:
        try:
            text = orjson.dumps(value).decode()
        except TypeError:
            text = repr(value)
    text = " ".join(visible(text).split())
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def meta_fields(meta: object, show: Sequence[str] | None) -> list[tuple[str, str]]:
    """(name, value) pairs to show, sanitized; empty when there is nothing to show."""
    if not isinstance(meta, Mapping):
        return []
    names = [str(k) for k in meta] if show is None else list(show)
    pairs = []
    for name in names:
        if name in meta and name != "sensitive":
            pairs.append((" ".join(visible(name).split()), _value_text(meta[name])))
    return pairs


def meta_line(meta: object, show: Sequence[str] | None) -> str:
    """ "source wiki · model gpt-x" (the card's meta line), or "" when nothing is shown."""
    return " · ".join(f"{name} {value}" for name, value in meta_fields(meta, show))
