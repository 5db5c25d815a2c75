"""Task text, shown literally (no markup, no control sequences), with optional highlights."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from tui.core.safe_text import visible_aligned

SPAN_STYLES = (
    "black on #8fbcbb",
    "black on #ebcb8b",
    "black on #b48ead",
    "black on #a3be8c",
    "black on #d08770",
)


def literal_text(value: str, style: str = "") -> Text:
    """rich Text from untrusted content: never parsed as markup, control chars made visible."""
    return Text(visible_aligned(value), style=style)


def highlighted(
    value: str, spans: Iterable[tuple[int, int, str | None]], labels: list[str] | None = None
) -> Text:
    text = literal_text(value)
    order = labels or []
    for start, end, label in spans:
        if 0 <= start < end <= len(value):
            idx = order.index(label) if label in order else (hash(label) % len(SPAN_STYLES))
            text.stylize(SPAN_STYLES[idx % len(SPAN_STYLES)], start, end)
            if label:
                text.stylize("bold", start, end)
    return text
