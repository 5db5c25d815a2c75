"""The audit review screen: one planned item at a time, the annotator's answer shown in the
task type's own view, and a verdict on one key — pass, fail (error categories + comment) or
correct (the task type's view in correct mode, then categories + comment).

Keys are Textual bindings built from the keymap (audit.* and app.* from keymaps/default.toml
and its layers; ItemScreen); every verdict is appended and fsynced by AuditWriter before the
next item is shown. The review/correct modes, navigation and saving are ReviewScreen's
(tui/screens/review.py), shared with adjudication; here is what an audit judges and says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.core.audit import AuditInputError, PlanItemStatus
from tui.core.audit.review_session import AuditSession
from tui.core.i18n import _, ngettext
from tui.core.keymap import Keymap
from tui.core.records import AuditRecord, answer_kind_name, flag_reason_name, verdict_name
from tui.core.safe_text import visible
from tui.core.task_type import TaskType
from tui.key_gate import PaintedGate
from tui.keymap_bindings import install_keymap
from tui.screens.review import NavWords, ReviewScreen, ShownAnswer
from tui.widgets.task_text import literal_text

ErrorsChoice = tuple[list[str], str]

_REVIEW_HINTS = (
    "audit.pass",
    "audit.fail",
    "audit.correct",
    "app.skip",
    "app.back",
    "app.forward",
    "app.help",
    "app.quit",
)
_VERDICT_STYLE = {"pass": "bold green", "fail": "bold red", "corrected": "bold yellow"}


def _same_answer(
    task_type: TaskType, value: dict[str, Any], original: dict[str, Any] | None
) -> bool:
    """Equal as answers of the type (defaults filled in), else equal as plain dicts."""
    if value == (original or {}):
        return True
    try:
        mine = task_type.parse_answer(value).model_dump()
        theirs = task_type.parse_answer(original or {}).model_dump()
    except ValidationError:
        return False
    return bool(mine == theirs)


class ErrorsScreen(PaintedGate, ModalScreen[ErrorsChoice | None]):
    """Error categories (toggled with the label keys) and an optional comment."""

    DEFAULT_CSS = """
    ErrorsScreen { align: center middle; }
    ErrorsScreen > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $error; padding: 0 1; background: $surface; }
    ErrorsScreen #comment { margin-top: 1; }
    ErrorsScreen #errors-hint { height: auto; }
    """
    AUTO_FOCUS = ""  # keys go to the categories until the auditor moves to the comment

    def __init__(
        self, categories: Sequence[str], keymap: Keymap, verdict: str, about: str = ""
    ) -> None:
        super().__init__()
        self.categories = list(categories)
        self.keymap = keymap
        self.verdict = verdict
        self.about = about
        self.chosen: list[str] = []
        # Categories toggle on the label keys; while the comment has focus the Input takes
        # the keys it types (Textual's rule), so only record, cancel and comment act.
        wanted = {"app.submit", "audit.cancel", "audit.comment"}
        install_keymap(
            self,
            keymap,
            ("label", "audit", "app"),
            self._action_for,
            lambda b: b.startswith("label.") or b in wanted,
        )

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("{verdict}: which errors?").format(
                verdict=verdict_name(self.verdict)
            )
            yield Static(self._render_categories(), id="categories")
            yield Input(placeholder=_("optional comment for the annotator"), id="comment")
            yield Static(self._hint(), id="errors-hint")

    def _render_categories(self) -> Text:
        out = Text()
        if self.about:
            out.append(literal_text(self.about, style="italic"))
            out.append("\n")
        out.append(_("Toggle one or more categories:\n"), style="bold")
        for n, category in enumerate(self.categories, start=1):
            key = self.keymap.display(f"label.{n}", limit=1)
            chosen = category in self.chosen
            out.append(f" {key or '·'} ", style="reverse bold")
            out.append(" ■ " if chosen else " □ ", style="green" if chosen else "")
            out.append(literal_text(category, style="bold" if chosen else ""))
            out.append("\n")
        return out

    def _hint(self, refusal: str = "") -> Text:
        if refusal:
            return Text(refusal, style="bold red")
        k = self.keymap.display
        return Text(
            _("{comment} comment · {submit} record · {cancel} cancel").format(
                comment=k("audit.comment", 1),
                submit=k("app.submit", 1),
                cancel=k("audit.cancel", 1),
            ),
            style="dim",
        )

    def _comment(self) -> Input:
        return self.query_one("#comment", Input)

    def _action_for(self, binding_id: str) -> str | None:
        context, _dot, name = binding_id.partition(".")
        if context == "label":
            return f"toggle_category({int(name)})"
        actions = {"app.submit": "confirm", "audit.cancel": "cancel", "audit.comment": "comment"}
        return actions.get(binding_id)

    def action_comment(self) -> None:
        if self._comment().has_focus:
            self.set_focus(None)
        else:
            self._comment().focus()

    def action_cancel(self) -> None:
        self.dismiss_once(None)

    def action_toggle_category(self, n: int) -> None:
        self.toggle(n)

    def action_confirm(self) -> None:
        self.confirm()

    @on(Input.Submitted, "#comment")
    def _comment_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

    def toggle(self, n: int) -> None:
        if not 1 <= n <= len(self.categories):
            self.query_one("#errors-hint", Static).update(
                self._hint(_("there is no category {n}").format(n=n))
            )
            return
        category = self.categories[n - 1]
        if category in self.chosen:
            self.chosen.remove(category)
        else:
            self.chosen.append(category)
        self.query_one("#categories", Static).update(self._render_categories())
        self.query_one("#errors-hint", Static).update(self._hint())

    def confirm(self) -> None:
        if not self.chosen:
            first = self.keymap.display("label.1", limit=1)
            self.query_one("#errors-hint", Static).update(
                self._hint(
                    _("choose at least one error category first ({first}, …)").format(first=first)
                )
            )
            return
        ordered = [c for c in self.categories if c in self.chosen]
        self.dismiss_once((ordered, self._comment().value.strip()))


class AuditReviewScreen(ReviewScreen[PlanItemStatus, AuditRecord]):
    DEFAULT_CSS = """
    AuditReviewScreen > #answer { height: auto; max-height: 5; padding: 0 1; }
    """
    SCREEN_CONTEXTS = ("audit",)
    INFO_ID = "answer"
    REVIEW_HINTS = _REVIEW_HINTS
    session: AuditSession

    def __init__(self, session: AuditSession) -> None:
        super().__init__(session)

    # -- rendering -------------------------------------------------------------------------
    def header_words(self) -> tuple[str, str]:
        s = self.session
        return _("AUDIT "), _("  ·  {name}  ·  auditor {auditor}").format(
            name=s.batch.task_type.name, auditor=visible(s.auditor)
        )

    def progress_text(self) -> str:
        s = self.session
        counts = s.verdict_counts()
        tally = _("{passed} pass, {fail} fail, {corrected} corrected").format(
            passed=counts["pass"], fail=counts["fail"], corrected=counts["corrected"]
        )
        where = self.where(_("all done"), _("end of plan"))
        return _("{where}  ·  {done} of {total} done ({tally})  ·  {left} to go").format(
            where=where, done=s.done, total=s.total, tally=tally, left=s.total - s.done
        )

    def info_text(self, status: PlanItemStatus) -> Text:
        task_type = self.session.batch.task_type
        item = status.item
        out = Text()
        out.append(literal_text(item.task_id, style="bold"))
        out.append(
            _("  by {annotator}  ·  revision {revision}").format(
                annotator=visible(item.annotator), revision=item.revision
            )
        )
        if status.answer is not None:
            out.append(f"  ·  {answer_kind_name(status.answer.answer)}")
            flag = status.answer.flag
            if flag is not None:
                out.append(
                    _("  ·  flag: {reason}").format(reason=flag_reason_name(flag.reason)),
                    style="bold yellow",
                )
                if flag.note:
                    out.append(" — ")
                    out.append(literal_text(flag.note, style="yellow"))
        if status.stale:
            out.append(
                _(
                    "\n⚠ STALE: {annotator} changed this answer after it was planned (now revision {current_revision}); your verdict is on revision {revision}, shown here"
                ).format(
                    annotator=visible(item.annotator),
                    current_revision=status.current_revision,
                    revision=item.revision,
                ),
                style="bold yellow",
            )
        if status.answer is not None:
            out.append("\n" + _("answer:") + " ", style="bold")
            out.append(literal_text(task_type.summarize(status.answer.value)))
        if status.audit is not None:
            out.append("\n")
            out.append(self._audit_words(status.audit))
        return out

    def _audit_words(self, audit: AuditRecord) -> Text:
        out = Text(_("audited:") + " ", style="bold")
        out.append(verdict_name(audit.verdict), style=_VERDICT_STYLE.get(audit.verdict, "bold"))
        if audit.errors:
            out.append(f" ({visible(', '.join(audit.errors))})")
        if audit.corrected_value is not None:
            out.append(" → ")
            out.append(literal_text(self.session.batch.task_type.summarize(audit.corrected_value)))
        if audit.comment:
            out.append(" — ")
            out.append(literal_text(audit.comment, style="italic"))
        out.append(_("  (a new verdict replaces it)"), style="dim")
        return out

    def finished_text(self) -> str:
        s = self.session
        counts = s.verdict_counts()
        if s.done == s.total:
            return ngettext(
                "The planned item is audited: {passed} pass, {fail} fail, {corrected} corrected. Every verdict is saved.\n\n{key} goes back to revisit an item; {key2} quits.",
                "All {total} planned items are audited: {passed} pass, {fail} fail, {corrected} corrected. Every verdict is saved.\n\n{key} goes back to revisit an item; {key2} quits.",
                s.total,
            ).format(
                total=s.total,
                passed=counts["pass"],
                fail=counts["fail"],
                corrected=counts["corrected"],
                **self.back_and_quit_keys(),
            )
        return _(
            "{done} planned items are not audited yet. {key} goes back; {key2} quits (verdicts so far are saved)."
        ).format(done=s.total - s.done, **self.back_and_quit_keys())

    def shown_answer(self, entry: PlanItemStatus) -> ShownAnswer:
        assert entry.answer is not None
        value = entry.answer.value
        return ShownAnswer(dict(value) if value is not None else None)

    def no_answer_text(self, entry: PlanItemStatus) -> str | None:
        if entry.answer is not None:
            return None
        return _(
            "The planned answer (revision {revision}) is no longer in results/{annotator}.jsonl: there is nothing to audit. Press {key} to skip it."
        ).format(
            revision=entry.item.revision,
            annotator=entry.item.annotator,
            key=self.keymap.display("app.skip"),
        )

    def task_missing_text(self, entry: PlanItemStatus) -> str:
        return _(
            "Task {task_id!r} is not in {name}: judge the answer from its summary above (pass or fail; a correction needs the task)."
        ).format(task_id=entry.item.task_id, name=self.session.batch.tasks_path.name)

    def help_label_count(self) -> int | None:
        return max(len(self.session.writer.batch.error_categories), 9)

    # -- verdicts --------------------------------------------------------------------------
    def decidable(self) -> PlanItemStatus | None:
        status = super().decidable()
        if status is not None and status.answer is None:
            self.set_status(_("the planned answer is gone: nothing to audit, skip it"), error=True)
            return None
        return status

    def action_audit_pass(self) -> None:
        if self.decidable() is not None:
            self._record("pass")

    def action_audit_fail(self) -> None:
        status = self.decidable()
        if status is None:
            return
        self._ask_errors("fail", None, status)

    def submit_refusal(self) -> str:
        return _("choose a verdict: {key} pass · {key2} fail · {key3} correct").format(
            key=self.keymap.display("audit.pass", 1),
            key2=self.keymap.display("audit.fail", 1),
            key3=self.keymap.display("audit.correct", 1),
        )

    def corrected(self, answer: str, value: dict[str, Any] | None) -> None:
        status = self.session.current()
        if status is None or status.answer is None:
            return
        task_type = self.session.batch.task_type
        if value is None:
            self.set_status(_("the view gave no answer value to save as the correction"), True)
            return
        if _same_answer(task_type, value, status.answer.value):
            self.set_status(
                _(
                    "that is the annotator's answer: change it, or {key} and {key2} to pass it"
                ).format(
                    key=self.keymap.display("audit.cancel", 1),
                    key2=self.keymap.display("audit.pass", 1),
                ),
                error=True,
            )
            return
        try:
            task_type.parse_answer(value)
        except ValidationError as exc:
            from tui.core.pydantic_text import error_message

            self.set_status(
                _("not a valid answer: {msg}").format(msg=error_message(exc.errors()[0])),
                error=True,
            )
            return
        self._ask_errors("corrected", value, status)

    def _ask_errors(
        self, verdict: str, corrected: dict[str, Any] | None, status: PlanItemStatus
    ) -> None:
        task_type = self.session.batch.task_type
        assert status.answer is not None
        about = _("{task_id} by {annotator}: ").format(
            task_id=status.item.task_id, annotator=status.item.annotator
        )
        about += task_type.summarize(status.answer.value)
        if corrected is not None:
            about += f" → {task_type.summarize(corrected)}"

        def chosen(result: ErrorsChoice | None) -> None:
            if result is None:
                self.set_status(
                    _("{verdict} not recorded (cancelled)").format(verdict=verdict_name(verdict))
                )
                return
            errors, comment = result
            self._record(verdict, errors=errors, corrected_value=corrected, comment=comment)

        categories = self.session.writer.batch.error_categories
        self.app.push_screen(ErrorsScreen(categories, self.keymap, verdict, about), chosen)

    def _record(
        self,
        verdict: str,
        *,
        errors: Sequence[str] = (),
        corrected_value: dict[str, Any] | None = None,
        comment: str = "",
    ) -> None:
        if self.session.current() is None:
            return
        self.decide(
            lambda: self.session.record(
                verdict, errors=errors, corrected_value=corrected_value, comment=comment
            ),
            AuditInputError,
        )

    def saved_text(self, record: AuditRecord) -> str:
        return _("✓ {verdict} saved for {task_id} ({annotator}, revision {revision})").format(
            verdict=verdict_name(record.verdict),
            task_id=record.task_id,
            annotator=record.annotator,
            revision=record.revision,
        )

    def nav_words(self) -> NavWords:
        return NavWords(
            first=_("this is the first planned item"),
            last=_("this is the last planned item"),
            skipped=_("skipped: it stays in your plan"),
            nothing_to_skip=_("no other unaudited item to go to"),
        )
