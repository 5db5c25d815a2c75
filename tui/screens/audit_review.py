"""The audit review screen: one planned item at a time, the annotator's answer shown in the
task type's own view, and a verdict on one key — pass, fail (error categories + comment) or
correct (the task type's view in correct mode, then categories + comment).

Keys are Textual bindings built from the keymap (audit.* and app.* from keymaps/default.toml
and its layers; ItemScreen); every verdict is appended and fsynced by AuditWriter before the
next item is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.core.audit import AuditInputError, PlanItemStatus
from tui.core.audit.review_session import AUDIT_APP_IDS, AuditSession
from tui.core.i18n import _, ngettext
from tui.core.keymap import Keymap
from tui.core.records import AuditRecord, answer_kind_name, flag_reason_name, verdict_name
from tui.core.safe_text import visible
from tui.core.task_type import TaskType
from tui.key_gate import PaintedGate
from tui.keymap_bindings import install_keymap
from tui.screens.item_screen import ItemScreen
from tui.task_view import Refusal, TaskView, ViewContext
from tui.widgets.line import Line
from tui.widgets.task_text import literal_text

ReviewMode = Literal["review", "correct"]
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


class AuditReviewScreen(ItemScreen):
    DEFAULT_CSS = """
    AuditReviewScreen > #answer { height: auto; max-height: 5; padding: 0 1; }
    """

    def __init__(self, session: AuditSession) -> None:
        super().__init__(session.keymap)
        self.session = session
        self.mode: ReviewMode = "review"
        self.revealed: set[int] = set()
        self._bind_mode()

    def _bind_mode(self) -> None:
        """Review: verdicts, navigation, and the view's keys that only look (scroll, cursor,
        zoom, play). Correcting: the view's keys and label keys first, then what leaves it."""
        task_type = self.session.batch.task_type
        if self.mode == "correct":
            label = ("label",) if task_type.uses_label_keys else ()
            self.bind_keys((task_type.name, *label, "audit", "app"), self._in_review)
        else:
            looking = task_type.review_ids()
            self.bind_keys(
                ("audit", task_type.name, "app"),
                lambda b: self._in_review(b) and (b.startswith(("audit.", "app.")) or b in looking),
            )

    def _in_review(self, binding_id: str) -> bool:
        return not binding_id.startswith("app.") or binding_id in AUDIT_APP_IDS

    # -- layout ----------------------------------------------------------------------------
    def compose_info(self) -> ComposeResult:
        yield Static(id="answer")

    def on_mount(self) -> None:
        self.show_current()
        if not self.session.located_all:
            self._locate_rest()

    @work(thread=True, exclusive=True, group="locate")
    def _locate_rest(self) -> None:
        self.session.locate_rest()
        self.app.call_from_thread(self._located)

    def _located(self) -> None:
        if self.mode == "review":
            self.show_current(keep_status=True)

    # -- rendering -------------------------------------------------------------------------
    def refresh_progress(self) -> None:
        s = self.session
        batch = s.batch
        header = Text()
        header.append(_("AUDIT "), style="bold reverse")
        header.append(" ")
        header.append(literal_text(batch.config.title or batch.id, style="bold"))
        header.append(
            _("  ·  {name}  ·  auditor {auditor}").format(
                name=batch.task_type.name, auditor=visible(s.auditor)
            )
        )
        self.query_one("#header", Line).set(header)
        counts = s.verdict_counts()
        tally = _("{passed} pass, {fail} fail, {corrected} corrected").format(
            passed=counts["pass"], fail=counts["fail"], corrected=counts["corrected"]
        )
        if s.finished:
            where = _("all done") if s.done == s.total else _("end of plan")
        else:
            where = _("item {position} of {total}").format(position=s.position + 1, total=s.total)
        line = _("{where}  ·  {done} of {total} done ({tally})  ·  {left} to go").format(
            where=where, done=s.done, total=s.total, tally=tally, left=s.total - s.done
        )
        self.query_one("#progress", Line).set(Text(line))

    def _answer_line(self, status: PlanItemStatus) -> Text:
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

    def _hidden(self, raw: dict[str, Any] | None) -> bool:
        if self.session.position in self.revealed:
            return False
        if self.session.batch.config.sensitive:
            return True
        meta = raw.get("meta") if raw else None
        return isinstance(meta, dict) and bool(meta.get("sensitive"))

    def _make_view(self, status: PlanItemStatus, mode: Literal["review", "correct"]) -> TaskView:
        item = self.session.item_of(status)
        assert item is not None and item.task is not None and status.answer is not None
        batch = self.session.batch
        ctx = ViewContext(
            task_type=batch.task_type,
            options=batch.options,
            task=item.task,
            previous=dict(status.answer.value) if status.answer.value is not None else None,
            keymap=self.keymap,
            batch_dir=batch.folder,
            mode=mode,
        )
        view: TaskView = batch.task_type.view_class()(ctx)
        return view

    def _can_show_view(self, status: PlanItemStatus) -> str | None:
        """Why the item's view cannot be shown, or None."""
        s = self.session
        if status.answer is None:
            return _(
                "The planned answer (revision {revision}) is no longer in results/{annotator}.jsonl: there is nothing to audit. Press {key} to skip it."
            ).format(
                revision=status.item.revision,
                annotator=status.item.annotator,
                key=self.keymap.display("app.skip"),
            )
        item = s.item_of(status)
        if item is None:
            if not s.located_all:
                return _("finding the task in tasks.jsonl…")
            return _(
                "Task {task_id!r} is not in {name}: judge the answer from its summary above (pass or fail; a correction needs the task)."
            ).format(task_id=status.item.task_id, name=s.batch.tasks_path.name)
        if item.task is None:
            found = "; ".join(str(p) for p in item.problems) or _("invalid task line")
            return _("The task line is invalid, so it cannot be shown: {found}").format(found=found)
        if self._hidden(item.raw):
            return _("Sensitive content hidden. Press {key} to reveal it.").format(
                key=self.keymap.display("app.reveal")
            )
        return None

    def show_current(self, keep_status: bool = False) -> None:
        self.view = None
        if self.mode != "review":
            self.mode = "review"
            self._bind_mode()
        s = self.session
        status = s.current()
        answer = self.query_one("#answer", Static)
        item: Widget
        if status is None:
            answer.update("")
            counts = s.verdict_counts()
            if s.done == s.total:
                msg = ngettext(
                    "The planned item is audited: {passed} pass, {fail} fail, {corrected} corrected. Every verdict is saved.\n\n{key} goes back to revisit an item; {key2} quits.",
                    "All {total} planned items are audited: {passed} pass, {fail} fail, {corrected} corrected. Every verdict is saved.\n\n{key} goes back to revisit an item; {key2} quits.",
                    s.total,
                ).format(
                    total=s.total,
                    passed=counts["pass"],
                    fail=counts["fail"],
                    corrected=counts["corrected"],
                    key=self.keymap.display("app.back"),
                    key2=self.keymap.display("app.quit"),
                )
            else:
                msg = _(
                    "{done} planned items are not audited yet. {key} goes back; {key2} quits (verdicts so far are saved)."
                ).format(
                    done=s.total - s.done,
                    key=self.keymap.display("app.back"),
                    key2=self.keymap.display("app.quit"),
                )
            item = Static(msg, classes="notice")
        else:
            answer.update(self._answer_line(status))
            why_not = self._can_show_view(status)
            if why_not is not None:
                item = Static(literal_text(why_not), classes="notice")
            else:
                self.view = self._make_view(status, "review")
                item = self.view
                self.call_after_refresh(self._unfocus)
        s.show()
        if not keep_status:
            self._status = Text("")
        self.query_one("#status", Line).set(self._status)
        self.refresh_progress()
        self.put_item(item, status.item.task_id if status is not None and self.view else None)
        self.render_keys()

    def _unfocus(self) -> None:
        """A view that focuses one of its widgets on mount must not eat the verdict keys."""
        if self.mode == "review":
            self.set_focus(None)

    def hint_ids(self) -> list[str]:
        if self.mode == "correct":
            view = [b for b in super().hint_ids() if b != "app.submit"]
            return ["app.submit", "audit.cancel", *view, "app.help"]
        return list(_REVIEW_HINTS)

    # -- keys ------------------------------------------------------------------------------
    # While correcting, only these leave or look; other verdict and navigation keys say so.
    CORRECTING_IDS = frozenset(
        {"app.submit", "audit.cancel", "app.help", "app.guidelines", "app.quit"}
        | {"audit.scroll_up", "audit.scroll_down", "app.interrupt"}
    )

    def action_for(self, binding_id: str) -> str | None:
        is_screens = binding_id.startswith(("app.", "audit."))
        if self.mode == "correct" and is_screens and binding_id not in self.CORRECTING_IDS:
            return "finish_correction"
        return super().action_for(binding_id)

    def action_finish_correction(self) -> None:
        self.set_status(
            _("finish the correction ({key}) or {key2} to leave it").format(
                key=self.keymap.display("app.submit", 1),
                key2=self.keymap.display("audit.cancel", 1),
            ),
            error=True,
        )

    def no_view_reason(self) -> str:
        return _("no item to act on here")

    def help_label_count(self) -> int | None:
        return max(len(self.session.writer.batch.error_categories), 9)

    def guidelines_file(self) -> Path | None:
        return self.session.batch.guidelines_path

    # -- verdicts --------------------------------------------------------------------------
    def _auditable(self) -> PlanItemStatus | None:
        status = self.session.current()
        if status is None:
            self.set_status(_("no item here: go back to revisit one"), error=True)
            return None
        if status.answer is None:
            self.set_status(_("the planned answer is gone: nothing to audit, skip it"), error=True)
            return None
        return status

    def action_audit_pass(self) -> None:
        if self._auditable() is not None:
            self._record("pass")

    def action_audit_fail(self) -> None:
        status = self._auditable()
        if status is None:
            return
        self._ask_errors("fail", None, status)

    def action_audit_correct(self) -> None:
        status = self._auditable()
        if status is None:
            return
        why_not = self._can_show_view(status)
        if why_not is not None:
            self.set_status(_("cannot correct here: ") + why_not.split(":")[0], error=True)
            return
        self.view = self._make_view(status, "correct")
        self.mode = "correct"
        self._bind_mode()
        self.put_item(self.view, status.item.task_id)
        self.set_status(
            _("correcting: change the answer, {key} saves it, {key2} cancels").format(
                key=self.keymap.display("app.submit", 1),
                key2=self.keymap.display("audit.cancel", 1),
            )
        )
        self.render_keys()

    def action_audit_cancel(self) -> None:
        if self.mode == "correct":
            self.show_current()
            self.set_status(_("correction cancelled"))

    def action_submit(self) -> None:
        if self.mode != "correct" or self.view is None:
            self.set_status(
                _("choose a verdict: {key} pass · {key2} fail · {key3} correct").format(
                    key=self.keymap.display("audit.pass", 1),
                    key2=self.keymap.display("audit.fail", 1),
                    key3=self.keymap.display("audit.correct", 1),
                ),
                error=True,
            )
            return
        result = self.view.submit_value()
        if isinstance(result, Refusal):
            self.set_status(str(result), error=True)
            return
        self._corrected(result[1])

    def receive_answer(self, task_id: str, answer: str, value: dict[str, Any] | None) -> None:
        if self.mode == "correct":
            self._corrected(value)
        else:
            self.set_status(
                _("to change the answer press {key}").format(
                    key=self.keymap.display("audit.correct", 1)
                ),
                error=True,
            )

    @on(TaskView.Notice)
    def _view_notice(self, message: TaskView.Notice) -> None:
        message.stop()
        self.set_status(message.text, error=message.error)

    def _corrected(self, value: dict[str, Any] | None) -> None:
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
        status = self.session.current()
        if status is None:
            return
        try:
            record = self.session.record(
                verdict, errors=errors, corrected_value=corrected_value, comment=comment
            )
        except AuditInputError as exc:
            self.set_status(_("not recorded: {exc}").format(exc=exc), error=True)
            return
        except OSError as exc:
            self.set_status(
                _("NOT SAVED ({exc}): fix the disk and press again").format(
                    exc=exc.strerror or exc
                ),
                error=True,
            )
            return
        self.set_status(
            _("✓ {verdict} saved for {task_id} ({annotator}, revision {revision})").format(
                verdict=verdict_name(record.verdict),
                task_id=record.task_id,
                annotator=record.annotator,
                revision=record.revision,
            )
        )
        self.show_current(keep_status=True)

    # -- navigation and overlays -----------------------------------------------------------
    def action_back(self) -> None:
        if self.session.back():
            self.show_current()
        else:
            self.set_status(_("this is the first planned item"), error=True)

    def action_forward(self) -> None:
        if self.session.forward():
            self.show_current()
        else:
            self.set_status(_("this is the last planned item"), error=True)

    def action_skip(self) -> None:
        if self.session.skip():
            self.show_current()
            self.set_status(_("skipped: it stays in your plan"))
        else:
            self.set_status(_("no other unaudited item to go to"), error=True)

    def action_reveal(self) -> None:
        if self.session.current() is not None:
            self.revealed.add(self.session.position)
            self.show_current()

    def action_audit_scroll_up(self) -> None:
        self.body.scroll_up(animate=False)

    def action_audit_scroll_down(self) -> None:
        self.body.scroll_down(animate=False)
