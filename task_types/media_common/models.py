"""Time segments of video and audio items, and the cursor/mark editor that makes them.

No Textual here: the editor is plain Python, so its rules are tested without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tui.core.i18n import _

# Two points closer than this are the same point (a segment must be longer).
EPSILON_S = 0.01


class Segment(BaseModel):
    """A labelled stretch of time: [start_s, end_s) in seconds from the start of the file."""

    model_config = ConfigDict(extra="forbid")
    start_s: float = Field(ge=0)
    end_s: float = Field(ge=0)
    label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Segment:
        if self.end_s - self.start_s < EPSILON_S:
            raise ValueError(
                _("a segment must end after it starts (start_s={start_s}, end_s={end_s})").format(
                    start_s=self.start_s, end_s=self.end_s
                )
            )
        return self


def steps_for(duration_s: float) -> tuple[float, float]:
    """(small, large) cursor steps for a file of this length: ~1/40 and ~1/8 of it, the small
    one between 0.1 s and 1 s, the large one at least 1 s (and never below the small one)."""
    small = min(1.0, max(0.1, duration_s / 40))
    large = max(small, 1.0, duration_s / 8)
    return round(small, 2), round(large, 2)


@runtime_checkable
class WithSegments(Protocol):
    """An answer model with timed segments: audio's and video's."""

    segments: list[Segment]


@dataclass
class SegmentEditor:
    """The time cursor, the in/out marks and the segments of one item."""

    duration_s: float | None = None  # None until probed (or when it cannot be)
    segments: list[Segment] = field(default_factory=list)
    cursor_s: float = 0.0
    mark_in: float | None = None
    mark_out: float | None = None

    @property
    def known(self) -> bool:
        return self.duration_s is not None and self.duration_s > 0

    def move_to(self, t: float) -> float:
        end = self.duration_s or 0.0
        self.cursor_s = round(min(max(0.0, t), end), 3)
        return self.cursor_s

    def step(self, n_small: int = 0, n_large: int = 0) -> float:
        small, large = steps_for(self.duration_s or 0.0)
        return self.move_to(self.cursor_s + n_small * small + n_large * large)

    def set_in(self) -> float:
        self.mark_in = self.cursor_s
        if self.mark_out is not None and self.mark_out <= self.mark_in:
            self.mark_out = None
        return self.mark_in

    def set_out(self) -> float:
        self.mark_out = self.cursor_s
        if self.mark_in is not None and self.mark_in >= self.mark_out:
            self.mark_in = None
        return self.mark_out

    def clear_marks(self) -> bool:
        had = self.mark_in is not None or self.mark_out is not None
        self.mark_in = self.mark_out = None
        return had

    def marked_range(self) -> tuple[float, float] | None:
        """The range a label key would label: in..out, in..cursor, or cursor..out."""
        if self.mark_in is None and self.mark_out is None:
            return None
        start = self.mark_in if self.mark_in is not None else self.cursor_s
        end = self.mark_out if self.mark_out is not None else self.cursor_s
        start, end = min(start, end), max(start, end)
        if end - start < EPSILON_S:
            return None
        return start, end

    def at_cursor(self) -> int | None:
        """Index of the latest-starting segment that contains the cursor."""
        hits = [i for i, s in enumerate(self.segments) if s.start_s <= self.cursor_s < s.end_s] or [
            i for i, s in enumerate(self.segments) if s.end_s == self.cursor_s
        ]
        return max(hits, key=lambda i: self.segments[i].start_s) if hits else None

    def apply_label(self, label: str) -> tuple[str, Segment | None]:
        """A label key: labels the marked range (a new segment), else relabels the segment
        under the cursor. Returns (what happened, the segment) for the status line."""
        rng = self.marked_range()
        if rng is not None:
            seg = Segment(start_s=round(rng[0], 3), end_s=round(rng[1], 3), label=label)
            self.segments.append(seg)
            self.segments.sort(key=lambda s: (s.start_s, s.end_s))
            self.mark_in = self.mark_out = None
            return "added", seg
        if self.mark_in is not None or self.mark_out is not None:
            # A mark is set but the range is empty: the annotator meant a new segment, so
            # relabelling the segment under the cursor would change the wrong thing.
            return "empty range", None
        hit = self.at_cursor()
        if hit is not None:
            old = self.segments[hit]
            self.segments[hit] = Segment(start_s=old.start_s, end_s=old.end_s, label=label)
            return "relabelled", self.segments[hit]
        return "nothing", None

    def delete_at_cursor(self) -> Segment | None:
        hit = self.at_cursor()
        if hit is None:
            return None
        return self.segments.pop(hit)

    def boundaries(self) -> list[float]:
        return sorted({t for s in self.segments for t in (s.start_s, s.end_s)})

    def values(self) -> list[dict[str, float | str]]:
        return [s.model_dump() for s in self.segments]
