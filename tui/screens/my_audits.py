"""The annotator's side of audits: how their own work fared — pass rate, verdicts, error
categories, and every failed or corrected item with the auditor's comment and the
correction. Read in a worker (every audit file of the batch); Escape closes.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.audit import OwnAuditSummary, own_audit_summary
from tui.core.audit.report import AuditedItem
from tui.core.i18n import _
from tui.core.problems import BatchError
from tui.core.safe_text import visible
from tui.key_gate import PaintedGate
from tui.screens.scroll_keys import ScrollKeys
from tui.widgets.task_text import literal_text

_VERDICT_STYLE = {"fail": "bold red", "corrected": "bold yellow"}


def _percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.0f}%"


def _finding(item: AuditedItem) -> Text:
    out = Text()
    out.append(f"{item.verdict:<9}", style=_VERDICT_STYLE.get(item.verdict, "bold"))
    out.append(" ")
    out.append(literal_text(item.task_id, style="bold"))
    out.append(
        _("  revision {revision}  ·  by {auditor}").format(
            revision=item.revision, auditor=visible(item.auditor)
        )
    )
    if not item.current:
        out.append(_("  ·  you changed this answer since"), style="dim")
    out.append("\n          " + _("errors:") + " ", style="dim")
    out.append(literal_text(", ".join(item.errors) or "—"))
    out.append("\n          " + _("yours:") + " ", style="dim")
    out.append(literal_text(item.original))
    if item.corrected is not None:
        out.append("\n          " + _("corrected:") + " ", style="dim")
        out.append(literal_text(item.corrected, style="bold"))
    if item.comment:
        out.append("\n          " + _("comment:") + " ", style="dim")
        out.append(literal_text(item.comment, style="italic"))
    out.append("\n")
    return out


def render_summary(summary: OwnAuditSummary) -> RenderableType:
    """The whole summary as one renderable (also used by tests)."""
    counts = summary.counts
    verdicts = {"pass": counts.passed, "fail": 0, "corrected": 0}
    for finding in summary.findings:
        verdicts[finding.verdict] = verdicts.get(finding.verdict, 0) + 1
    head = Text()
    if counts.audited == 0:
        head.append(_("None of your answers in this batch has been audited yet.\n"), style="bold")
        return head
    head.append(_("Pass rate: "), style="bold")
    head.append(_percent(summary.pass_rate), style="bold")
    head.append(
        _("  ({passed} of {audited} audited answers passed)\n").format(
            passed=counts.passed, audited=counts.audited
        )
    )
    head.append(_("Verdicts:  "), style="bold")
    head.append("  ·  ".join(f"{verdict} {n}" for verdict, n in verdicts.items()) + "\n")
    head.append(_("Errors:    "), style="bold")
    errors = sorted(summary.error_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    head.append(literal_text("  ·  ".join(f"{name} {n}" for name, n in errors) or "none"))
    parts: list[RenderableType] = [head]
    if summary.findings:
        parts.append(Text(_("\nFailed and corrected, newest first:"), style="bold underline"))
        parts.extend(_finding(item) for item in summary.findings)
    if summary.problems:
        parts.append(
            Text(
                _(
                    "\n{problems} unreadable line(s) in results or audit files were skipped (labeldesk audit report lists them)."
                ).format(problems=len(summary.problems)),
                style="dim",
            )
        )
    return Group(*parts)


class MyAuditsScreen(PaintedGate, ScrollKeys, ModalScreen[None]):
    """What the auditors said about `annotator`'s work in `batch_folder`."""

    DEFAULT_CSS = """
    MyAuditsScreen { align: center middle; }
    MyAuditsScreen > VerticalScroll { width: 90%; height: 90%; border: round $accent;
        padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("escape,q,f7", "close", "close", id="my_audits.close")]

    def __init__(self, batch_folder: Path, annotator: str, close_keys: str = "Esc") -> None:
        super().__init__()
        self.batch_folder = batch_folder
        self.annotator = annotator
        self.close_keys = close_keys  # as the keymap has them (my_audits.close)
        self.summary: OwnAuditSummary | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="my-audits") as scroll:
            scroll.border_title = _("Audits of your work — {annotator} ({close} closes)").format(
                annotator=self.annotator, close=self.close_keys
            )
            yield Static(_("reading the audit files…"), id="my-audits-body")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="my_audits")
    def _load(self) -> None:
        try:
            summary = own_audit_summary(self.batch_folder, self.annotator)
        except BatchError as exc:
            message = _("cannot read the batch: ") + "; ".join(str(p) for p in exc.problems)
            self.app.call_from_thread(self._show_error, message)
            return
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(
                self._show_error, _("cannot read the audits: {exc}").format(exc=exc)
            )
            return
        self.app.call_from_thread(self._show, summary)

    def _show(self, summary: OwnAuditSummary) -> None:
        self.summary = summary
        self.query_one("#my-audits-body", Static).update(render_summary(summary))

    def _show_error(self, message: str) -> None:
        self.query_one("#my-audits-body", Static).update(literal_text(message, style="bold red"))

    def action_close(self) -> None:
        self.dismiss_once(None)
