"""Validation's duplicate-id table (tui/core/first_seen.py): first lines right, collisions
told apart by the id itself, growth past the expected count."""

from __future__ import annotations

import random

import pytest

from tui.core import first_seen
from tui.core.first_seen import FirstSeen


def check(ids: list[str], expected: int) -> list[int]:
    table = FirstSeen(expected, ids.__getitem__)
    return [table.first_line(task_id, i, 10 + i) for i, task_id in enumerate(ids)]


def reference(ids: list[str]) -> list[int]:
    seen: dict[str, int] = {}
    return [seen.setdefault(task_id, 10 + i) for i, task_id in enumerate(ids)]


def test_first_lines_match_a_dict() -> None:
    rng = random.Random(7)
    ids = [f"t{rng.randrange(3000)}" for _ in range(5000)]
    assert check(ids, len(ids)) == reference(ids)


def test_growth_past_the_expected_count_keeps_every_first_line() -> None:
    ids = [f"id-{i % 700}" for i in range(2000)]
    assert check(ids, 3) == reference(ids)


def test_equal_hashes_are_not_duplicates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every id hashes alike: only the ids read back decide what is a duplicate."""
    monkeypatch.setattr(first_seen, "hash", lambda _value: 42, raising=False)
    ids = ["a", "b", "a", "c", "b", "d"]
    assert check(ids, len(ids)) == reference(ids) == [10, 11, 10, 13, 11, 15]
