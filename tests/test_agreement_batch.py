"""Agreement over a batch's results: categories, pairs, per label, spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_audit_support import make_batch, result, write_results
from tui.core.audit.agreement import agreement_report


def test_agreement_figures_by_hand(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", labels=("pos", "neg"))
    pos, neg = {"labels": ["pos"]}, {"labels": ["neg"]}
    write_results(
        folder,
        [
            result("anna", "t1", pos),
            result("bob", "t1", pos),
            result("carl", "t1", pos),
            result("anna", "t2", neg),
            result("bob", "t2", neg),
            result("carl", "t2", None, answer="skip"),
            result("anna", "t3", pos),
            result("bob", "t3", neg),
            result("anna", "t4", neg),
            result("bob", "t4", neg),
            result("anna", "t5", pos),  # one rating only: not shared
        ],
    )
    report = agreement_report(folder)
    assert report.shared_items == 4
    pairs = {(p.a, p.b): p for p in report.pairs}
    # anna/bob: p_o = 3/4; anna pos 2 neg 2, bob pos 1 neg 3: p_e = 8/16; kappa = 0.5.
    assert pairs[("anna", "bob")].observed == pytest.approx(0.75)
    assert pairs[("anna", "bob")].kappa == pytest.approx(0.5)
    # anna/carl share t1 only, both pos: chance agreement 1, kappa undefined.
    assert pairs[("anna", "carl")].items == 1 and pairs[("anna", "carl")].kappa is None
    # Coincidences: pos-pos 3 (t1), neg-neg 2 + 2, pos-neg 1 + 1; n_pos 4, n_neg 5, n 9:
    # alpha = 1 - 8 * 2 / (2 * 4 * 5) = 0.6.
    assert report.overall is not None
    assert report.overall.alpha == pytest.approx(0.6)
    # Fleiss over the 3 items with 2 ratings: t2 agree, t3 disagree, t4 agree;
    # P-bar = 2/3, shares pos 1/6, neg 5/6, P-e = 26/36; kappa = (2/3 - 26/36) / (10/36) = -0.2.
    assert (report.overall.fleiss_items, report.overall.fleiss_raters) == (3, 2)
    assert report.overall.fleiss == pytest.approx(-0.2)
    per_label = {x.label: x for x in report.per_label}
    assert list(per_label) == ["pos", "neg"]
    assert per_label["pos"].alpha == pytest.approx(0.6)


def test_span_f1_between_pairs(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "s", task_type="spans", labels=("PER", "LOC"))

    def spans(*triples: tuple[int, int, str]) -> dict[str, object]:
        return {
            "spans": [
                {"start": s, "end": e, "label": lab, "token_start": 0, "token_end": 0}
                for s, e, lab in triples
            ]
        }

    write_results(
        folder,
        [
            result("anna", "t1", spans((0, 4, "PER"), (10, 15, "LOC")), task_type="spans"),
            result("bob", "t1", spans((0, 4, "PER"), (9, 15, "LOC")), task_type="spans"),
            result("anna", "t2", spans((3, 8, "PER")), task_type="spans"),
            result("bob", "t2", spans(), task_type="spans"),
        ],
    )
    (pair,) = agreement_report(folder).pairs
    assert pair.span_exact is not None and pair.span_overlap is not None
    # Exact: 1 match, 3 spans by anna, 2 by bob: F1 = 2 * 1 / 5.
    assert pair.span_exact.f1 == pytest.approx(0.4)
    # Overlap: 2 of anna's 3 matched, both of bob's: P 1, R 2/3, F1 0.8.
    assert pair.span_overlap.f1 == pytest.approx(0.8)


def test_nothing_shared_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b")
    report = agreement_report(folder)
    assert report.overall is None
    assert "no results files" in str(report.problems[0])
    write_results(folder, [result("anna", "t1", {"labels": ["pos"]})])
    assert "two or more annotators" in str(agreement_report(folder).problems[0])
