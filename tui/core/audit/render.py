"""Rich tables for `labeldesk audit report` and `labeldesk audit agreement`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.audit.agreement import AgreementReport, LabelAgreement
from tui.core.audit.plan import AssignResult
from tui.core.audit.report import AuditReport, PassCount
from tui.core.safe_text import literal_cells

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table


def _num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _pass_table(
    title: str,
    first: str,
    counts: dict[str, PassCount],
    headers: tuple[str, str, str] = ("audited", "passed", "pass rate"),
) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(first)
    for header in headers:
        table.add_column(header, justify="right")
    for name, count in sorted(counts.items()):
        table.add_row(*literal_cells(name, str(count.audited), str(count.passed), _pct(count.rate)))
    return table


def render_assign(result: AssignResult) -> list[RenderableType]:
    from rich.table import Table

    plan = result.plan
    per: dict[tuple[str, str], int] = {}
    for item in result.added:
        per[(item.annotator, item.stratum)] = per.get((item.annotator, item.stratum), 0) + 1
    table = Table(title=f"added to {plan.path} (seed {plan.seed})", title_justify="left")
    table.add_column("annotator")
    table.add_column("label stratum")
    table.add_column("items", justify="right")
    for (annotator, stratum), count in sorted(per.items()):
        table.add_row(*literal_cells(annotator, stratum, str(count)))
    return [table, f"{len(result.added)} added, {len(plan.items)} planned in all"]


def render_report(report: AuditReport) -> list[RenderableType]:
    from rich.table import Table

    out: list[RenderableType] = [
        f"audit report for {', '.join(report.batch_ids)}: {report.overall.audited} audits, "
        f"pass rate {_pct(report.overall.rate)}"
        + (f" ({report.stale} of an answer since changed)" if report.stale else "")
    ]
    if not report.overall.audited:
        out.append("no audits yet: audits/<auditor>.jsonl files hold none")
    else:
        out.append(_pass_table("per annotator", "annotator", report.per_annotator))
        out.append(_pass_table("per label (of the audited answer)", "label", report.per_label))
        out.append(_pass_table("per task type", "task type", report.per_task_type))
        out.append(_pass_table("per auditor", "auditor", report.per_auditor))
    if report.error_counts:
        annotators = sorted(report.errors_per_annotator)
        errors = Table(title="error categories", title_justify="left")
        errors.add_column("category")
        errors.add_column("all", justify="right")
        for name in annotators:
            errors.add_column(name, justify="right")
        for category, count in sorted(report.error_counts.items(), key=lambda kv: -kv[1]):
            per = [str(report.errors_per_annotator[a].get(category, 0)) for a in annotators]
            errors.add_row(*literal_cells(category, str(count), *per))
        out.append(errors)
    if report.confusion:
        confusion = Table(title="corrections: original -> corrected", title_justify="left")
        confusion.add_column("original")
        confusion.add_column("corrected")
        confusion.add_column("count", justify="right")
        for (before, after), count in sorted(report.confusion.items(), key=lambda kv: -kv[1]):
            confusion.add_row(*literal_cells(before, after, str(count)))
        out.append(confusion)
    if report.examples:
        examples = Table(title="examples per error category", title_justify="left")
        for name in ("category", "task", "annotator", "verdict", "answer", "comment"):
            examples.add_column(name, overflow="fold")
        for category, items in sorted(report.examples.items()):
            for item in items:
                answer = item.original + (f" -> {item.corrected}" if item.corrected else "")
                examples.add_row(
                    *literal_cells(
                        category, item.task_id, item.annotator, item.verdict, answer, item.comment
                    )
                )
        out.append(examples)
    if report.gold:
        out.append(
            _pass_table(
                "gold accuracy (latest answers)",
                "annotator",
                report.gold,
                ("gold items", "correct", "accuracy"),
            )
        )
    return out


def _label_row(table: Table, row: LabelAgreement) -> None:
    fleiss = _num(row.fleiss)
    if row.fleiss is not None and row.fleiss_items != row.items:
        fleiss += f" ({row.fleiss_items} items x {row.fleiss_raters})"
    table.add_row(
        *literal_cells(
            row.label, str(row.items), _num(row.alpha), fleiss, _num(row.mean_pair_kappa)
        )
    )


def render_agreement(report: AgreementReport) -> list[RenderableType]:
    from rich.table import Table

    out: list[RenderableType] = [
        f"agreement in {report.batch_id}: {report.shared_items} items answered by two or more "
        f"of {len(report.annotators)} annotators"
    ]
    if report.sample_tasks is not None:
        out.append(
            f"over the team's overlap sample of {report.sample_tasks} tasks; "
            f"{report.outside_sample} item(s) outside it with a second answer are left out"
        )
    if report.overall is None:
        return out
    pairs = Table(title="pairs", title_justify="left")
    for name in ("a", "b", "items", "agreement", "Cohen's kappa"):
        pairs.add_column(name, justify="left" if name in ("a", "b") else "right")
    with_spans = any(p.span_exact is not None for p in report.pairs)
    if with_spans:
        pairs.add_column("span F1 exact", justify="right")
        pairs.add_column("span F1 overlap", justify="right")
    for pair in report.pairs:
        cells = [pair.a, pair.b, str(pair.items), _pct(pair.observed), _num(pair.kappa)]
        if with_spans:
            cells.append(_num(pair.span_exact.f1 if pair.span_exact else None))
            cells.append(_num(pair.span_overlap.f1 if pair.span_overlap else None))
        pairs.add_row(*literal_cells(*cells))
    out.append(pairs)
    labels = Table(title="per label (presence) and overall", title_justify="left")
    for name in ("label", "items", "Krippendorff's alpha", "Fleiss' kappa", "mean Cohen's kappa"):
        labels.add_column(name, justify="left" if name == "label" else "right")
    _label_row(labels, report.overall)
    for row in report.per_label:
        _label_row(labels, row)
    out.append(labels)
    return out
