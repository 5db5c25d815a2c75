"""spans view: the label legend, the text with its spans and the cursor, and a line saying
what is under the cursor. Keys move a token cursor, extend a selection, and label it."""

from __future__ import annotations

from pydantic import ValidationError
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from task_types.media_common.view import FieldInput, focus_now
from task_types.spans import tokens_of
from task_types.spans.editor import SpanEditor
from task_types.spans.models import SpansAnswer, SpansOptions, SpansTask
from task_types.spans.patterns import load_patterns, suggest
from task_types.spans.text_area import SpanText
from task_types.view_notes import SKIPPED_NOTE, not_a_label, was_skipped
from tui.core.i18n import _, ngettext
from tui.core.keymap import key_display
from tui.core.pydantic_text import refusal_text
from tui.task_view import Refusal, TaskView, ViewContext
from tui.widgets.task_text import SPAN_STYLES, literal_text

_QUOTE_MAX = 40


def _quote(text: str) -> Text:
    flat = " ".join(text.split())
    if len(flat) > _QUOTE_MAX:
        flat = flat[: _QUOTE_MAX - 1] + "…"
    return literal_text(f"«{flat}»")


class InfoLine(Widget):
    """Two fixed lines repainted on every key: a plain refresh, never a relayout of the
    screen (Static.update relayouts, which cost ~20 ms per key on a long text)."""

    DEFAULT_CSS = "InfoLine { height: 2; }"

    def __init__(self, text: Text) -> None:
        super().__init__(classes="info")
        self.text = text

    def render(self) -> Text:
        return self.text

    def show(self, text: Text) -> None:
        self.text = text
        self.refresh()


class SpansView(TaskView[SpansTask, SpansOptions, SpansAnswer]):
    DEFAULT_CSS = """
    SpansView { height: 1fr; layout: vertical; }
    SpansView > .legend { height: auto; padding: 0 1; }
    SpansView > SpanText { padding: 0 1; }
    SpansView > .info { height: 2; padding: 0 1; background: $boost; }
    SpansView > #search { display: none; border: none; height: 1; padding: 0 1; }
    SpansView > #search.open { display: block; }
    """

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        task, options = self.task, self.options
        self.labels = list(options.labels)
        # The help screen counts `choices` to list the label keys.
        self.choices = [(label, label) for label in self.labels]
        previous = self.previous
        if previous is not None:
            given = [(s.start, s.end, s.label) for s in previous.spans]
        else:
            given = [(s.start, s.end, s.label) for s in task.spans]
        tokens = tokens_of(task, options.tokenizer)
        self.suggested = 0
        self.pattern_problems: list[str] = []
        if previous is None and not task.spans and options.patterns:
            found = load_patterns(ctx.batch_dir / options.patterns, self.labels)
            self.pattern_problems = found.problems
            given = suggest(task.text, tokens, found)
            self.suggested = len(given)
        self.editor = SpanEditor(task.text, tokens, given)
        self.initial_spans = self._marks()
        self.label_styles = {
            label: Style.parse(SPAN_STYLES[n % len(SPAN_STYLES)])
            for n, label in enumerate(self.labels)
        }
        self.text_view = SpanText(self.editor, self.label_styles)
        self._legend = Static(self._render_legend(), classes="legend")
        self._info = InfoLine(self._render_info())
        self._search = FieldInput("", _("find in the text (⏎ jumps, again: the next)"), "search")
        self._search.on_enter = self._search_go
        self.leave_keys = ctx.keymap.keys_for("spans.cancel") or ["escape"]

    def compose(self) -> ComposeResult:
        yield self._legend
        yield self.text_view
        yield self._info
        yield self._search

    # -- painting --------------------------------------------------------------------------
    def _render_legend(self) -> Text:
        out = Text()
        for n, label in enumerate(self.labels, start=1):
            key = self.ctx.keymap.label_key(n)
            out.append(f"{key_display(key) if key else '·'}", style="bold")
            out.append(self._badge(label))
            out.append("  ")
        if was_skipped(self):
            out.append(_(SKIPPED_NOTE), style="italic yellow")
        elif self.previous is not None:
            out.append(_("(your saved spans)"), style="italic yellow")
        elif self.suggested:
            out.append(
                ngettext(
                    "({suggested} span suggested: check it)",
                    "({suggested} spans suggested: check them)",
                    self.suggested,
                ).format(suggested=self.suggested),
                style="italic yellow",
            )
        return out

    def on_mount(self) -> None:
        if self.pattern_problems:
            more = len(self.pattern_problems) - 1
            extra = (
                _(" (and {more} more: labeldesk validate lists them)").format(more=more)
                if more
                else ""
            )
            self.post_message(self.Notice(self.pattern_problems[0] + extra, error=True))

    def _badge(self, label: str) -> Text:
        badge = literal_text(f" {label} ")
        badge.stylize(self.label_styles.get(label, Style(reverse=True)))
        return badge

    def _render_info(self) -> Text:
        ed = self.editor
        out = Text()
        if ed.anchor is not None:
            lo, hi = ed.selection
            start, end = ed.selection_chars()
            out.append(
                ngettext("selected {count} token ", "selected {count} tokens ", hi - lo + 1).format(
                    count=hi - lo + 1
                ),
                style="bold",
            )
            out.append(_quote(ed.text[start:end]))
            out.append(
                _("  label key marks it · {cancel} drops it").format(
                    cancel=self.key_of("spans.cancel")
                )
            )
        else:
            span = ed.span_at_cursor()
            tok = ed.tokens[ed.cursor]
            if span is not None:
                out.append(self._badge(span.label))
                out.append(" ")
                out.append(_quote(ed.text[span.start : span.end]))
                out.append(
                    _("  label key relabels · {delete} deletes").format(
                        delete=self.key_of("spans.delete")
                    ),
                    style="dim",
                )
            else:
                out.append(_("cursor") + " ")
                out.append(_quote(ed.text[tok.start : tok.end]))
                out.append(_("  label key marks it · Shift+arrows extend"), style="dim")
        count = len(ed.spans)
        out.append(
            ngettext("\n{count} span", "\n{count} spans", count).format(count=count),
            style="bold",
        )
        saves = self.key_of("app.submit")
        out.append(
            _(" · token {cursor}/{tokens} · {saves} saves (no spans is an answer)").format(
                cursor=ed.cursor + 1, tokens=len(ed.tokens), saves=saves
            )
        )
        return out

    def _changed(self) -> None:
        self.text_view.changed()
        self._info.show(self._render_info())

    # -- state ---------------------------------------------------------------------------
    def _marks(self) -> set[tuple[int, int, str]]:
        return {(s.start, s.end, s.label) for s in self.editor.spans}

    @property
    def draft_changed(self) -> bool:
        return self._marks() != self.initial_spans

    # -- keys ------------------------------------------------------------------------------
    def _move(self, to: int, extend: bool = False) -> None:
        self.editor.move_to(to, extend=extend)
        self._changed()

    def act_left(self) -> None:
        self._move(self.editor.cursor - 1)

    def act_right(self) -> None:
        self._move(self.editor.cursor + 1)

    def act_up(self) -> None:
        self._move(self.text_view.line_step(-1))

    def act_down(self) -> None:
        self._move(self.text_view.line_step(1))

    def act_sentence_back(self) -> None:
        self._move(self.editor.sentence_back())

    def act_sentence_next(self) -> None:
        self._move(self.editor.sentence_next())

    def act_extend_left(self) -> None:
        self._move(self.editor.cursor - 1, extend=True)

    def act_extend_right(self) -> None:
        self._move(self.editor.cursor + 1, extend=True)

    def act_extend_up(self) -> None:
        self._move(self.text_view.line_step(-1), extend=True)

    def act_extend_down(self) -> None:
        self._move(self.text_view.line_step(1), extend=True)

    def _jump(self, forward: bool) -> None:
        target = self.editor.span_jump(forward=forward)
        if target is None:
            self.post_message(self.Notice(_("no span that way")))
            return
        self._move(target)

    def act_prev_span(self) -> None:
        self._jump(forward=False)

    def act_next_span(self) -> None:
        self._jump(forward=True)

    def _select(self, found: tuple[int, int]) -> None:
        self.editor.select(*found)
        self._changed()

    def _to_name(self, forward: bool) -> None:
        found = self.editor.name_jump(forward)
        if found is None:
            self.post_message(self.Notice(_("no capitalised word that way")))
        else:
            self._select(found)

    def act_next_name(self) -> None:
        self._to_name(forward=True)

    def act_prev_name(self) -> None:
        self._to_name(forward=False)

    def act_search(self) -> None:
        """Open the search with the last words selected: typing replaces them, ⏎ at once
        finds their next match."""
        self._search.add_class("open")
        focus_now(self._search)
        self._search.select_all()

    def _search_go(self) -> None:
        query = self._search.value
        self._close_search()
        if not query.strip():
            return
        found = self.editor.search(query)
        if found is None:
            self.post_message(
                self.Notice(
                    _("not in the text: {split}").format(split=" ".join(query.split())[:40])
                )
            )
        else:
            self._select(found)

    def _close_search(self) -> None:
        self._search.remove_class("open")
        focus_now(self)

    @property
    def editing(self) -> bool:
        return self._search.has_focus

    @property
    def editing_label(self) -> str:
        return _("the search")

    def on_key(self, event: events.Key) -> None:
        if event.key in self.leave_keys and self.editing:
            event.stop()
            event.prevent_default()
            self._close_search()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget is self._search:
            self._search.remove_class("open")

    def act_delete(self) -> None:
        gone = self.editor.delete()
        if not gone:
            self.post_message(self.Notice(_("no span under the cursor to delete"), error=True))
            return
        self.post_message(
            self.Notice(_("deleted {gone}").format(gone=", ".join(s.label for s in gone)))
        )
        self._changed()

    def act_cancel(self) -> None:
        self.editor.cancel()
        self._changed()

    def act_label(self, n: int) -> None:
        if n > len(self.labels):
            text = not_a_label(self.ctx.keymap, n, len(self.labels))
            self.post_message(self.Notice(text, error=True))
            return
        how, span = self.editor.apply_label(self.labels[n - 1])
        quoted = " ".join(self.editor.text[span.start : span.end].split())[:_QUOTE_MAX]
        done = _("relabeled {label}: {text}") if how == "relabeled" else _("marked {label}: {text}")
        self.post_message(self.Notice(done.format(label=span.label, text=quoted)))
        self._changed()

    def build_answer(self) -> tuple[str, SpansAnswer | None] | Refusal:
        try:
            return "accept", SpansAnswer.model_validate(self.editor.value())
        except ValidationError as exc:  # the editor keeps spans whole: said, never raised
            return Refusal(refusal_text(exc))

    def hint_ids(self) -> list[str]:
        return ["app.submit", "spans.extend_right", "spans.delete", "spans.next_span"]
