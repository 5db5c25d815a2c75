"""The audit review screen: one planned item at a time, the annotator's answer shown in the
task type's own view, and a verdict on one key — pass, fail (error categories + comment) or
correct (the task type's view in correct mode, then categories + comment).

Keys are mapped to binding ids through the keymap (audit.* from audit_keys.toml, app.* from
keymaps/default.toml); every verdict is appended and fsynced by AuditWriter before the next
item is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import ValidationError
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from task_types.base import TaskType
from tui.core.audit import AuditInputError, PlanItemStatus
from tui.core.keymap import Keymap
from tui.core.problems import Problem
from tui.core.records import AuditRecord
from tui.core.safe_text import visible
from tui.key_gate import ItemPaintGate, KeyGateApp, PaintedGate
from tui.screens.audit_session import AuditSession, help_keymap
from tui.screens.guidelines import GuidelinesScreen
from tui.screens.help import HelpScreen
from tui.task_view import Refusal, TaskView, ViewContext
from tui.widgets.task_text import literal_text

ReviewMode = Literal["review", "correct"]
ErrorsChoice = tuple[list[str], str]

_REVIEW_HINTS = (
    ("audit.pass", "pass"),
    ("audit.fail", "fail"),
    ("audit.correct", "correct"),
    ("app.skip", "skip"),
    ("app.back", "back"),
    ("app.forward", "next"),
    ("app.help", "keys"),
    ("app.quit", "quit"),
)
_CORRECT_HINTS = (
    ("app.submit", "save correction"),
    ("audit.cancel", "cancel"),
    ("app.help", "keys"),
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


def _key_bar(keymap: Keymap, hints: Sequence[tuple[str, str]]) -> Text:
    out = Text()
    for binding_id, word in hints:
        keys = keymap.display(binding_id, limit=1)
        if keys:
            out.append(f" {keys} ", style="reverse")
            out.append(f" {word}  ")
    return out


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

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"{self.verdict}: which errors?"
            yield Static(self._render_categories(), id="categories")
            yield Input(placeholder="optional comment for the annotator", id="comment")
            yield Static(self._hint(), id="errors-hint")

    def _render_categories(self) -> Text:
        out = Text()
        if self.about:
            out.append(literal_text(self.about, style="italic"))
            out.append("\n")
        out.append("Toggle one or more categories:\n", style="bold")
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
            f"{k('audit.comment', 1)} comment · {k('app.submit', 1)} record · "
            f"{k('audit.cancel', 1)} cancel",
            style="dim",
        )

    def _comment(self) -> Input:
        return self.query_one("#comment", Input)

    def on_key(self, event: events.Key) -> None:
        typing = self._comment().has_focus
        binding_id = self.keymap.lookup([event.key, *event.aliases], ("label", "audit", "app"))
        if binding_id is None:
            return
        if typing and binding_id not in ("app.submit", "audit.cancel", "audit.comment"):
            return
        event.stop()
        event.prevent_default()
        if binding_id.startswith("label."):
            self.toggle(int(binding_id.split(".", 1)[1]))
        elif binding_id == "audit.comment":
            if typing:
                self.set_focus(None)
            else:
                self._comment().focus()
        elif binding_id == "app.submit":
            self.confirm()
        elif binding_id == "audit.cancel":
            self.dismiss(None)

    def toggle(self, n: int) -> None:
        if not 1 <= n <= len(self.categories):
            self.query_one("#errors-hint", Static).update(self._hint(f"there is no category {n}"))
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
                self._hint(f"choose at least one error category first ({first}, …)")
            )
            return
        ordered = [c for c in self.categories if c in self.chosen]
        self.dismiss((ordered, self._comment().value.strip()))


class AuditReviewScreen(ItemPaintGate, Screen[None]):
    DEFAULT_CSS = """
    AuditReviewScreen { layout: vertical; }
    #audit-header { height: 1; background: $primary-background; padding: 0 1; }
    #audit-progress { height: 1; padding: 0 1; color: $text-muted; }
    #audit-answer { height: auto; max-height: 5; padding: 0 1; }
    #audit-body { height: 1fr; border: round $panel; }
    #audit-status { height: 1; padding: 0 1; }
    #audit-keys { height: auto; max-height: 2; padding: 0 1; background: $panel; }
    .notice { padding: 1 2; }
    .problem { color: $error; padding: 0 1; }
    """

    AUTO_FOCUS = ""  # in review mode no widget of the view takes the keys

    def __init__(self, session: AuditSession) -> None:
        super().__init__()
        self.session = session
        self.keymap = session.keymap
        self.view: TaskView | None = None
        self.mode: ReviewMode = "review"
        self.revealed: set[int] = set()
        self._status = Text("")

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="audit-header")
        yield Static(id="audit-progress")
        yield Static(id="audit-answer")
        yield VerticalScroll(id="audit-body")
        yield Static(id="audit-status")
        yield Static(id="audit-keys")

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
    def set_status(self, text: str, error: bool = False) -> None:
        self._status = Text(text, style="bold red" if error else "green")
        self.query_one("#audit-status", Static).update(self._status)

    def refresh_progress(self) -> None:
        s = self.session
        batch = s.batch
        header = Text()
        header.append("AUDIT ", style="bold reverse")
        header.append(" ")
        header.append(literal_text(batch.config.title or batch.id, style="bold"))
        header.append(f"  ·  {batch.task_type.name}  ·  auditor {visible(s.auditor)}")
        self.query_one("#audit-header", Static).update(header)
        counts = s.verdict_counts()
        tally = f"{counts['pass']} pass, {counts['fail']} fail, {counts['corrected']} corrected"
        if s.finished:
            where = "all done" if s.done == s.total else "end of plan"
        else:
            where = f"item {s.position + 1} of {s.total}"
        line = f"{where}  ·  {s.done} of {s.total} done ({tally})  ·  {s.total - s.done} to go"
        self.query_one("#audit-progress", Static).update(line)

    def _answer_line(self, status: PlanItemStatus) -> Text:
        task_type = self.session.batch.task_type
        item = status.item
        out = Text()
        out.append(literal_text(item.task_id, style="bold"))
        out.append(f"  by {visible(item.annotator)}  ·  revision {item.revision}")
        if status.answer is not None:
            out.append(f"  ·  {status.answer.answer}")
            flag = status.answer.flag
            if flag is not None:
                out.append(f"  ·  flag: {flag.reason}", style="bold yellow")
                if flag.note:
                    out.append(" — ")
                    out.append(literal_text(flag.note, style="yellow"))
        if status.stale:
            out.append(
                f"\n⚠ STALE: {visible(item.annotator)} changed this answer after it was planned (now "
                f"revision {status.current_revision}); your verdict is on revision "
                f"{item.revision}, shown here",
                style="bold yellow",
            )
        if status.answer is not None:
            out.append("\nanswer: ", style="bold")
            out.append(literal_text(task_type.summarize(status.answer.value)))
        if status.audit is not None:
            out.append("\n")
            out.append(self._audit_words(status.audit))
        return out

    def _audit_words(self, audit: AuditRecord) -> Text:
        out = Text("audited: ", style="bold")
        out.append(audit.verdict, style=_VERDICT_STYLE.get(audit.verdict, "bold"))
        if audit.errors:
            out.append(f" ({visible(', '.join(audit.errors))})")
        if audit.corrected_value is not None:
            out.append(" → ")
            out.append(literal_text(self.session.batch.task_type.summarize(audit.corrected_value)))
        if audit.comment:
            out.append(" — ")
            out.append(literal_text(audit.comment, style="italic"))
        out.append("  (a new verdict replaces it)", style="dim")
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
            return (
                f"The planned answer (revision {status.item.revision}) is no longer in "
                f"results/{status.item.annotator}.jsonl: there is nothing to audit. "
                f"Press {self.keymap.display('app.skip')} to skip it."
            )
        item = s.item_of(status)
        if item is None:
            if not s.located_all:
                return "finding the task in tasks.jsonl…"
            return (
                f"Task {status.item.task_id!r} is not in {s.batch.tasks_path.name}: judge the "
                "answer from its summary above (pass or fail; a correction needs the task)."
            )
        if item.task is None:
            found = "; ".join(str(p) for p in item.problems) or "invalid task line"
            return f"The task line is invalid, so it cannot be shown: {found}"
        if self._hidden(item.raw):
            return (
                f"Sensitive content hidden. Press {self.keymap.display('app.reveal')} to reveal it."
            )
        return None

    def show_current(self, keep_status: bool = False) -> None:
        body = self.query_one("#audit-body", VerticalScroll)
        body.remove_children()
        self.view = None
        self.mode = "review"
        s = self.session
        status = s.current()
        answer = self.query_one("#audit-answer", Static)
        if status is None:
            answer.update("")
            counts = s.verdict_counts()
            if s.done == s.total:
                every = (
                    "The planned item is" if s.total == 1 else f"All {s.total} planned items are"
                )
                msg = (
                    f"{every} audited: {counts['pass']} pass, "
                    f"{counts['fail']} fail, {counts['corrected']} corrected. Every verdict "
                    f"is saved.\n\n{self.keymap.display('app.back')} goes back to revisit "
                    f"an item; {self.keymap.display('app.quit')} quits."
                )
            else:
                msg = (
                    f"{s.total - s.done} planned items are not audited yet. "
                    f"{self.keymap.display('app.back')} goes back; "
                    f"{self.keymap.display('app.quit')} quits (verdicts so far are saved)."
                )
            mounted = body.mount(Static(msg, classes="notice"))
        else:
            answer.update(self._answer_line(status))
            why_not = self._can_show_view(status)
            if why_not is not None:
                mounted = body.mount(Static(literal_text(why_not), classes="notice"))
            else:
                self.view = self._make_view(status, "review")
                mounted = body.mount(self.view)
                self.call_after_refresh(self._unfocus)
        s.show()
        body.scroll_home(animate=False)
        if not keep_status:
            self._status = Text("")
        self.query_one("#audit-status", Static).update(self._status)
        self.refresh_progress()
        self._render_keys()
        # Keys wait until this item is mounted and painted (tui/key_gate.py).
        self.item_shown(mounted, status.item.task_id if status is not None and self.view else None)

    def _unfocus(self) -> None:
        """A view that focuses one of its widgets on mount must not eat the verdict keys."""
        if self.mode == "review":
            self.set_focus(None)

    def _render_keys(self) -> None:
        hints = _CORRECT_HINTS if self.mode == "correct" else _REVIEW_HINTS
        ids: list[tuple[str, str]] = []
        if self.mode == "correct" and self.view is not None:
            for binding_id in self.view.hint_ids():
                if binding_id != "app.submit":
                    ids.append((binding_id, binding_id.split(".", 1)[1].replace("_", " ")))
        self.query_one("#audit-keys", Static).update(_key_bar(self.keymap, [*hints, *ids]))

    # -- keys ------------------------------------------------------------------------------
    def _contexts(self) -> tuple[str, ...]:
        if self.mode == "correct":
            task_type = self.session.batch.task_type
            label = ("label",) if task_type.uses_label_keys else ()
            return (task_type.name, *label, "audit", "app")
        return ("audit", "app")

    def on_key(self, event: events.Key) -> None:
        if self.mode == "correct" and self.view is not None and self.view.editing:
            return
        keys = [event.key, *event.aliases]
        binding_id = self.keymap.lookup(keys, self._contexts())
        if self.mode == "review" and self.view is not None:
            # Keys that only look (scroll, cursor, zoom, play, open externally) work in review.
            task_type = self.session.batch.task_type
            looking = self.keymap.lookup(keys, ("audit", task_type.name))
            if looking is not None and looking in task_type.review_ids():
                binding_id = looking
        if binding_id is None:
            return
        event.stop()
        event.prevent_default()
        self.dispatch_binding(binding_id)

    def dispatch_binding(self, binding_id: str) -> None:
        context, _, action = binding_id.partition(".")
        if context not in ("audit", "app"):
            looking = binding_id in self.session.batch.task_type.review_ids()
            in_view = (self.mode == "correct" or looking) and self.view is not None
            if in_view and self.view is not None and not self.view.handle(binding_id):
                self.set_status(f"{binding_id} does nothing here", error=True)
            return
        if self.mode == "correct" and binding_id not in (
            "app.submit",
            "audit.cancel",
            "app.help",
            "app.guidelines",
            "app.quit",
            "audit.scroll_up",
            "audit.scroll_down",
        ):
            self.set_status(
                f"finish the correction ({self.keymap.display('app.submit', 1)}) or "
                f"{self.keymap.display('audit.cancel', 1)} to leave it",
                error=True,
            )
            return
        handler = getattr(self, f"do_{context}_{action}", None)
        if handler is not None:
            handler()
        else:
            self.set_status(f"{binding_id} does nothing in the audit review", error=True)

    # -- verdicts --------------------------------------------------------------------------
    def _auditable(self) -> PlanItemStatus | None:
        status = self.session.current()
        if status is None:
            self.set_status("no item here: go back to revisit one", error=True)
            return None
        if status.answer is None:
            self.set_status("the planned answer is gone: nothing to audit, skip it", error=True)
            return None
        return status

    def do_audit_pass(self) -> None:
        if self._auditable() is not None:
            self._record("pass")

    def do_audit_fail(self) -> None:
        status = self._auditable()
        if status is None:
            return
        self._ask_errors("fail", None, status)

    def do_audit_correct(self) -> None:
        status = self._auditable()
        if status is None:
            return
        why_not = self._can_show_view(status)
        if why_not is not None:
            self.set_status("cannot correct here: " + why_not.split(":")[0], error=True)
            return
        body = self.query_one("#audit-body", VerticalScroll)
        body.remove_children()
        self.view = self._make_view(status, "correct")
        self.mode = "correct"
        body.mount(self.view)
        self.set_status(
            f"correcting: change the answer, {self.keymap.display('app.submit', 1)} saves it, "
            f"{self.keymap.display('audit.cancel', 1)} cancels"
        )
        self._render_keys()

    def do_audit_cancel(self) -> None:
        if self.mode == "correct":
            self.show_current()
            self.set_status("correction cancelled")

    def do_app_submit(self) -> None:
        if self.mode != "correct" or self.view is None:
            self.set_status(
                f"choose a verdict: {self.keymap.display('audit.pass', 1)} pass · "
                f"{self.keymap.display('audit.fail', 1)} fail · "
                f"{self.keymap.display('audit.correct', 1)} correct",
                error=True,
            )
            return
        result = self.view.submit_value()
        if isinstance(result, Refusal):
            self.set_status(str(result), error=True)
            return
        self._corrected(result[1])

    @on(TaskView.Submitted)
    def _view_submitted(self, message: TaskView.Submitted) -> None:
        message.stop()
        if self.mode == "correct":
            self._corrected(message.value)
        else:
            self.set_status(
                f"to change the answer press {self.keymap.display('audit.correct', 1)}",
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
            self.set_status("the view gave no answer value to save as the correction", True)
            return
        if _same_answer(task_type, value, status.answer.value):
            self.set_status(
                "that is the annotator's answer: change it, or "
                f"{self.keymap.display('audit.cancel', 1)} and "
                f"{self.keymap.display('audit.pass', 1)} to pass it",
                error=True,
            )
            return
        try:
            task_type.parse_answer(value)
        except ValidationError as exc:
            self.set_status(f"not a valid answer: {exc.errors()[0]['msg']}", error=True)
            return
        self._ask_errors("corrected", value, status)

    def _ask_errors(
        self, verdict: str, corrected: dict[str, Any] | None, status: PlanItemStatus
    ) -> None:
        task_type = self.session.batch.task_type
        assert status.answer is not None
        about = f"{status.item.task_id} by {status.item.annotator}: "
        about += task_type.summarize(status.answer.value)
        if corrected is not None:
            about += f" → {task_type.summarize(corrected)}"

        def chosen(result: ErrorsChoice | None) -> None:
            if result is None:
                self.set_status(f"{verdict} not recorded (cancelled)")
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
            self.set_status(f"not recorded: {exc}", error=True)
            return
        except OSError as exc:
            self.set_status(
                f"NOT SAVED ({exc.strerror or exc}): fix the disk and press again", error=True
            )
            return
        self.set_status(
            f"✓ {record.verdict} saved for {record.task_id} ({record.annotator}, "
            f"revision {record.revision})"
        )
        self.show_current(keep_status=True)

    # -- navigation and overlays -----------------------------------------------------------
    def do_app_back(self) -> None:
        if self.session.back():
            self.show_current()
        else:
            self.set_status("this is the first planned item", error=True)

    def do_app_forward(self) -> None:
        if self.session.forward():
            self.show_current()
        else:
            self.set_status("this is the last planned item", error=True)

    def do_app_skip(self) -> None:
        if self.session.skip():
            self.show_current()
            self.set_status("skipped: it stays in your plan")
        else:
            self.set_status("no other unaudited item to go to", error=True)

    def do_app_reveal(self) -> None:
        if self.session.current() is not None:
            self.revealed.add(self.session.position)
            self.show_current()

    def do_app_guidelines(self) -> None:
        path = self.session.batch.guidelines_path
        if path is None:
            self.set_status("this batch has no guidelines file", error=True)
            return
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            self.set_status(f"cannot read {path}: {exc.strerror or exc}", error=True)
            return
        self.app.push_screen(GuidelinesScreen(path.name, text))

    def do_app_help(self) -> None:
        count = max(len(self.session.writer.batch.error_categories), 9)
        self.app.push_screen(HelpScreen(help_keymap(self.keymap), count))

    def do_audit_scroll_up(self) -> None:
        self.query_one("#audit-body", VerticalScroll).scroll_up(animate=False)

    def do_audit_scroll_down(self) -> None:
        self.query_one("#audit-body", VerticalScroll).scroll_down(animate=False)

    def do_app_quit(self) -> None:
        self.app.exit()


class AuditApp(KeyGateApp, inherit_bindings=False):
    """No inherited bindings: every key is the keymap's (ctrl+q included)."""

    TITLE = "labeldesk audit"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, session: AuditSession, problems: Sequence[Problem] = ()) -> None:
        super().__init__()
        self.session = session
        self.problems = list(problems)

    def on_key_activity(self, event: events.Key) -> None:
        # Every key the auditor presses (dialogs and the comment included) is active time.
        self.session.clock.touch()

    def on_mount(self) -> None:
        self.push_screen(AuditReviewScreen(self.session))
        for problem in self.problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)
