"""write view: the source (and prompt, instructions) above a built-in editor, the batch's rules
checked live under it; $EDITOR on a key; broken rules block submitting unless overridden with a
reason."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static, TextArea

from task_types.media_common.view import NEWLINE_KEYS, FieldInput, TextField, focus_now
from task_types.view_notes import SKIPPED_NOTE, was_skipped
from task_types.write.external import ExternalEditorError, edit_text, editor_command
from task_types.write.models import Override, Violation, WriteAnswer, WriteOptions, WriteTask
from task_types.write.rules import LANGUAGE_NAMES, Report, check_text, clean
from tui.core.i18n import _, ngettext
from tui.core.safe_text import visible
from tui.task_view import Refusal, TaskView, ViewContext
from tui.widgets.task_text import literal_text

CHECK_DELAY_S = 0.25  # live checks wait for a pause in typing, not every key


class WriteEditor(TextField):
    """The built-in editor: Enter saves the item, Ctrl+j (or Shift+Enter) is a newline, the
    leave key leaves; Tab indents."""

    def __init__(
        self,
        text: str,
        leave_keys: list[str],
        on_enter: Callable[[], None],
        on_leave: Callable[[], None],
        newline_keys: list[str],
    ) -> None:
        super().__init__(
            text,
            on_enter=on_enter,
            on_leave=on_leave,
            leave_keys=leave_keys,
            newline_keys=newline_keys,
            tab_behavior="indent",
        )


class WriteView(TaskView[WriteTask, WriteOptions, WriteAnswer]):
    DEFAULT_CSS = """
    WriteView { height: auto; }
    WriteView > #source { height: auto; padding: 0 1; }
    WriteView > .title { padding: 0 1; }
    WriteView > WriteEditor { margin: 0 1; }
    WriteView > #checks { padding: 0 1; height: auto; }
    WriteView > #reason-title { padding: 0 1; display: none; }
    WriteView > #reason { margin: 0 1; display: none; }
    WriteView.overriding > #reason-title { display: block; }
    WriteView.overriding > #reason { display: block; }
    """

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        task, options = self.task, self.options
        self.leave_keys = ctx.keymap.keys_for("write.leave") or ["escape"]
        previous = self.previous
        if previous is not None:
            start = previous.text
        else:
            # Control characters of a source never reach the terminal, nor the written text.
            start = visible(task.source or "") if options.prefill == "source" else ""
        self._external_text: str | None = (
            start if previous is not None and previous.editor == "external" else None
        )
        self.initial_text = start
        self.area = WriteEditor(
            start,
            self.leave_keys,
            on_enter=self.submit_current,
            on_leave=self._leave_editor,
            newline_keys=ctx.keymap.keys_for("text.newline") or list(NEWLINE_KEYS),
        )
        self.reason = FieldInput(
            "",
            _("why the rules do not apply here"),
            "reason",
            on_enter=self._reason_given,
            compact=False,
        )
        self._title = Static(id="editor-title", classes="title")
        self._timer: Timer | None = None
        self._report: Report | None = None
        self._pending: list[Violation] = []

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="source"):
            yield Static(self._source_text())
        yield self._title
        yield self.area
        yield Static(id="checks")
        yield Static(
            Text(
                _(
                    "Reason for submitting despite the broken rules ({submit} saves, {leave} cancels):"
                ).format(submit=self.key_of("app.submit"), leave=self.key_of("write.leave")),
                style="bold yellow",
            ),
            id="reason-title",
        )
        yield self.reason

    def _source_text(self) -> Text:
        out = Text()
        for title, value in (
            (_("Prompt"), self.task.prompt),
            (_("Instructions"), self.task.instructions),
            (_("Source"), self.task.source),
        ):
            if value and value.strip():
                if out:
                    out.append("\n")
                out.append(f"{title}: ", style="bold")
                out.append(literal_text(value))
        return out

    def on_mount(self) -> None:
        self._fit(self.app.size.height)
        focus_now(self.area)
        self._refresh_title()
        self._check()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(self.app.size.height)

    def _fit(self, height: int) -> None:
        """Share the screen: at 24 rows the source gets 4, the editor 8 (6 lines of text)."""
        room = max(height - 8, 10)
        self.query_one("#source").styles.max_height = max(3, room // 4)
        self.area.styles.height = max(5, room // 2)

    def _refresh_title(self) -> None:
        if not self.is_attached:
            return  # called back after this item was replaced
        title = Text(_("Your text"), style="bold")
        if was_skipped(self) and not self.draft_changed:
            title.append("  " + _(SKIPPED_NOTE), style="italic yellow")
        elif self.area.has_focus:
            title.append(_("  ✎ typing · "), style="green")
            for key, word in (
                (self.key_of("app.submit"), _("saves")),
                (self.key_of("text.newline"), _("new line")),
                (self.key_of("write.leave"), _("leaves")),
            ):
                title.append(f" {key} ", style="reverse bold")
                title.append(f" {word} ", style="green")
        else:
            for binding_id, word in (
                ("write.edit", _("edit")),
                ("write.external", "$EDITOR"),
                ("app.submit", _("submit")),
            ):
                title.append(f"  {self.key_of(binding_id)} ", style="reverse")
                title.append(f" {word}")
        self._title.update(title)

    # -- live checks -----------------------------------------------------------------------
    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(CHECK_DELAY_S, self._check)

    def _check(self) -> None:
        self._check_in_thread(self.area.text)

    @work(thread=True, exclusive=True, group="write-check")
    def _check_in_thread(self, text: str) -> None:
        # A thread: the first language check loads lingua's models (~0.4 s).
        report = check_text(text, self.task.source, self.options)
        self.app.call_from_thread(self._show_report, report)

    def _show_report(self, report: Report) -> None:
        if report.text != clean(self.area.text):
            return  # typing went on; a newer check is on its way
        self._report = report
        self.query_one("#checks", Static).update(self._render_report(report))

    def _render_report(self, report: Report) -> Text:
        o = self.options
        out = Text()
        out.append(
            _("{words} words{max_words}").format(
                words=report.words, max_words=_range(o.min_words, o.max_words)
            ),
            style="bold",
        )
        out.append(
            _(" · {chars} chars{max_chars}").format(
                chars=report.chars, max_chars=_range(o.min_chars, o.max_chars)
            )
        )
        if report.language is not None:
            out.append(" · " + _(LANGUAGE_NAMES[report.language]))
        elif report.text:
            out.append(_(" · language: too short to tell"), style="dim")
        if o.language is not None:
            out.append(
                _(" (wanted: {language})").format(language=_(LANGUAGE_NAMES[o.language])),
                style="dim",
            )
        if not report.text:
            out.append(_("\nnothing written yet"), style="dim")
        elif not report.violations:
            out.append(_("\n✓ every rule is met"), style="green")
        else:
            n = len(report.violations)
            out.append(
                ngettext("\n✗ {n} rule broken:", "\n✗ {n} rules broken:", n).format(n=n),
                style="bold red",
            )
            for violation in report.violations:
                out.append("\n  • ", style="red")
                out.append(literal_text(violation.message, style="red"))
        return out

    # -- keys ------------------------------------------------------------------------------
    @property
    def editing(self) -> bool:
        return self.area.has_focus or self.reason.has_focus

    @property
    def editing_label(self) -> str:
        return _("the override reason") if self.reason.has_focus else _("your text")

    @property
    def draft_changed(self) -> bool:
        return self.area.text != self.initial_text

    def _leave_editor(self) -> None:
        focus_now(self)
        self._refresh_title()

    def on_key(self, event: events.Key) -> None:
        if self.reason.has_focus and event.key in self.leave_keys:
            event.stop()
            event.prevent_default()
            self._cancel_override()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._refresh_title()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Focus moves after this handler returns: read it once it has.
        self.call_after_refresh(self._refresh_title)

    # A key for an item already replaced does nothing: its widgets may not take the focus.
    def act_edit(self) -> None:
        if self.is_attached:
            focus_now(self.area)
            self._refresh_title()

    def act_leave(self) -> None:
        if self.is_attached:
            self.post_message(
                self.Notice(_("not editing: {edit} edits").format(edit=self.key_of("write.edit")))
            )

    def act_external(self) -> None:
        if self.is_attached:
            self._edit_externally()

    def act_override(self) -> None:
        if self.is_attached:
            self._start_override()

    # -- $EDITOR ---------------------------------------------------------------------------
    def _edit_externally(self) -> None:
        try:
            command = editor_command()
        except ExternalEditorError as exc:
            self.post_message(self.Notice(str(exc), error=True))
            return
        result: str | ExternalEditorError
        try:
            with self.app.suspend():
                # No exception may leave this block: App.suspend resumes only on a clean exit.
                try:
                    result = edit_text(command, self.area.text)
                except ExternalEditorError as exc:
                    result = exc
        except SuspendNotSupported:
            self.post_message(
                self.Notice(
                    _(
                        "this terminal cannot hand over to $EDITOR; {edit} uses the built-in editor"
                    ).format(edit=self.key_of("write.edit")),
                    error=True,
                )
            )
            return
        if isinstance(result, ExternalEditorError):
            self.post_message(self.Notice(str(result), error=True))
            return
        text = clean(result)
        self._external_text = text
        # replace() rather than load_text(): ctrl+z in the editor can undo the external edit.
        self.area.replace(text, (0, 0), self.area.document.end, maintain_selection_offset=False)
        focus_now(self)
        self._refresh_title()
        self.post_message(
            self.Notice(
                _("text from {command}: {text}").format(
                    command=command[0], text=self._editor_summary(text)
                )
            )
        )

    def _editor_summary(self, text: str) -> str:
        report = check_text(text, self.task.source, self.options)
        if report.violations:
            return _("{violations} rule(s) broken").format(violations=len(report.violations))
        return _("{words} words, every rule met").format(words=report.words)

    # -- submit and override ---------------------------------------------------------------
    def _value(self, report: Report, override: Override | None = None) -> WriteAnswer:
        external = self._external_text is not None and report.text == self._external_text
        return WriteAnswer(
            text=report.text,
            words=report.words,
            chars=report.chars,
            language=report.language,
            checks=list(report.violations),
            override=override,
            editor="external" if external else "builtin",
        )

    def _checked(self) -> Report:
        """The report of the text as it is: the live check's when it is current (the first
        language check loads models for ~0.5 s, which must not happen on a key press)."""
        known = self._report
        if known is not None and known.text == clean(self.area.text):
            return known
        return check_text(self.area.text, self.task.source, self.options)

    def _current(self) -> Report | Refusal:
        report = self._checked()
        self._show_report(report)
        if not report.text:
            if self.editing:
                return Refusal(_("nothing written yet"))
            return Refusal(
                _(
                    "nothing written yet: {edit} edits, {external} opens $EDITOR (or skip the item)"
                ).format(edit=self.key_of("write.edit"), external=self.key_of("write.external"))
            )
        return report

    def build_answer(self) -> tuple[str, WriteAnswer | None] | Refusal:
        report = self._current()
        if isinstance(report, Refusal):
            return report
        if report.violations:
            first = report.violations[0].message
            more = (
                _(" (+{violations} more)").format(violations=len(report.violations) - 1)
                if len(report.violations) > 1
                else ""
            )
            if self.editing:
                # Short: the screen adds where the keys go; the rules are listed below.
                return Refusal(_("rule broken: {first}{more}").format(first=first, more=more))
            return Refusal(
                _(
                    "rule broken: {first}{more}: fix it, or {override} to submit anyway with a reason"
                ).format(first=first, more=more, override=self.key_of("write.override"))
            )
        return "accept", self._value(report)

    def _start_override(self) -> None:
        report = self._current()
        if isinstance(report, Refusal):
            self.post_message(self.Notice(str(report), error=True))
            return
        if not report.violations:
            self.post_message(
                self.Notice(
                    _("every rule is met: {submit} submits").format(
                        submit=self.key_of("app.submit")
                    )
                )
            )
            return
        self._pending = list(report.violations)
        self.add_class("overriding")
        focus_now(self.reason)
        self.call_after_refresh(self.reason.scroll_visible, animate=False)

    def _cancel_override(self) -> None:
        self.remove_class("overriding")
        self.reason.value = ""
        focus_now(self)
        self._refresh_title()

    def _reason_given(self) -> None:
        reason = " ".join(self.reason.value.split())
        if len(reason) < 3:
            self.post_message(self.Notice(_("give a reason (a few words) for the override"), True))
            return
        report = self._checked()
        if not report.text:  # emptied while giving the reason: a WriteAnswer has text
            self.post_message(self.Notice(_("nothing written yet"), error=True))
            return
        if not report.violations:
            self.submit("accept", self._value(report))
            return
        override = Override(reason=reason, violations=list(report.violations))
        self.submit("accept", self._value(report, override))

    def hint_ids(self) -> list[str]:
        return ["app.submit", "write.edit", "write.external", "write.override"]


def _range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f" (≥ {low})"
    if low is None:
        return f" (≤ {high})"
    return f" ({low}–{high})"
