"""classify view: the text, then the labels with their keys. Single-label: one key answers.
Multi-label: keys toggle, app.submit saves."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from task_types.classify import choices_for
from task_types.classify.models import ClassifyOptions, ClassifyTask
from task_types.view_notes import SKIPPED_NOTE, not_a_label, was_skipped
from tui.core.keymap import key_display
from tui.task_view import Refusal, TaskView, ViewContext
from tui.widgets.task_text import literal_text


class ClassifyView(TaskView):
    DEFAULT_CSS = """
    ClassifyView { height: auto; }
    ClassifyView > .text { padding: 0 1; margin-bottom: 1; }
    ClassifyView > .choices { padding: 0 1; }
    """

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        self._load(ctx)
        self._text_widget = Static(literal_text(self.task_.text), classes="text")
        self._choices_widget = Static(self._render_choices(), classes="choices")

    def _load(self, ctx: ViewContext) -> None:
        task, options = ctx.task, ctx.options
        assert isinstance(task, ClassifyTask) and isinstance(options, ClassifyOptions)
        self.ctx = ctx
        self.task_ = task
        self.multi = options.multi
        self.choices = choices_for(task, options)
        previous = ctx.previous.get("labels", []) if ctx.previous else []
        self.chosen: list[str] = [c for c, _ in self.choices if c in previous]
        self.initial = list(self.chosen)

    def compose(self) -> ComposeResult:
        yield self._text_widget
        yield self._choices_widget

    def label_count(self) -> int | None:
        return len(self.choices)

    def reload(self, ctx: ViewContext) -> bool:
        self._load(ctx)
        self._text_widget.update(literal_text(self.task_.text))
        self._choices_widget.update(self._render_choices())
        return True

    def _render_choices(self) -> Text:
        out = Text()
        mode = f"choose several, then {key_display('enter')}" if self.multi else "one key answers"
        out.append(f"Labels ({mode}):\n", style="bold")
        for n, (stored, shown) in enumerate(self.choices, start=1):
            key = self.ctx.keymap.label_key(n)
            badge = f" {key_display(key)} " if key else " · "
            out.append(badge, style="reverse bold")
            mark = "■" if stored in self.chosen else "□"
            out.append(f" {mark} ", style="green" if stored in self.chosen else "")
            out.append(literal_text(shown, style="bold" if stored in self.chosen else ""))
            out.append("\n")
        if was_skipped(self):
            out.append(SKIPPED_NOTE, style="italic yellow")
        elif self.ctx.previous is not None:
            whose = "your saved answer" if self.ctx.mode == "label" else "the annotator's answer"
            out.append(f"{whose} is preselected", style="italic yellow")
        return out

    @property
    def draft_changed(self) -> bool:
        # Single-label: one key answers, nothing is ever pending.
        return self.multi and sorted(self.chosen) != sorted(self.initial)

    def handle(self, binding_id: str) -> bool:
        if binding_id == "classify.clear":
            self.chosen.clear()
            self._choices_widget.update(self._render_choices())
            return True
        if not binding_id.startswith("label."):
            return False
        n = int(binding_id.split(".", 1)[1])
        if n > len(self.choices):
            text = not_a_label(self.ctx.keymap, n, len(self.choices))
            self.post_message(self.Notice(text, error=True))
            return True
        stored = self.choices[n - 1][0]
        if not self.multi:
            # No repaint of the choice here: the next item replaces it in the same frame.
            self.chosen = [stored]
            self.submit("accept", {"labels": [stored]})
            return True
        if stored in self.chosen:
            self.chosen.remove(stored)
        else:
            self.chosen.append(stored)
        self._choices_widget.update(self._render_choices())
        return True

    def submit_value(self) -> tuple[str, dict[str, Any] | None] | Refusal:
        if not self.chosen:
            return Refusal("choose at least one label (or skip the item)")
        ordered = [c for c, _ in self.choices if c in self.chosen]
        return "accept", {"labels": ordered}

    def hint_ids(self) -> list[str]:
        return ["app.submit", "classify.clear"] if self.multi else []
