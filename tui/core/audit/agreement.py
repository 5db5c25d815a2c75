"""Agreement between annotators who answered the same items of a batch.

A rating is an annotator's latest accept/reject answer to a task (skip, flag and undone are
missing ratings). Its category is `label_key`: the label set the task type reports. Per label,
the rating becomes presence of that label against its absence (one-vs-rest); labels no
shared item carries are left out.

- Cohen's kappa for every pair of annotators, over the items both rated;
- Krippendorff's alpha (nominal) over every item with two or more ratings (it allows
  missing ratings, so it is the headline figure);
- Fleiss' kappa needs the same number of ratings per item: it is computed over the items
  with the most common rating count (ties: the larger count), and says how many those are;
- for span answers, exact and overlap span F1 for every pair.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from statistics import fmean
from typing import Any

from tui.core.audit.inputs import label_key, load_answers, read_batch_info, task_type_for
from tui.core.audit.stats import (
    Span,
    SpanScore,
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    krippendorff_alpha_nominal,
    span_agreement,
)
from tui.core.i18n import _
from tui.core.problems import BatchError, Problem
from tui.core.records import ResultRecord

OVERALL = "(all labels)"


@dataclass
class PairAgreement:
    a: str
    b: str
    items: int
    observed: float | None
    kappa: float | None
    span_exact: SpanScore | None = None
    span_overlap: SpanScore | None = None

    def to_json_dict(self) -> dict[str, Any]:
        def spans(score: SpanScore | None) -> dict[str, Any] | None:
            if score is None:
                return None
            return {
                "precision": score.precision,
                "recall": score.recall,
                "f1": score.f1,
                "spans_a": score.spans_a,
                "spans_b": score.spans_b,
            }

        return {
            "a": self.a,
            "b": self.b,
            "items": self.items,
            "observed": self.observed,
            "cohen_kappa": self.kappa,
            "span_exact": spans(self.span_exact),
            "span_overlap": spans(self.span_overlap),
        }


@dataclass
class LabelAgreement:
    """Agreement on one label (presence) or, for OVERALL, on the whole category."""

    label: str
    items: int
    alpha: float | None
    fleiss: float | None
    fleiss_items: int
    fleiss_raters: int
    mean_pair_kappa: float | None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "items": self.items,
            "krippendorff_alpha": self.alpha,
            "fleiss_kappa": self.fleiss,
            "fleiss_items": self.fleiss_items,
            "fleiss_raters": self.fleiss_raters,
            "mean_pair_cohen_kappa": self.mean_pair_kappa,
        }


@dataclass
class AgreementReport:
    batch_id: str
    annotators: list[str]
    shared_items: int  # items with ratings from two or more annotators
    pairs: list[PairAgreement] = field(default_factory=list)
    overall: LabelAgreement | None = None
    per_label: list[LabelAgreement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # A team batch with an overlap sample: agreement is measured over the sample only (the
    # tasks planned for two or more annotators); items outside it that got a second answer
    # by accident (over-coverage) are left out and counted.
    sample_tasks: int | None = None
    outside_sample: int = 0

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch_id,
            "annotators": self.annotators,
            "shared_items": self.shared_items,
            "sample_tasks": self.sample_tasks,
            "outside_sample": self.outside_sample,
            "pairs": [p.to_json_dict() for p in self.pairs],
            "overall": self.overall.to_json_dict() if self.overall else None,
            "per_label": [x.to_json_dict() for x in self.per_label],
            "problems": [str(p) for p in self.problems],
        }


Units = dict[str, dict[str, ResultRecord]]  # task_id -> annotator -> answer


def _spans_of(record: ResultRecord) -> set[Span] | None:
    raw = (record.value or {}).get("spans")
    if not isinstance(raw, list):
        return None
    spans: set[Span] = set()
    for span in raw:
        if isinstance(span, dict):
            start, end, label = span.get("start"), span.get("end"), span.get("label")
            if isinstance(start, int) and isinstance(end, int):
                spans.add((start, end, str(label)))
    return spans


def _measure(
    label: str, units: Units, annotators: list[str], rate: Callable[[ResultRecord], Hashable]
) -> tuple[LabelAgreement, list[float | None]]:
    ratings = [[rate(r) for r in unit.values()] for unit in units.values()]
    sizes = Counter(len(r) for r in ratings)
    fleiss_raters = max(sizes, key=lambda n: (sizes[n], n)) if sizes else 0
    same_size = [r for r in ratings if len(r) == fleiss_raters]
    pair_kappas: list[float | None] = []
    for a, b in combinations(annotators, 2):
        pairs = [(rate(u[a]), rate(u[b])) for u in units.values() if a in u and b in u]
        pair_kappas.append(cohen_kappa(pairs) if pairs else None)
    defined = [k for k in pair_kappas if k is not None]
    return (
        LabelAgreement(
            label=label,
            items=len(ratings),
            alpha=krippendorff_alpha_nominal(ratings),
            fleiss=fleiss_kappa(fleiss_table(same_size)) if same_size else None,
            fleiss_items=len(same_size),
            fleiss_raters=fleiss_raters,
            mean_pair_kappa=fmean(defined) if defined else None,
        ),
        pair_kappas,
    )


def overlap_sample_of(folder: Path) -> tuple[frozenset[str] | None, list[Problem]]:
    """The task ids of a team batch's overlap sample (the plan every annotator's app
    follows); None for a batch without one."""
    from tui.core.batch import Batch
    from tui.core.batch_config import read_batch_config
    from tui.core.team.tasks import open_plan

    config, _problems = read_batch_config(folder / "batch.toml")
    if config is None or config.team is None or config.team.overlap is None:
        return None, []
    try:
        batch = Batch.open(folder)
        return open_plan(batch).sample, []
    except (BatchError, OSError, ValueError) as exc:
        why = "; ".join(str(p) for p in getattr(exc, "problems", [])) or str(exc)
        note = _(
            "the overlap sample could not be read ({why}): every shared item is compared"
        ).format(why=why)
        return None, [Problem(folder, note, severity="warning")]


def agreement_report(batch_folder: Path, *, results_dir: Path | None = None) -> AgreementReport:
    batch = read_batch_info(batch_folder)
    answers = load_answers(batch, results_dir)
    by_task: Units = defaultdict(dict)
    for (annotator, task_id), record in answers.auditable().items():
        by_task[task_id][annotator] = record
    units: Units = {t: by_task[t] for t in sorted(by_task) if len(by_task[t]) >= 2}
    sample, sample_problems = overlap_sample_of(batch_folder)
    outside = 0
    if sample is not None:
        outside = sum(1 for t in units if t not in sample)
        units = {t: u for t, u in units.items() if t in sample}
    annotators = sorted({a for unit in units.values() for a in unit})
    report = AgreementReport(
        batch.id,
        annotators,
        len(units),
        problems=list(answers.problems) + sample_problems,
        sample_tasks=len(sample) if sample is not None else None,
        outside_sample=outside,
    )
    if not units:
        message = (
            _("no item was answered (accept or reject) by two or more annotators")
            if answers.files
            else _("no results files: nothing to compare")
        )
        report.problems.append(Problem(batch.results_dir, message, severity="warning"))
        return report

    def labels(record: ResultRecord) -> list[str]:
        return task_type_for(record.task_type).labels_of(record.value)

    def category(record: ResultRecord) -> Hashable:
        return label_key(labels(record), record.answer)

    report.overall, pair_kappas = _measure(OVERALL, units, annotators, category)
    for (a, b), kappa in zip(combinations(annotators, 2), pair_kappas, strict=True):
        shared = [u for u in units.values() if a in u and b in u]
        if not shared:
            continue
        agree = sum(1 for u in shared if category(u[a]) == category(u[b]))
        pair = PairAgreement(a, b, len(shared), agree / len(shared), kappa)
        span_items = [(_spans_of(u[a]), _spans_of(u[b])) for u in shared]
        present = [(x, y) for x, y in span_items if x is not None and y is not None]
        if present:
            pair.span_exact = span_agreement(present, overlap=False)
            pair.span_overlap = span_agreement(present, overlap=True)
        report.pairs.append(pair)
    seen = {label for unit in units.values() for r in unit.values() for label in labels(r)}
    ordered = [x for x in batch.labels if x in seen] + sorted(seen - set(batch.labels))
    for label in ordered:

        def carries(record: ResultRecord, label: str = label) -> Hashable:
            return label in labels(record)

        measured, _detail = _measure(label, units, annotators, carries)
        report.per_label.append(measured)
    return report
