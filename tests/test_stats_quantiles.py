"""stats' median and p90 read by rank from a Counter (tui.core.stats.scan._median_p90) are
exactly quantile() of the sorted times, with repeated and with distinct values."""

from __future__ import annotations

from array import array

from hypothesis import given
from hypothesis import strategies as st

from tui.core.kpi.numbers import quantile
from tui.core.stats.scan import _median_p90


@given(
    st.one_of(
        st.lists(st.integers(min_value=0, max_value=5), max_size=200),
        st.lists(st.integers(min_value=0, max_value=2**40), max_size=200),
    )
)
def test_median_p90_equals_quantile_of_sorted(values: list[int]) -> None:
    ordered = sorted(values)
    expected = (quantile(ordered, 0.5), quantile(ordered, 0.9))
    assert _median_p90(array("q", values)) == expected


def test_repeated_times_read_by_rank() -> None:
    # 3 distinct values in 100: read by rank, not sorted; between ranks it interpolates.
    times = array("q", [9000] * 10 + [1000] * 50 + [2000] * 40)
    median, p90 = _median_p90(times)
    assert median == 1500.0  # between rank 49 (1000) and 50 (2000)
    assert p90 == quantile(sorted(times), 0.9)
    assert p90 is not None and 2699.9 < p90 < 2700.1  # 2000 + (9000 - 2000) * 0.1
