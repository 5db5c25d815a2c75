"""Active time per item: a clock that only runs while the annotator is at work.

Every key press calls touch(). The time since the previous key counts towards the item in
focus, but at most `idle_threshold_s` of it: after that the clock is paused (the annotator
is away), and the next key resumes it without counting the idle gap beyond the threshold.
Reading an item without touching a key for up to the threshold therefore counts as work.
Time is attributed to whichever task has focus, so undo and edits add to the item they
concern. `now` is injectable so tests control the clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class ActiveClock:
    def __init__(
        self, idle_threshold_s: float = 30.0, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.idle_threshold_s = idle_threshold_s
        self._now = now
        self._last = now()
        self._focus: str | None = None
        self._pending: dict[str, float] = {}
        self.active_s = 0.0
        self.idle_s = 0.0
        self.keys: dict[str, int] = {}

    @property
    def focus_id(self) -> str | None:
        return self._focus

    def _settle(self) -> None:
        now = self._now()
        gap = max(0.0, now - self._last)
        counted = min(gap, self.idle_threshold_s)
        self.active_s += counted
        self.idle_s += gap - counted
        if self._focus is not None:
            self._pending[self._focus] = self._pending.get(self._focus, 0.0) + counted
        self._last = now

    def focus(self, task_id: str | None) -> None:
        """Attribute time from now on to task_id (time so far goes to the previous focus)."""
        self._settle()
        self._focus = task_id

    def reassign(self, to_task: str) -> None:
        """Move the time gathered for the item in focus to another item (an undo concerns
        the item it withdraws, not the one on screen when the key was pressed), and focus it."""
        self._settle()
        if self._focus is not None and self._focus != to_task:
            moved = self._pending.pop(self._focus, 0.0)
            self._pending[to_task] = self._pending.get(to_task, 0.0) + moved
            keys = self.keys.pop(self._focus, 0)
            self.keys[to_task] = self.keys.get(to_task, 0) + keys
        self._focus = to_task

    def touch(self) -> None:
        """A key was pressed: count the time since the last key (capped) and resume."""
        self._settle()
        if self._focus is not None:
            self.keys[self._focus] = self.keys.get(self._focus, 0) + 1

    def take(self, task_id: str) -> tuple[int, int]:
        """Active milliseconds and key count gathered for task_id since the last take()."""
        self._settle()
        seconds = self._pending.pop(task_id, 0.0)
        keys = self.keys.pop(task_id, 0)
        return round(seconds * 1000), keys

    def give_back(self, task_id: str, ms: int, keys: int) -> None:
        """Undo a take() whose answer could not be saved: the time and keys stay the item's."""
        self._pending[task_id] = self._pending.get(task_id, 0.0) + ms / 1000
        if keys:
            self.keys[task_id] = self.keys.get(task_id, 0) + keys

    @property
    def idle(self) -> bool:
        return self._now() - self._last > self.idle_threshold_s

    def idle_for(self) -> float:
        return max(0.0, self._now() - self._last)
