"""Inter-annotator agreement measures, in plain Python (exact sums, no numpy to import).

Every measure returns None where it is undefined (no data, or no variation to agree on:
kappa with chance agreement 1, alpha with a single category), rather than a made-up number.
Checked against published worked examples in tests/test_agreement_stats.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa for two raters; `pairs` holds (rater A's category, rater B's) per item."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    chance = sum(first[c] * second[c] for c in first) / (n * n)
    if chance >= 1:
        return None
    return (observed - chance) / (1 - chance)


def fleiss_table(units: Iterable[Sequence[Hashable]]) -> list[list[int]]:
    """Subject x category counts from each subject's ratings (categories in sorted order)."""
    units = [list(u) for u in units]
    categories = sorted({c for u in units for c in u}, key=repr)
    return [[Counter(u)[c] for c in categories] for u in units]


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa from a subjects x categories table of counts; every subject must have the
    same number of ratings (at least 2)."""
    if not table:
        return None
    raters = sum(table[0])
    if raters < 2:
        raise ValueError("Fleiss' kappa needs at least 2 ratings per subject")
    for index, row in enumerate(table):
        if sum(row) != raters:
            raise ValueError(
                f"Fleiss' kappa needs the same number of ratings per subject: subject {index} "
                f"has {sum(row)}, the first has {raters}"
            )
    subjects = len(table)
    agreement = (
        sum((sum(x * x for x in row) - raters) / (raters * (raters - 1)) for row in table)
        / subjects
    )
    columns = len(table[0])
    shares = [sum(row[j] for row in table) / (subjects * raters) for j in range(columns)]
    chance = sum(p * p for p in shares)
    if chance >= 1:
        return None
    return (agreement - chance) / (1 - chance)


def krippendorff_alpha_nominal(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Krippendorff's alpha for nominal data. Each unit lists the values it received (missing
    ratings simply left out); units with fewer than two values are unpairable and ignored."""
    pairable = [Counter(u) for u in units if len(u) >= 2]
    totals: Counter[Hashable] = Counter()
    disagreement_observed = 0.0
    for counts in pairable:
        m = sum(counts.values())
        totals.update(counts)
        # Ordered pairs of different values within the unit, each weighted 1/(m-1).
        disagreement_observed += (m * m - sum(c * c for c in counts.values())) / (m - 1)
    n = sum(totals.values())
    if n < 2:
        return None
    disagreement_expected = n * n - sum(c * c for c in totals.values())
    if disagreement_expected == 0:
        return None
    return 1 - (n - 1) * disagreement_observed / disagreement_expected


Span = tuple[int, int, str]


@dataclass(frozen=True)
class SpanScore:
    """Agreement of two annotators' spans, pooled over items (micro average). Precision and
    recall take the first annotator as reference; F1 is symmetric."""

    spans_a: int
    spans_b: int
    matched_a: int
    matched_b: int

    @property
    def precision(self) -> float | None:
        return self.matched_b / self.spans_b if self.spans_b else None

    @property
    def recall(self) -> float | None:
        return self.matched_a / self.spans_a if self.spans_a else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def _overlaps(x: Span, y: Span) -> bool:
    return x[2] == y[2] and x[0] < y[1] and y[0] < x[1]


def span_agreement(items: Iterable[tuple[set[Span], set[Span]]], *, overlap: bool) -> SpanScore:
    """Exact match: same start, end and label. Overlap match: same label and at least one
    shared character; a span counts as matched once however many spans it overlaps."""
    spans_a = spans_b = matched_a = matched_b = 0
    for a, b in items:
        spans_a += len(a)
        spans_b += len(b)
        if overlap:
            matched_a += sum(1 for x in a if any(_overlaps(x, y) for y in b))
            matched_b += sum(1 for y in b if any(_overlaps(x, y) for x in a))
        else:
            common = len(a & b)
            matched_a += common
            matched_b += common
    return SpanScore(spans_a, spans_b, matched_a, matched_b)
