"""The shared reader's inline path for common lines (result_lines._plain) accepts only what the
full check accepts, with the same ResultLine: any JSON in any field (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.result_lines import ResultLine, _plain, check_fully, check_result_line

FIELDS = (
    "task_id",
    "answer",
    "batch_id",
    "annotator",
    "task_type",
    "submitted_at",
    "started_at",
    "value",
    "flag",
    "active_ms",
    "revision",
    "restored_revision",
    "keys",
    "gold_correct",
    "shown_ms",
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.sampled_from(["accept", "reject", "skip", "flag", "undone", " ", "t-1"]),
    st.sampled_from([0, 1, 2, 10**9, 10**9 + 1, 30 * 24 * 3600 * 1000, 30 * 24 * 3600 * 1000 + 1]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
GOOD = {
    "task_id": "t-1",
    "answer": "accept",
    "batch_id": "b",
    "annotator": "anna",
    "task_type": "classify",
    "submitted_at": "2026-11-22T10:00:03.240Z",
    "value": {"labels": ["x"]},
    "active_ms": 3000,
    "revision": 1,
    "keys": 2,
}


def _same(obj: dict[str, Any]) -> None:
    fast = _plain(obj, "f.jsonl", 7)
    full = check_fully(obj, "f.jsonl", 7)
    if fast is not None:
        assert isinstance(full, ResultLine), (obj, full)
        assert fast == full
    assert check_result_line(obj, "f.jsonl", 7) == full


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS)))
def test_any_line_gets_the_full_checks_verdict(obj: dict[str, Any]) -> None:
    _same(obj)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(FIELDS), values)
def test_a_good_line_with_one_field_changed(name: str, value: object) -> None:
    _same({**GOOD, name: value})


def test_the_common_line_takes_the_inline_path() -> None:
    assert _plain(dict(GOOD), "f.jsonl", 1) is not None
    assert _plain({**GOOD, "flag": {"reason": "other", "note": ""}}, "f.jsonl", 1) is None
