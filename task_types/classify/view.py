"""classify view: the text, then the labels with their keys. Single-label: one key answers.
Multi-label: keys toggle, app.submit saves."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult

from task_types.classify import choices_for
from task_types.classify.models import ClassifyAnswer, ClassifyOptions, ClassifyTask
from task_types.view_notes import SKIPPED_NOTE, not_a_label, was_skipped
from tui.core.i18n import _
from tui.core.keymap import key_display
from tui.task_view import Refusal, TaskView, ViewContext
from tui.widgets.line import DiffText
from tui.widgets.task_text import literal_text


class ClassifyView(TaskView[ClassifyTask, ClassifyOptions, ClassifyAnswer]):
    DEFAULT_CSS = """
    ClassifyView { height: auto; }
    ClassifyView > .text { margin: 0 1 1 1; }
    ClassifyView > .choices { margin: 0 1; }
    """

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        self._load(ctx)
        # DiffText: the next item repaints only the cells that differ (the labels, mostly
        # the same from item to item, are not sent again).
        self._text_widget = DiffText(literal_text(self.task.text), classes="text")
        self._choices_widget = DiffText(self._render_choices(), keep_height=True, classes="choices")

    def _load(self, ctx: ViewContext) -> None:
        self.adopt(ctx)
        task, options = self.task, self.options
        self.multi = options.multi
        self.choices = choices_for(task, options)
        previous = self.previous.labels if self.previous is not None else []
        self.chosen: list[str] = [c for c, _ in self.choices if c in previous]
        self.initial = list(self.chosen)

    def compose(self) -> ComposeResult:
        yield self._text_widget
        yield self._choices_widget

    def label_count(self) -> int | None:
        return len(self.choices)

    def reload(self, ctx: ViewContext) -> bool:
        self._load(ctx)
        self._text_widget.set(literal_text(self.task.text))
        self._choices_widget.set(self._render_choices())
        return True

    def prefetch(self, ctx: ViewContext) -> None:
        # The text only: the labels are mostly the same from item to item (set() skips them).
        if isinstance(ctx.task, ClassifyTask):
            self._text_widget.prepare(literal_text(ctx.task.text))

    def _render_choices(self) -> Text:
        out = Text()
        mode = (
            _("choose several, then {key}").format(key=key_display("enter"))
            if self.multi
            else _("one key answers")
        )
        out.append(_("Labels ({mode}):\n").format(mode=mode), style="bold")
        for n, (stored, shown) in enumerate(self.choices, start=1):
            key = self.ctx.keymap.label_key(n)
            badge = f" {key_display(key)} " if key else " · "
            out.append(badge, style="reverse bold")
            mark = "■" if stored in self.chosen else "□"
            out.append(f" {mark} ", style="green" if stored in self.chosen else "")
            out.append(literal_text(shown, style="bold" if stored in self.chosen else ""))
            out.append("\n")
        if was_skipped(self):
            out.append(_(SKIPPED_NOTE), style="italic yellow")
        elif self.previous is not None:
            whose = (
                _("your saved answer") if self.ctx.mode == "label" else _("the annotator's answer")
            )
            out.append(_("{whose} is preselected").format(whose=whose), style="italic yellow")
        return out

    @property
    def draft_changed(self) -> bool:
        # Single-label: one key answers, nothing is ever pending.
        return self.multi and sorted(self.chosen) != sorted(self.initial)

    def act_clear(self) -> None:
        self.chosen.clear()
        self._choices_widget.set(self._render_choices())

    def act_label(self, n: int) -> None:
        if n > len(self.choices):
            text = not_a_label(self.ctx.keymap, n, len(self.choices))
            self.post_message(self.Notice(text, error=True))
            return
        stored = self.choices[n - 1][0]
        if not self.multi:
            # No repaint of the choice here: the next item replaces it in the same frame.
            self.chosen = [stored]
            self.submit("accept", ClassifyAnswer(labels=[stored]))
            return
        if stored in self.chosen:
            self.chosen.remove(stored)
        else:
            self.chosen.append(stored)
        self._choices_widget.set(self._render_choices())

    def build_answer(self) -> tuple[str, ClassifyAnswer | None] | Refusal:
        if not self.chosen:
            return Refusal(_("choose at least one label (or skip the item)"))
        ordered = [c for c, _ in self.choices if c in self.chosen]
        return "accept", ClassifyAnswer(labels=ordered)

    def hint_ids(self) -> list[str]:
        return ["app.submit", "classify.clear"] if self.multi else []
