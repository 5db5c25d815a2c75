"""binary view: the proposed label above the text; one key accepts or rejects."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult

from task_types.binary.models import BinaryAnswer, BinaryOptions, BinaryTask
from task_types.view_notes import SKIPPED_NOTE, was_skipped
from tui.core.i18n import _
from tui.task_view import Refusal, TaskView, ViewContext
from tui.widgets.line import DiffText
from tui.widgets.task_text import highlighted, literal_text


class BinaryView(TaskView[BinaryTask, BinaryOptions, BinaryAnswer]):
    DEFAULT_CSS = """
    BinaryView { height: auto; }
    BinaryView > .label { margin: 0 1 1 1; }
    BinaryView > .text { margin: 0 1; }
    """

    def _label(self) -> str | None:
        return self.task.label or self.options.default_label

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        # DiffText: the next item repaints only the cells that differ (the label line,
        # mostly the same, is not sent again).
        self._label_widget = DiffText(self._label_line(), classes="label")
        self._text_widget = DiffText(self._text(), keep_height=True, classes="text")

    def compose(self) -> ComposeResult:
        yield self._label_widget
        yield self._text_widget

    def reload(self, ctx: ViewContext) -> bool:
        self.adopt(ctx)
        self._label_widget.set(self._label_line())
        self._text_widget.set(self._text())
        return True

    def prefetch(self, ctx: ViewContext) -> None:
        if isinstance(ctx.task, BinaryTask):
            self._text_widget.prepare(self._text_of(ctx.task))

    def _text(self) -> Text:
        return self._text_of(self.task)

    @staticmethod
    def _text_of(task: BinaryTask) -> Text:
        spans = [(s.start, s.end, s.label) for s in task.spans]
        return highlighted(task.text, spans) if spans else literal_text(task.text)

    def _label_line(self) -> RenderableType:
        label = self._label()
        line = Text(_("Label: "), style="bold")
        line.append(literal_text(label or _("(none)"), style="bold reverse"))
        line.append(
            _("   {accept} accept · {reject} reject").format(
                accept=self.key_of("binary.accept"), reject=self.key_of("binary.reject")
            ),
            style="dim",
        )
        previous = self.previous
        if was_skipped(self):
            return Group(line, Text(_(SKIPPED_NOTE), style="italic yellow"))
        if previous is not None:
            verdict = _("accepted") if previous.accept else _("rejected")
            whose = (
                _("your saved answer") if self.ctx.mode == "label" else _("the annotator's answer")
            )
            return Group(line, Text(f"{whose}: {verdict}", style="italic yellow"))
        return line

    def _value(self, accept: bool) -> BinaryAnswer:
        return BinaryAnswer(label=self._label(), accept=accept)

    def act_accept(self) -> None:
        self.submit("accept", self._value(True))

    def act_reject(self) -> None:
        self.submit("reject", self._value(False))

    def build_answer(self) -> tuple[str, BinaryAnswer | None] | Refusal:
        return Refusal(
            _("press {accept} to accept or {reject} to reject").format(
                accept=self.key_of("binary.accept"), reject=self.key_of("binary.reject")
            )
        )
