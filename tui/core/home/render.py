"""The words of one home row's figures (plain text; the screen sanitizes what came from files:
annotator names from results file names and lines)."""

from __future__ import annotations

from tui.core.home.figures import BatchFigures
from tui.core.i18n import _

MAX_OTHERS = 3


def _pct(part: float) -> str:
    return f"{round(part * 100)}%"


def progress_line(figures: BatchFigures) -> str:
    """Mine / tasks, colleagues', today's count and pace against the target."""
    parts = []
    mine = _("me {mine}/{tasks}").format(mine=figures.mine, tasks=figures.tasks)
    if figures.tasks:
        mine += f" {_pct(min(figures.mine / figures.tasks, 1.0))}"
    parts.append(mine)
    if figures.others:
        shown = [f"{name} {count}" for name, count in figures.others[:MAX_OTHERS]]
        more = len(figures.others) - MAX_OTHERS
        parts.append(", ".join(shown) + (_(" +{more} more").format(more=more) if more > 0 else ""))
    if figures.unreadable:
        parts.append(_("unreadable:") + " " + ", ".join(figures.unreadable[:MAX_OTHERS]))
    today = _("today {today_items}").format(today_items=figures.today_items)
    rate = figures.today_rate
    if rate is not None and figures.today_items:
        today += _(" at {rate:.0f}/h").format(rate=rate)
        if figures.pace is not None and figures.target_per_hour:
            today += _(" ({pace} of {target_per_hour:.0f}/h)").format(
                pace=_pct(figures.pace), target_per_hour=figures.target_per_hour
            )
    parts.append(today)
    if figures.bad_lines:
        parts.append(_("{bad_lines} bad line(s)").format(bad_lines=figures.bad_lines))
    return " · ".join(parts)


def audit_line(figures: BatchFigures) -> str:
    """Audits waiting for me, audits of my work, new guidelines ("" when none)."""
    parts = []
    plan = figures.plan
    if plan is not None:
        if plan.error:
            parts.append(_("audit plan unreadable"))
        elif plan.done < plan.total:
            parts.append(
                _("to audit {done} of {total}").format(
                    done=plan.total - plan.done, total=plan.total
                )
            )
        else:
            parts.append(_("audited all {total}").format(total=plan.total))
    if figures.audited:
        parts.append(
            _("my work passed {audit_passed}/{audited}").format(
                audit_passed=figures.audit_passed, audited=figures.audited
            )
        )
    if figures.guidelines_changed:
        parts.append(_("guidelines changed"))
    return " · ".join(parts)


def figure_line(figures: BatchFigures) -> str:
    """Both, on one line (tests, and anything that shows a batch on one line)."""
    return " · ".join(part for part in (progress_line(figures), audit_line(figures)) if part)
