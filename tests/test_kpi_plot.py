"""The text column chart."""

from __future__ import annotations

import pytest

from tui.core.plot import column_chart, resample


def test_chart_shape_and_levels() -> None:
    chart = column_chart([0, 4, 8], height=2, width=10, first_label="a", last_label="b")
    assert chart.splitlines() == [
        "8 ┤  █",
        "0 ┤ ██",
        "  └───",
        "   a b",
    ]


def test_axis_labels_span_the_columns() -> None:
    chart = column_chart([1] * 12, height=1, width=20, first_label="09h", last_label="17h")
    assert chart.splitlines()[-1] == "   09h      17h"


def test_small_values_stay_visible_and_bad_values_are_zero() -> None:
    chart = column_chart([1000, 1, float("nan"), -5], height=1, width=10)
    assert chart.splitlines()[0] == "1000 ┤█▁"


def test_resample_averages_and_never_stretches() -> None:
    assert resample([1, 3, 5, 7], 2) == [2, 6]
    assert resample([1, 2], 10) == [1, 2]
    assert len(column_chart(list(range(500)), width=60).splitlines()[1]) <= 60 + 6
    with pytest.raises(ValueError):
        resample([1], 0)


def test_empty() -> None:
    assert column_chart([]) == ""
