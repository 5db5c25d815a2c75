"""Tokens of a span task: the task's own (Prodigy `tokens`) or a small regex tokenizer.

The tokenizer (no spaCy): every run of word characters (letters, digits, underscore, with
combining accents) is one token, and every other non-space character is a token by itself.
So "Noord-Holland" is three tokens and "Rutte's" is "Rutte", "'", "s": an entity never has
to include punctuation it does not want. It also splits at the boundaries of pre-set spans,
so every given span covers whole tokens.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TOKEN_RE = re.compile(r"(?:\w|[\u0300-\u036f])+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[Tok]:
    """Regex tokens of `text`, split again at every character offset in `cuts`."""
    cut_points = sorted(set(cuts))
    out: list[Tok] = []
    for match in TOKEN_RE.finditer(text):
        start, end = match.span()
        lo = bisect_right(cut_points, start)
        hi = bisect_left(cut_points, end)
        for cut in cut_points[lo:hi]:
            out.append(Tok(start, cut))
            start = cut
        out.append(Tok(start, end))
    return out


class TokenIndex:
    """Maps character offsets to token indices and back (tokens sorted, not overlapping)."""

    def __init__(self, tokens: Sequence[Tok]) -> None:
        self.tokens = list(tokens)
        self.starts = [t.start for t in self.tokens]
        self.ends = [t.end for t in self.tokens]

    def __len__(self) -> int:
        return len(self.tokens)

    def at_or_after(self, offset: int) -> int:
        """Index of the first token ending after `offset` (clamped to the last token)."""
        return min(bisect_right(self.ends, offset), len(self.tokens) - 1)

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) token overlapping characters [start, end), or None if none does."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        if first >= len(self.tokens) or last < first:
            return None
        return first, last

    def exact(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) token when [start, end) begins and ends on token boundaries."""
        first = bisect_left(self.starts, start)
        last = bisect_left(self.ends, end)
        if first >= len(self.tokens) or self.starts[first] != start:
            return None
        if last >= len(self.tokens) or self.ends[last] != end or last < first:
            return None
        return first, last
