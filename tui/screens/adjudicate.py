"""The adjudication screen: one item whose annotators disagree at a time, every annotator's
answer listed (the distinct answers numbered, with who gave each), one shown in the task
type's own view, and a decision on one key — pick answer N, or correct it.

It is the audit review screen's way of working, shared with it in ReviewScreen
(tui/screens/review.py): the same ItemScreen layout and key rules, the review/correct modes
and their bindings (audit.correct opens the task's view in correct mode, app.submit saves the
correction, audit.cancel leaves it; while correcting only the keys of
ReviewScreen.CORRECTING_IDS act), and every decision appended and fsynced before the next
item is shown.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tui.core.i18n import NC_, _, ngettext, pgettext
from tui.core.merge.adjudication_session import AdjudicationSession, QueueItem
from tui.core.merge.adjudications import Adjudication
from tui.core.records import answer_kind_name
from tui.core.safe_text import visible
from tui.screens.review import NavWords, ReviewScreen, ShownAnswer
from tui.widgets.task_text import literal_text

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


class AdjudicationScreen(ReviewScreen[QueueItem, Adjudication]):
    DEFAULT_CSS = """
    AdjudicationScreen > #answers { height: auto; max-height: 7; padding: 0 1; }
    """
    SCREEN_CONTEXTS = ("adjudicate", "audit")
    # The audit verdicts and the error dialog's keys do not apply here.
    NOT_HERE = frozenset({"audit.pass", "audit.fail", "audit.comment"})
    INFO_ID = "answers"
    REVIEW_HINTS = _REVIEW_HINTS
    session: AdjudicationSession

    def __init__(self, session: AdjudicationSession) -> None:
        super().__init__(session)

    # -- rendering -------------------------------------------------------------------------
    def header_words(self) -> tuple[str, str]:
        s = self.session
        return _("ADJUDICATE "), _("  ·  {name}  ·  adjudicator {adjudicator}").format(
            name=s.batch.task_type.name, adjudicator=visible(s.adjudicator)
        )

    def progress_text(self) -> str:
        s = self.session
        where = self.where(_("all decided"), _("end of the queue"))
        return _("{where}  ·  {done} of {total} decided  ·  {left} to go").format(
            where=where, done=s.done, total=s.total, left=s.total - s.done
        )

    def info_text(self, item: QueueItem) -> Text:
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

    def finished_text(self) -> str:
        s = self.session
        if s.done == s.total:
            return _(
                "All {total} item(s) of the queue are decided; every decision is saved in {path}.\n\n{key} goes back to revisit one; {key2} quits."
            ).format(
                total=s.total,
                path=visible(str(s.writer.path)),
                **self.back_and_quit_keys(),
            )
        return _(
            "{done} item(s) are not decided yet. {key} goes back; {key2} quits (decisions so far are saved)."
        ).format(done=s.total - s.done, **self.back_and_quit_keys())

    def shown_answer(self, item: QueueItem) -> ShownAnswer:
        vote = self.session.shown_vote()
        if vote is None:
            return ShownAnswer(None, self.session.adjudicator, None)
        previous = dict(vote.value) if vote.value is not None else None
        return ShownAnswer(previous, vote.annotator, vote.answer)

    def task_missing_text(self, item: QueueItem) -> str:
        return _(
            "Task {task_id!r} is not in {name}: decide from the answers above (pick one; a correction needs the task)."
        ).format(task_id=item.task_id, name=self.session.batch.tasks_path.name)

    # -- keys ------------------------------------------------------------------------------
    def review_action(self, binding_id: str) -> str | None:
        context, _dot, name = binding_id.partition(".")
        if context == "adjudicate":
            if name.startswith("pick_"):
                return f"pick({int(name.removeprefix('pick_'))})"
            return name if hasattr(self, f"action_{name}") else None
        return super().review_action(binding_id)

    # -- decisions -------------------------------------------------------------------------
    def action_pick(self, n: int) -> None:
        item = self.decidable()
        if item is None:
            return
        if n > len(item.choices):
            self.set_status(
                _("there is no answer {n} here: 1 to {choices}").format(
                    n=n, choices=len(item.choices)
                ),
                error=True,
            )
            return
        self.decide(lambda: self.session.pick(n))

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

    def submit_refusal(self) -> str:
        return _("decide: {key}… takes that answer · {key2} corrects it").format(
            key=self.keymap.display("adjudicate.pick_1", 1),
            key2=self.keymap.display("audit.correct", 1),
        )

    def corrected(self, answer: str, value: dict[str, Any] | None) -> None:
        if value is None and answer not in ("accept", "reject"):
            self.set_status(_("the view gave no answer to save as the decision"), error=True)
            return
        if answer not in ("accept", "reject"):
            self.set_status(
                _("a {answer} settles nothing: give an answer").format(answer=answer), error=True
            )
            return
        self.decide(lambda: self.session.correct(answer, value))

    def saved_text(self, record: Adjudication) -> str:
        who = ", ".join(record.chosen) if record.chosen else _("your correction")
        return _("✓ decided {task_id}: {who} (saved)").format(task_id=record.task_id, who=who)

    def nav_words(self) -> NavWords:
        return NavWords(
            first=_("this is the first item of the queue"),
            last=_("this is the last item of the queue"),
            skipped=_("skipped: it stays in the queue"),
            nothing_to_skip=_("no other undecided item to go to"),
        )
