"""The editing state of one span task: tokens, spans, cursor and selection. No Textual here,
so every key path can be tested as plain Python; the view only maps keys and paints."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from task_types.spans.tokens import Tok, TokenIndex

_SENTENCE_END = frozenset(".!?…")
# Lower-case particles inside Dutch and other names ("Frans van der Berg", "Ludwig van
# Beethoven", "Huis ten Bosch"): part of a name only between two capitalised words.
NAME_PARTICLES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "ter",
        "ten",
        "te",
        "het",
        "'t",
        "von",
        "zu",
        "da",
        "di",
        "del",
        "la",
        "le",
        "du",
        "des",
        "dos",
        "y",
        "bin",
        "al",
    ]
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str
    token_start: int
    token_end: int

    def as_value(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "token_start": self.token_start,
            "token_end": self.token_end,
        }


class SpanEditor:
    def __init__(self, text: str, tokens: list[Tok], spans: list[tuple[int, int, str]]) -> None:
        self.text = text
        self.index = TokenIndex(tokens)
        self.tokens = self.index.tokens
        self.spans: list[Span] = []
        for start, end, label in spans:
            span = self._make(start, end, label)
            if span is not None and span not in self.spans:
                self.spans.append(span)
        self.spans.sort(key=lambda s: (s.start, s.end))
        self.cursor = 0
        self.anchor: int | None = None  # set while a selection is being extended
        self.sentence_starts = self._sentence_starts()

    def _make(self, start: int, end: int, label: str) -> Span | None:
        found = self.index.covering(start, end)
        if found is None:
            return None
        return Span(start, end, label, found[0], found[1])

    def _sentence_starts(self) -> list[int]:
        starts = [0]
        for i in range(1, len(self.tokens)):
            before, tok = self.tokens[i - 1], self.tokens[i]
            gap = self.text[before.end : tok.start]
            ended = self.text[before.start : before.end] in _SENTENCE_END and gap != ""
            if ended or "\n" in gap:
                starts.append(i)
        return starts

    # -- selection -------------------------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int]:
        """First and last token selected (the cursor token alone when not extending)."""
        other = self.cursor if self.anchor is None else self.anchor
        return min(other, self.cursor), max(other, self.cursor)

    def selection_chars(self) -> tuple[int, int]:
        lo, hi = self.selection
        return self.tokens[lo].start, self.tokens[hi].end

    def move_to(self, token: int, extend: bool = False) -> None:
        token = max(0, min(token, len(self.tokens) - 1))
        if extend and self.anchor is None:
            self.anchor = self.cursor
        elif not extend:
            self.anchor = None
        self.cursor = token

    def cancel(self) -> bool:
        had = self.anchor is not None
        self.anchor = None
        return had

    # -- jumps -----------------------------------------------------------------------------
    def sentence_back(self) -> int:
        """The start of the cursor's sentence, or of the previous one when already there."""
        before = [s for s in self.sentence_starts if s < self.cursor]
        return before[-1] if before else 0

    def sentence_next(self) -> int:
        after = [s for s in self.sentence_starts if s > self.cursor]
        return after[0] if after else len(self.tokens) - 1

    def span_jump(self, forward: bool) -> int | None:
        if forward:
            ahead = [s.token_start for s in self.spans if s.token_start > self.cursor]
            return min(ahead) if ahead else None
        behind = [s.token_start for s in self.spans if s.token_start < self.cursor]
        return max(behind) if behind else None

    def capitalised(self, token: int) -> bool:
        """Whether a token starts with a capital letter ('s-Hertogenbosch: the H counts)."""
        tok = self.tokens[token]
        letters = [c for c in self.text[tok.start : tok.end] if c.isalpha()]
        word = self.text[tok.start : tok.end]
        first = word.split("-", 1)[1][:1] if word[:1] in "'\u2019" and "-" in word else None
        return bool(letters) and ((first or letters[0]).isupper())

    def _joined(self, a: int, b: int) -> bool:
        """Tokens a and b (b = a + 1) are separated by spaces only, on one line."""
        gap = self.text[self.tokens[a].end : self.tokens[b].start]
        return gap != "" and gap.strip(" \t\u00a0") == ""

    def name_run(self, first: int) -> int:
        """The last token of the name starting at `first`: capitalised words separated by
        spaces, with particles (van, der, ...) between two of them."""
        last, probe = first, first + 1
        while probe < len(self.tokens) and self._joined(probe - 1, probe):
            if self.capitalised(probe):
                last = probe
            elif self._word(probe) not in NAME_PARTICLES:
                break
            probe += 1
        return last

    def _word(self, token: int) -> str:
        tok = self.tokens[token]
        return self.text[tok.start : tok.end]

    def _name_starts(self) -> list[int]:
        starts = []
        for i in range(len(self.tokens)):
            if not self.capitalised(i):
                continue
            j = i - 1
            while j >= 0 and self._joined(j, j + 1) and self._word(j) in NAME_PARTICLES:
                j -= 1
            if j >= 0 and self._joined(j, j + 1) and self.capitalised(j):
                continue  # inside a name that started earlier
            starts.append(i)
        return starts

    def name_jump(self, forward: bool) -> tuple[int, int] | None:
        """(first, last) token of the next (or previous) name: a capitalised word and the
        capitalised words after it. None: no name that way."""
        lo = self.selection[0]
        starts = self._name_starts()
        found = [t for t in starts if t > lo] if forward else [t for t in starts if t < lo]
        if not found:
            return None
        first = found[0] if forward else found[-1]
        return first, self.name_run(first)

    def search(self, query: str) -> tuple[int, int] | None:
        """(first, last) token of the next match of `query` (case-insensitive) after the
        selection's start, wrapping round; None when the text has no match."""
        if not query.strip():
            return None
        pattern = re.compile(re.escape(query.strip()), re.IGNORECASE)
        begin = self.tokens[self.selection[0]].start + 1 if self.tokens else 0
        match = pattern.search(self.text, begin) or pattern.search(self.text)
        if match is None:
            return None
        return self.index.covering(match.start(), match.end())

    def select(self, first: int, last: int) -> None:
        """Select tokens first..last (a label key then marks them)."""
        self.anchor = None
        self.cursor = first
        if last > first:
            self.move_to(last, extend=True)

    # -- spans -----------------------------------------------------------------------------
    def spans_at(self, token: int) -> list[Span]:
        return [s for s in self.spans if s.token_start <= token <= s.token_end]

    def span_at_cursor(self) -> Span | None:
        """The innermost span under the cursor (pre-set spans may overlap)."""
        here = self.spans_at(self.cursor)
        return min(here, key=lambda s: s.end - s.start) if here else None

    def apply_label(self, label: str) -> tuple[str, Span]:
        """Relabel the span under the cursor, or mark the selection (replacing every span it
        overlaps, as Prodigy's manual NER does). Returns ("relabeled" | "marked", span)."""
        current = self.span_at_cursor()
        if self.anchor is None and current is not None:
            new = Span(current.start, current.end, label, current.token_start, current.token_end)
            self.spans[self.spans.index(current)] = new
            return "relabeled", new
        lo, hi = self.selection
        start, end = self.tokens[lo].start, self.tokens[hi].end
        self.spans = [s for s in self.spans if s.token_end < lo or s.token_start > hi]
        new = Span(start, end, label, lo, hi)
        self.spans.append(new)
        self.spans.sort(key=lambda s: (s.start, s.end))
        self.anchor = None
        self.cursor = hi
        return "marked", new

    def delete(self) -> list[Span]:
        """Delete the span under the cursor, or every span the extended selection touches."""
        if self.anchor is None:
            current = self.span_at_cursor()
            gone = [current] if current is not None else []
        else:
            lo, hi = self.selection
            gone = [s for s in self.spans if not (s.token_end < lo or s.token_start > hi)]
            self.anchor = None
        self.spans = [s for s in self.spans if s not in gone]
        return gone

    def value(self) -> dict[str, Any]:
        return {"spans": [s.as_value() for s in self.spans]}
