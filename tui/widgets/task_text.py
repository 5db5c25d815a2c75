"""Task text, shown literally (no markup, no control sequences), with optional highlights.

Spans are shown as text as well as colour: `[Den Haag]LOC`, so labels stay apart in 16
colours, under NO_COLOR and for colour-blind annotators (tagged()). A label's colour is its
place in the batch's label list, or a stable hash of its name (zlib.crc32, the same in every
process; Python's hash() of a str is salted per process).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text

from tui.core.safe_text import visible_aligned

SPAN_STYLES = (
    "black on #8fbcbb",
    "black on #ebcb8b",
    "black on #b48ead",
    "black on #a3be8c",
    "black on #d08770",
)


def label_style_index(label: str | None, labels: Sequence[str] = ()) -> int:
    """The SPAN_STYLES index of a label: its place in the list, else a stable hash."""
    if label is not None and label in labels:
        return list(labels).index(label) % len(SPAN_STYLES)
    return zlib.crc32((label or "").encode("utf-8")) % len(SPAN_STYLES)


def literal_text(value: str, style: str = "") -> Text:
    """rich Text from untrusted content: never parsed as markup, control chars made visible."""
    return Text(visible_aligned(value), style=style)


@dataclass(frozen=True, slots=True)
class Tagged:
    """A text with span tags inserted: `shown`, where each text offset went (`pos`, one more
    than the text's length), which text offset each shown offset stands for (`back`: a
    tag's characters stand for the text character after them), and per span (in the order
    given) the shown range it covers, tags included."""

    shown: str
    pos: list[int]
    back: list[int]
    ranges: list[tuple[int, int]]


def tagged(text: str, spans: Sequence[tuple[int, int, str | None]]) -> Tagged:
    """Insert `[` before each span and `]LABEL` after it. At one offset closing tags come
    before opening brackets; of spans opening together the longer opens first, of spans
    closing together the shorter closes first, so nesting reads right."""
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for n, (start, end, _) in enumerate(spans):
        if 0 <= start < end <= len(text):
            opens.setdefault(start, []).append(n)
            closes.setdefault(end, []).append(n)
    for ns in opens.values():
        ns.sort(key=lambda n: spans[n][0] - spans[n][1])  # longer first
    for ns in closes.values():
        ns.sort(key=lambda n: spans[n][1] - spans[n][0])  # shorter first
    pieces: list[str] = []
    pos: list[int] = []
    back: list[int] = []
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    size = 0
    cuts = sorted(set(opens) | set(closes) | {len(text)})
    previous = 0
    for cut in cuts:
        chunk = text[previous:cut]
        pieces.append(chunk)
        pos.extend(range(size, size + len(chunk)))
        back.extend(range(previous, cut))
        size += len(chunk)
        for n in closes.get(cut, []):
            tag = f"]{spans[n][2] or ''}"
            pieces.append(tag)
            back.extend([cut] * len(tag))
            size += len(tag)
            last[n] = size
        for n in opens.get(cut, []):
            pieces.append("[")
            back.append(cut)
            first[n] = size
            size += 1
        previous = cut
    pos.append(size)
    back.append(len(text))
    ranges = [(first.get(n, 0), last.get(n, 0)) for n in range(len(spans))]
    return Tagged("".join(pieces), pos, back, ranges)


def highlighted(
    value: str, spans: Iterable[tuple[int, int, str | None]], labels: list[str] | None = None
) -> Text:
    """The text with each span coloured by its label and tagged with its name."""
    given = [s for s in spans if 0 <= s[0] < s[1] <= len(value)]
    tags = tagged(visible_aligned(value), given)
    text = Text(tags.shown)
    order = labels or []
    # Longest first, so a nested span paints over the one around it.
    for n in sorted(range(len(given)), key=lambda n: given[n][0] - given[n][1]):
        label = given[n][2]
        start, end = tags.ranges[n]
        text.stylize(SPAN_STYLES[label_style_index(label, order)], start, end)
        if label:
            text.stylize("bold", start, end)
    return text
