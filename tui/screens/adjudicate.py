"""The adjudication screen: one item whose annotators disagree at a time, every annotator's
answer listed (the distinct answers numbered, with who gave each), one shown in the task
type's own view, and a decision on one key — pick answer N, or correct it.

It is the audit review screen's way of working, reused: the same ItemScreen layout and key
rules, the review/correct modes and their bindings (audit.correct opens the task's view in
correct mode, app.submit saves the correction, audit.cancel leaves it; while correcting only
the keys of AuditReviewScreen.CORRECTING_IDS act), and every decision appended and fsynced
before the next item is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from tui.core.i18n import NC_, _, ngettext, pgettext
from tui.core.merge.adjudication_session import (
    ADJUDICATE_APP_IDS,
    AdjudicationSession,
    QueueItem,
)
from tui.core.merge.adjudications import Adjudication
from tui.core.records import answer_kind_name
from tui.core.safe_text import visible
from tui.screens.audit_review import AuditReviewScreen
from tui.screens.item_screen import ItemScreen
from tui.task_view import Refusal, TaskView, ViewContext
from tui.widgets.line import Line
from tui.widgets.task_text import literal_text

Mode = Literal["review", "correct"]

# How each merge outcome is called on screen (the ids are what the files hold).
_SOURCE_WORDS = {
    "single": NC_("merge source", "single"),
    "unanimous": NC_("merge source", "unanimous"),
    "majority": NC_("merge source", "majority"),
    "adjudicated": NC_("merge source", "adjudicated"),
    "unresolved": NC_("merge source", "unresolved"),
}
_REVIEW_HINTS = (
    "adjudicate.pick_1",
    "adjudicate.pick_2",
    "audit.correct",
    "adjudicate.show_next",
    "app.skip",
    "app.back",
    "app.forward",
    "app.help",
    "app.quit",
)


class AdjudicationScreen(ItemScreen):
    DEFAULT_CSS = """
    AdjudicationScreen > #answers { height: auto; max-height: 7; padding: 0 1; }
    """
    CORRECTING_IDS = AuditReviewScreen.CORRECTING_IDS

    def __init__(self, session: AdjudicationSession) -> None:
        super().__init__(session.keymap)
        self.session = session
        self.mode: Mode = "review"
        self.revealed: set[int] = set()
        self._bind_mode()

    def _bind_mode(self) -> None:
        """Review: decisions, navigation and the view's keys that only look. Correcting:
        the view's keys and label keys first, then what leaves it (as in audit review)."""
        task_type = self.session.batch.task_type
        if self.mode == "correct":
            label = ("label",) if task_type.uses_label_keys else ()
            self.bind_keys((task_type.name, *label, "audit", "app"), self._in_screen)
        else:
            looking = task_type.review_ids()
            self.bind_keys(
                ("adjudicate", "audit", task_type.name, "app"),
                lambda b: (
                    self._in_screen(b)
                    and (b.startswith(("adjudicate.", "audit.", "app.")) or b in looking)
                ),
            )

    def _in_screen(self, binding_id: str) -> bool:
        if binding_id.startswith("app."):
            return binding_id in ADJUDICATE_APP_IDS
        # The audit verdicts and the error dialog's keys do not apply here.
        return binding_id not in ("audit.pass", "audit.fail", "audit.comment")

    # -- layout ----------------------------------------------------------------------------
    def compose_info(self) -> ComposeResult:
        yield Static(id="answers")

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
        header.append(_("ADJUDICATE "), style="bold reverse")
        header.append(" ")
        header.append(literal_text(batch.config.title or batch.id, style="bold"))
        header.append(
            _("  ·  {name}  ·  adjudicator {adjudicator}").format(
                name=batch.task_type.name, adjudicator=visible(s.adjudicator)
            )
        )
        self.query_one("#header", Line).set(header)
        if s.finished:
            where = _("all decided") if s.done == s.total else _("end of the queue")
        else:
            where = _("item {position} of {total}").format(position=s.position + 1, total=s.total)
        line = _("{where}  ·  {done} of {total} decided  ·  {left} to go").format(
            where=where, done=s.done, total=s.total, left=s.total - s.done
        )
        self.query_one("#progress", Line).set(Text(line))

    def _answers_text(self, item: QueueItem) -> Text:
        task_type = self.session.batch.task_type
        record = item.record
        out = Text()
        out.append(literal_text(item.task_id, style="bold"))
        votes = len(record.votes)
        out.append(
            ngettext(
                "  ·  {source}  ·  {votes} vote", "  ·  {source}  ·  {votes} votes", votes
            ).format(source=pgettext("merge source", _SOURCE_WORDS[record.source]), votes=votes)
        )
        shown = self.session.shown_choice % max(1, len(item.choices))
        for n, group in enumerate(item.choices, start=1):
            key = self.keymap.display(f"adjudicate.pick_{n}", limit=1) if n <= 9 else ""
            out.append("\n")
            out.append(f" {key or '·'} ", style="reverse bold")
            out.append(" ")
            marker = "▶ " if n - 1 == shown else "  "
            out.append(marker, style="bold cyan")
            out.append(literal_text(", ".join(group.annotators), style="bold"))
            out.append(f" ({answer_kind_name(group.first.answer)}): ")
            out.append(literal_text(task_type.summarize(group.first.value)))
        for vote in record.abstained:
            out.append("\n    ")
            out.append(literal_text(vote.annotator, style="dim"))
            out.append(_(" {answer} (no vote)").format(answer=vote.answer), style="dim")
        for flag in record.flags:
            out.append("\n    ⚑ ", style="bold yellow")
            out.append(literal_text(flag["annotator"], style="yellow"))
            out.append(f": {flag['reason']}", style="yellow")
            if flag.get("note"):
                out.append(" — ")
                out.append(literal_text(flag["note"], style="yellow"))
        if item.decision is not None:
            out.append("\n")
            out.append(self._decision_words(item.decision))
        return out

    def _decision_words(self, decision: Adjudication) -> Text:
        out = Text(_("decided:") + " ", style="bold")
        if decision.decision == "pick":
            out.append(_("answer of "), style="bold green")
            out.append(literal_text(", ".join(decision.chosen), style="bold green"))
        else:
            out.append(_("corrected → "), style="bold yellow")
            out.append(literal_text(self.session.batch.task_type.summarize(decision.value)))
        out.append(_("  (a new decision replaces it)"), style="dim")
        return out

    def _hidden(self, raw: dict[str, Any] | None) -> bool:
        if self.session.position in self.revealed:
            return False
        if self.session.batch.config.sensitive:
            return True
        meta = raw.get("meta") if raw else None
        return isinstance(meta, dict) and bool(meta.get("sensitive"))

    def _make_view(self, item: QueueItem, mode: Mode) -> TaskView:
        task = self.session.item_of(item)
        assert task is not None and task.task is not None
        vote = self.session.shown_vote()
        batch = self.session.batch
        ctx = ViewContext(
            task_type=batch.task_type,
            options=batch.options,
            task=task.task,
            previous=dict(vote.value) if vote is not None and vote.value is not None else None,
            keymap=self.keymap,
            batch_dir=batch.folder,
            mode=mode,
            annotator=vote.annotator if vote is not None else self.session.adjudicator,
            previous_answer=vote.answer if vote is not None else None,
        )
        view: TaskView = batch.task_type.view_class()(ctx)
        return view

    def _can_show_view(self, item: QueueItem) -> str | None:
        s = self.session
        task = s.item_of(item)
        if task is None:
            if not s.located_all:
                return _("finding the task in tasks.jsonl…")
            return _(
                "Task {task_id!r} is not in {name}: decide from the answers above (pick one; a correction needs the task)."
            ).format(task_id=item.task_id, name=s.batch.tasks_path.name)
        if task.task is None:
            found = "; ".join(str(p) for p in task.problems) or _("invalid task line")
            return _("The task line is invalid, so it cannot be shown: {found}").format(found=found)
        if self._hidden(task.raw):
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
        item = s.current()
        answers = self.query_one("#answers", Static)
        widget: Widget
        if item is None:
            answers.update("")
            if s.done == s.total:
                msg = _(
                    "All {total} item(s) of the queue are decided; every decision is saved in {path}.\n\n{key} goes back to revisit one; {key2} quits."
                ).format(
                    total=s.total,
                    path=visible(str(s.writer.path)),
                    key=self.keymap.display("app.back"),
                    key2=self.keymap.display("app.quit"),
                )
            else:
                msg = _(
                    "{done} item(s) are not decided yet. {key} goes back; {key2} quits (decisions so far are saved)."
                ).format(
                    done=s.total - s.done,
                    key=self.keymap.display("app.back"),
                    key2=self.keymap.display("app.quit"),
                )
            widget = Static(msg, classes="notice")
        else:
            answers.update(self._answers_text(item))
            why_not = self._can_show_view(item)
            if why_not is not None:
                widget = Static(literal_text(why_not), classes="notice")
            else:
                self.view = self._make_view(item, "review")
                widget = self.view
                self.call_after_refresh(self._unfocus)
        s.show()
        if not keep_status:
            self._status = Text("")
        self.query_one("#status", Line).set(self._status)
        self.refresh_progress()
        self.put_item(widget, item.task_id if item is not None and self.view else None)
        self.render_keys()

    def _unfocus(self) -> None:
        """A view that focuses one of its widgets on mount must not eat the decision keys."""
        if self.mode == "review":
            self.set_focus(None)

    def hint_ids(self) -> list[str]:
        if self.mode == "correct":
            view = [b for b in super().hint_ids() if b != "app.submit"]
            return ["app.submit", "audit.cancel", *view, "app.help"]
        return list(_REVIEW_HINTS)

    # -- keys ------------------------------------------------------------------------------
    def action_for(self, binding_id: str) -> str | None:
        context, _dot, name = binding_id.partition(".")
        leaves = context in ("app", "audit", "adjudicate")
        if self.mode == "correct" and leaves and binding_id not in self.CORRECTING_IDS:
            return "finish_correction"
        if context == "adjudicate":
            if name.startswith("pick_"):
                return f"pick({int(name.removeprefix('pick_'))})"
            return name if hasattr(self, f"action_{name}") else None
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

    def guidelines_file(self) -> Path | None:
        return self.session.batch.guidelines_path

    # -- decisions -------------------------------------------------------------------------
    def action_pick(self, n: int) -> None:
        item = self.session.current()
        if item is None:
            self.set_status(_("no item here: go back to revisit one"), error=True)
            return
        if n > len(item.choices):
            self.set_status(
                _("there is no answer {n} here: 1 to {choices}").format(
                    n=n, choices=len(item.choices)
                ),
                error=True,
            )
            return
        self._decide(lambda: self.session.pick(n))

    def action_show_next(self) -> None:
        if self.session.show_next_choice():
            self.show_current()
            vote = self.session.shown_vote()
            if vote is not None:
                self.set_status(
                    _("showing the answer of {annotator}").format(annotator=vote.annotator)
                )
        else:
            self.set_status(_("there is no other answer to show"), error=True)

    def action_audit_correct(self) -> None:
        item = self.session.current()
        if item is None:
            self.set_status(_("no item here: go back to revisit one"), error=True)
            return
        why_not = self._can_show_view(item)
        if why_not is not None:
            self.set_status(_("cannot correct here: ") + why_not.split(":")[0], error=True)
            return
        self.view = self._make_view(item, "correct")
        self.mode = "correct"
        self._bind_mode()
        self.put_item(self.view, item.task_id)
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
                _("decide: {key}… takes that answer · {key2} corrects it").format(
                    key=self.keymap.display("adjudicate.pick_1", 1),
                    key2=self.keymap.display("audit.correct", 1),
                ),
                error=True,
            )
            return
        result = self.view.submit_value()
        if isinstance(result, Refusal):
            self.set_status(str(result), error=True)
            return
        self._corrected(*result)

    def receive_answer(self, task_id: str, answer: str, value: dict[str, Any] | None) -> None:
        if self.mode == "correct":
            self._corrected(answer, value)
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

    def _corrected(self, answer: str, value: dict[str, Any] | None) -> None:
        if value is None and answer not in ("accept", "reject"):
            self.set_status(_("the view gave no answer to save as the decision"), error=True)
            return
        if answer not in ("accept", "reject"):
            self.set_status(
                _("a {answer} settles nothing: give an answer").format(answer=answer), error=True
            )
            return
        self._decide(lambda: self.session.correct(answer, value))

    def _decide(self, act: Any) -> None:
        try:
            record: Adjudication = act()
        except ValidationError as exc:
            from tui.core.pydantic_text import error_message

            self.set_status(
                _("not a valid answer: {msg}").format(msg=error_message(exc.errors()[0])),
                error=True,
            )
            return
        except ValueError as exc:
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
        who = ", ".join(record.chosen) if record.chosen else _("your correction")
        self.set_status(
            _("✓ decided {task_id}: {who} (saved)").format(task_id=record.task_id, who=who)
        )
        self.show_current(keep_status=True)

    # -- navigation and overlays -----------------------------------------------------------
    def action_back(self) -> None:
        if self.session.back():
            self.show_current()
        else:
            self.set_status(_("this is the first item of the queue"), error=True)

    def action_forward(self) -> None:
        if self.session.forward():
            self.show_current()
        else:
            self.set_status(_("this is the last item of the queue"), error=True)

    def action_skip(self) -> None:
        if self.session.skip():
            self.show_current()
            self.set_status(_("skipped: it stays in the queue"))
        else:
            self.set_status(_("no other undecided item to go to"), error=True)

    def action_reveal(self) -> None:
        if self.session.current() is not None:
            self.revealed.add(self.session.position)
            self.show_current()

    def action_audit_scroll_up(self) -> None:
        self.body.scroll_up(animate=False)

    def action_audit_scroll_down(self) -> None:
        self.body.scroll_down(animate=False)
