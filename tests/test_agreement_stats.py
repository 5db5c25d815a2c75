"""Agreement measures against published worked examples."""

from __future__ import annotations

import pytest

from tui.core.audit.stats import (
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    krippendorff_alpha_nominal,
    span_agreement,
)


def test_cohen_kappa_wikipedia_50_items() -> None:
    # Source: Wikipedia, "Cohen's kappa", section "Simple example": 50 grant proposals read
    # by A and B; 20 yes/yes, 5 yes(A)/no(B), 10 no(A)/yes(B), 15 no/no; p_o = 0.7,
    # p_e = 0.5, kappa = 0.4.
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_cohen_kappa_wikipedia_same_agreement_different_kappa() -> None:
    # Source: Wikipedia, "Cohen's kappa", "Same percentages but different numbers": two tables
    # of 100 items, both with 60% agreement: (45, 15, 25, 15) -> 0.1304; (25, 35, 5, 35) ->
    # 0.2593.
    first = [("y", "y")] * 45 + [("y", "n")] * 15 + [("n", "y")] * 25 + [("n", "n")] * 15
    second = [("y", "y")] * 25 + [("y", "n")] * 35 + [("n", "y")] * 5 + [("n", "n")] * 35
    assert cohen_kappa(first) == pytest.approx(0.1304, abs=5e-5)
    assert cohen_kappa(second) == pytest.approx(0.2593, abs=5e-5)


def test_cohen_kappa_undefined_without_variation() -> None:
    assert cohen_kappa([("a", "a")] * 5) is None
    assert cohen_kappa([]) is None


# Source: Fleiss (1971), "Measuring nominal scale agreement among many raters", as worked on
# Wikipedia, "Fleiss' kappa", "Worked example": 10 subjects, 14 raters, 5 categories;
# column sums 20, 28, 39, 21, 32; P-bar = 0.378, P-bar-e = 0.213, kappa = 0.210.
FLEISS_WIKIPEDIA = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_wikipedia_example() -> None:
    assert fleiss_kappa(FLEISS_WIKIPEDIA) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_table_from_ratings_gives_the_same_kappa() -> None:
    units = [[c for c, count in enumerate(row) for _ in range(count)] for row in FLEISS_WIKIPEDIA]
    assert fleiss_table(units) == FLEISS_WIKIPEDIA
    assert fleiss_kappa(fleiss_table(units)) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_kappa_refuses_unequal_rater_counts() -> None:
    with pytest.raises(ValueError, match="subject 1 has 2, the first has 3"):
        fleiss_kappa([[3, 0], [1, 1]])


def test_fleiss_two_raters_equals_scotts_pi() -> None:
    # With two raters Fleiss' kappa is Scott's pi: Wikipedia 50-item table above,
    # pooled shares yes 0.55, no 0.45 -> p_e = 0.505, pi = (0.7 - 0.505) / 0.495.
    units = [["y", "y"]] * 20 + [["y", "n"]] * 15 + [["n", "n"]] * 15
    assert fleiss_kappa(fleiss_table(units)) == pytest.approx(0.195 / 0.495)


def test_krippendorff_alpha_nominal_with_missing_values() -> None:
    # Source: Krippendorff, K. (2011), "Computing Krippendorff's Alpha-Reliability",
    # section C ("Nominal data, any number of observers, missing values"): 4 observers,
    # 12 units, alpha_nominal = 0.743. Rows are observers A-D, None is a missing value.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    units = [[v for v in column if v is not None] for column in zip(a, b, c, d, strict=True)]
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_alpha_binary_two_observers() -> None:
    # Source: Krippendorff (2011), section A ("Binary data, two observers, no missing data"):
    # 10 units, alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha_nominal([[x, y] for x, y in zip(a, b, strict=True)]) == pytest.approx(
        0.095, abs=5e-4
    )


def test_krippendorff_alpha_undefined_with_one_category() -> None:
    assert krippendorff_alpha_nominal([["x", "x"], ["x", "x"]]) is None
    assert krippendorff_alpha_nominal([["x"]]) is None


def test_span_agreement_exact_and_overlap() -> None:
    a = {(0, 5, "PER"), (10, 15, "LOC"), (20, 25, "ORG")}
    b = {(0, 5, "PER"), (11, 15, "LOC"), (30, 35, "ORG")}
    exact = span_agreement([(a, b)], overlap=False)
    assert (exact.matched_a, exact.matched_b) == (1, 1)
    assert exact.f1 == pytest.approx(1 / 3)
    loose = span_agreement([(a, b)], overlap=True)
    assert (loose.matched_a, loose.matched_b) == (2, 2)
    assert loose.f1 == pytest.approx(2 / 3)
    # Same characters, different label: no match in either mode.
    other = span_agreement([({(0, 5, "PER")}, {(0, 5, "ORG")})], overlap=True)
    assert other.f1 == 0.0
    assert span_agreement([(set(), set())], overlap=False).f1 is None
