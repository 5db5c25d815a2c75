"""Rich tables for `labeldesk audit report` and `labeldesk audit agreement`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.audit.agreement import AgreementReport, LabelAgreement
from tui.core.audit.plan import AssignResult
from tui.core.audit.report import AuditReport, PassCount
from tui.core.i18n import _
from tui.core.records import verdict_name
from tui.core.safe_text import literal_cells

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table


def _num(value: float | None, digits: int = 3) -> str:
    return _("n/a") if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return _("n/a") if value is None else f"{value * 100:.1f}%"


def _pass_table(
    title: str,
    first: str,
    counts: dict[str, PassCount],
    headers: tuple[str, str, str] | None = None,
) -> Table:
    from rich.table import Table

    if headers is None:
        headers = (_("audited"), _("passed"), _("pass rate"))

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
    table = Table(
        title=_("added to {path} (seed {seed})").format(path=plan.path, seed=plan.seed),
        title_justify="left",
    )
    table.add_column(_("annotator"))
    table.add_column(_("label stratum"))
    table.add_column(_("items"), justify="right")
    for (annotator, stratum), count in sorted(per.items()):
        table.add_row(*literal_cells(annotator, stratum, str(count)))
    return [
        table,
        _("{added} added, {planned} planned in all").format(
            added=len(result.added), planned=len(plan.items)
        ),
    ]


def render_report(report: AuditReport) -> list[RenderableType]:
    from rich.table import Table

    out: list[RenderableType] = [
        _("audit report for {batches}: {audited} audits, pass rate {rate}").format(
            batches=", ".join(report.batch_ids),
            audited=report.overall.audited,
            rate=_pct(report.overall.rate),
        )
        + (
            _(" ({stale} of an answer since changed)").format(stale=report.stale)
            if report.stale
            else ""
        )
    ]
    if not report.overall.audited:
        out.append(_("no audits yet: audits/<auditor>.jsonl files hold none"))
    else:
        out.append(_pass_table(_("per annotator"), _("annotator"), report.per_annotator))
        out.append(
            _pass_table(_("per label (of the audited answer)"), _("label"), report.per_label)
        )
        out.append(_pass_table(_("per task type"), _("task type"), report.per_task_type))
        out.append(_pass_table(_("per auditor"), _("auditor"), report.per_auditor))
    if report.error_counts:
        annotators = sorted(report.errors_per_annotator)
        errors = Table(title=_("error categories"), title_justify="left")
        errors.add_column(_("category"))
        errors.add_column(_("all"), justify="right")
        for name in annotators:
            errors.add_column(name, justify="right")
        for category, count in sorted(report.error_counts.items(), key=lambda kv: -kv[1]):
            per = [str(report.errors_per_annotator[a].get(category, 0)) for a in annotators]
            errors.add_row(*literal_cells(category, str(count), *per))
        out.append(errors)
    if report.confusion:
        confusion = Table(title=_("corrections: original -> corrected"), title_justify="left")
        confusion.add_column(_("original"))
        confusion.add_column(_("corrected"))
        confusion.add_column(_("count"), justify="right")
        for (before, after), count in sorted(report.confusion.items(), key=lambda kv: -kv[1]):
            confusion.add_row(*literal_cells(before, after, str(count)))
        out.append(confusion)
    if report.examples:
        examples = Table(title=_("examples per error category"), title_justify="left")
        for name in (
            _("category"),
            _("task"),
            _("annotator"),
            _("verdict"),
            _("answer"),
            _("comment"),
        ):
            examples.add_column(name, overflow="fold")
        for category, items in sorted(report.examples.items()):
            for item in items:
                answer = item.original + (f" -> {item.corrected}" if item.corrected else "")
                examples.add_row(
                    *literal_cells(
                        category,
                        item.task_id,
                        item.annotator,
                        verdict_name(item.verdict),
                        answer,
                        item.comment,
                    )
                )
        out.append(examples)
    if report.gold:
        out.append(
            _pass_table(
                _("gold accuracy (latest answers)"),
                _("annotator"),
                report.gold,
                (_("gold items"), _("correct"), _("accuracy")),
            )
        )
    return out


def _label_row(table: Table, row: LabelAgreement, shown: str | None = None) -> None:
    fleiss = _num(row.fleiss)
    if row.fleiss is not None and row.fleiss_items != row.items:
        fleiss += _(" ({items} items x {raters})").format(
            items=row.fleiss_items, raters=row.fleiss_raters
        )
    table.add_row(
        *literal_cells(
            shown or row.label, str(row.items), _num(row.alpha), fleiss, _num(row.mean_pair_kappa)
        )
    )


def render_agreement(report: AgreementReport) -> list[RenderableType]:
    from rich.table import Table

    out: list[RenderableType] = [
        _(
            "agreement in {batch}: {items} items answered by two or more of {annotators} annotators"
        ).format(
            batch=report.batch_id, items=report.shared_items, annotators=len(report.annotators)
        )
    ]
    if report.sample_tasks is not None:
        out.append(
            f"over the team's overlap sample of {report.sample_tasks} tasks; "
            f"{report.outside_sample} item(s) outside it with a second answer are left out"
        )
    if report.overall is None:
        return out
    pairs = Table(title=_("pairs"), title_justify="left")
    pairs.add_column("a")
    pairs.add_column("b")
    for name in (_("items"), _("agreement"), _("Cohen's kappa")):
        pairs.add_column(name, justify="right")
    with_spans = any(p.span_exact is not None for p in report.pairs)
    if with_spans:
        pairs.add_column(_("span F1 exact"), justify="right")
        pairs.add_column(_("span F1 overlap"), justify="right")
    for pair in report.pairs:
        cells = [pair.a, pair.b, str(pair.items), _pct(pair.observed), _num(pair.kappa)]
        if with_spans:
            cells.append(_num(pair.span_exact.f1 if pair.span_exact else None))
            cells.append(_num(pair.span_overlap.f1 if pair.span_overlap else None))
        pairs.add_row(*literal_cells(*cells))
    out.append(pairs)
    labels = Table(title=_("per label (presence) and overall"), title_justify="left")
    labels.add_column(_("label"))
    for name in (
        _("items"),
        _("Krippendorff's alpha"),
        _("Fleiss' kappa"),
        _("mean Cohen's kappa"),
    ):
        labels.add_column(name, justify="right")
    # The overall row's name is ours (the JSON keeps "(all labels)"); label names are not.
    _label_row(labels, report.overall, _("(all labels)"))
    for row in report.per_label:
        _label_row(labels, row)
    out.append(labels)
    return out
