"""rate view: the dialogue (scrollable, the rated turn marked), the criteria with their
scores, and a justification note. Digits score the selected criterion and move on; ⏎ saves."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static, TextArea

from task_types.media_common.view import NEWLINE_KEYS, TextField, focus_now
from task_types.rate.models import Criterion, RateAnswer, RateOptions, RateTask
from task_types.view_notes import SKIPPED_NOTE, was_skipped
from tui.core.i18n import _
from tui.task_view import Refusal, TaskView, ViewContext
from tui.terminal import FRAME
from tui.widgets.task_text import literal_text

_ROLE_STYLE = {"user": "bold cyan", "assistant": "bold green", "system": "bold magenta"}
_NAME_WIDTH = 16


class RateView(TaskView[RateTask, RateOptions, RateAnswer]):
    DEFAULT_CSS = """
    RateView { height: 100%; layout: vertical; }
    RateView > #dialogue { height: 1fr; min-height: 4; padding: 0 1; }
    RateView .role { margin-top: 1; }
    RateView .content { padding-left: 2; }
    RateView .target { background: $boost; border-left: thick $success; }
    RateView > #criteria {
        height: auto; padding: 0 1; border-top: solid FRAME;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    RateView > #note { height: 3; border: none; padding: 0 1; display: none; }
    RateView > #note.open { display: block; }
    """.replace("FRAME", FRAME)

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        task, options = self.task, self.options
        self.criteria: list[Criterion] = list(options.criteria)
        self.note_required = options.note_required
        target = task.target_index()
        assert target is not None  # check() refuses tasks without one
        self.target = target
        previous = self.previous
        saved = previous.ratings if previous is not None else {}
        names = {c.name for c in self.criteria}
        # Criteria the batch no longer has are dropped (batch.toml may have changed since).
        self.ratings: dict[str, int] = {k: v for k, v in saved.items() if k in names}
        self.selected = self._first_unrated() or 0
        self._dialogue = VerticalScroll(id="dialogue")
        self._dialogue.can_focus = False  # its arrow bindings would shadow criterion keys
        self._criteria = Static(id="criteria")
        self._note = TextField(
            previous.note if previous is not None else "",
            id="note",
            on_enter=self.submit_current,
            on_leave=self._close_note,
            leave_keys=ctx.keymap.keys_for("rate.leave") or ["escape"],
            newline_keys=ctx.keymap.keys_for("text.newline") or list(NEWLINE_KEYS),
        )
        self._initial = (dict(self.ratings), self._note.text.strip())
        # The header the dialogue opens at: the turn before the rated one, for context.
        self._anchor: Static | None = None
        self._note_open = False

    def compose(self) -> ComposeResult:
        with self._dialogue:
            for index, message in enumerate(self.task.dialogue()):
                is_target = index == self.target
                extra = " target" if is_target else ""
                header = Text(f"{message.role.upper()}", style=_ROLE_STYLE[message.role])
                header.append(f"  #{index}", style="dim")
                if is_target:
                    header.append(_("   ◀ the turn you rate"), style="bold reverse")
                head = Static(header, classes="role" + extra)
                if index == max(0, self.target - 1):
                    self._anchor = head
                yield head
                yield Static(literal_text(message.content), classes="content" + extra)
        yield self._criteria
        yield self._note

    def on_mount(self) -> None:
        self._refresh_criteria()
        self.call_after_refresh(self._show_target)

    def _show_target(self) -> None:
        if self._anchor is not None:
            self._dialogue.scroll_to_widget(self._anchor, animate=False, top=True)

    # -- state -----------------------------------------------------------------------------
    def _first_unrated(self, start: int = 0) -> int | None:
        order = list(range(start, len(self.criteria))) + list(range(start))
        for index in order:
            if self.criteria[index].name not in self.ratings:
                return index
        return None

    @property
    def note(self) -> str:
        return self._note.text.strip()

    @property
    def editing(self) -> bool:
        return self._note.has_focus

    @property
    def editing_label(self) -> str:
        return _("the note")

    @property
    def draft_changed(self) -> bool:
        return (self.ratings, self.note) != self._initial

    # -- rendering -------------------------------------------------------------------------
    def _refresh_criteria(self) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        scales = {c.scale for c in self.criteria}
        digits = "-".join(str(p) for p in next(iter(scales))) if len(scales) == 1 else _("digits")
        if was_skipped(self):
            out.append(_(SKIPPED_NOTE) + "\n", style="italic yellow")
        out.append(_("Rate turn #{target}").format(target=self.target), style="bold")
        out.append(
            _("  {up}{down} criterion · {digits} score · {note} note · {submit} save\n").format(
                up=self.key_of("rate.up"),
                down=self.key_of("rate.down"),
                digits=digits,
                note=self.key_of("rate.note"),
                submit=self.key_of("app.submit"),
            ),
            style="dim",
        )
        for index, criterion in enumerate(self.criteria):
            out.append_text(self._criterion_line(index, criterion))
            out.append("\n")
        out.append_text(self._note_line())
        self._criteria.update(out)

    def _criterion_line(self, index: int, criterion: Criterion) -> Text:
        chosen = self.ratings.get(criterion.name)
        selected = index == self.selected
        line = Text("▶ " if selected else "  ", style="bold yellow")
        name = criterion.name + ("*" if criterion.required else "")
        if len(name) > _NAME_WIDTH:
            name = name[: _NAME_WIDTH - 1] + "…"
        line.append_text(literal_text(name.ljust(_NAME_WIDTH), "bold" if selected else ""))
        low, high = criterion.scale
        for point in range(low, high + 1):
            style = "bold reverse green" if point == chosen else "dim"
            line.append(f" {point} ", style=style)
        line.append(f"  {chosen if chosen is not None else '–'}", style="bold")
        if criterion.description:
            line.append("  ")
            line.append_text(literal_text(criterion.description, "italic dim"))
        return line

    def _note_line(self) -> Text:
        line = Text(_("Note"), style="bold")
        line.append(_(" (required)") if self.note_required else _(" (optional)"), style="dim")
        line.append(": ")
        if self._note_open:
            line.append(
                _("writing… {submit} saves · {newline} new line · {leave} leaves").format(
                    submit=self.key_of("app.submit"),
                    newline=self.key_of("text.newline"),
                    leave=self.key_of("rate.leave"),
                ),
                style="bold yellow",
            )
        elif self.note:
            line.append_text(literal_text(self.note.splitlines()[0], "italic"))
        else:
            line.append(
                _("— press {note} to write one").format(note=self.key_of("rate.note")), style="dim"
            )
        return line

    # -- keys ------------------------------------------------------------------------------
    def act_score(self, digit: int) -> None:
        """rate.score_N: score the selected criterion N (0 is 10 on a 1-10 scale)."""
        self._score(digit)
        self._refresh_criteria()

    def _select(self, step: int) -> None:
        self.selected = (self.selected + step) % len(self.criteria)
        self._refresh_criteria()

    def act_up(self) -> None:
        self._select(-1)

    def act_down(self) -> None:
        self._select(1)

    def act_clear(self) -> None:
        self.ratings.pop(self.criteria[self.selected].name, None)
        self._refresh_criteria()

    def act_note(self) -> None:
        self._open_note()
        self._refresh_criteria()

    def act_leave(self) -> None:
        """Not typing: nothing to leave (the note's leave key is handled by the note)."""

    def _scroll(self, direction: int) -> None:
        step = max(1, self._dialogue.size.height // 2)
        self._dialogue.scroll_relative(y=direction * step, animate=False)

    def act_scroll_up(self) -> None:
        self._scroll(-1)

    def act_scroll_down(self) -> None:
        self._scroll(1)

    def _score(self, digit: int) -> None:
        criterion = self.criteria[self.selected]
        score = criterion.score_for_digit(digit)
        if score is None:
            low, high = criterion.scale
            self.post_message(
                self.Notice(
                    _("{name} is scored {low}-{high}, not {digit}").format(
                        name=criterion.name, low=low, high=high, digit=digit
                    ),
                    error=True,
                )
            )
            return
        self.ratings[criterion.name] = score
        nxt = self._first_unrated(self.selected + 1)
        if nxt is not None:
            self.selected = nxt
        elif self.selected + 1 < len(self.criteria):
            self.selected += 1

    def _open_note(self) -> None:
        self._note_open = True
        self._note.add_class("open")
        focus_now(self._note)
        self._refresh_criteria()

    def _close_note(self, refocus: bool = True) -> None:
        self._note_open = False
        if not self.note:
            self._note.remove_class("open")
        if refocus:
            focus_now(self)
        self._refresh_criteria()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Focus can leave the note by other means (Tab); the screen must get its keys back.
        if event.widget is self._note and self._note_open:
            self._close_note(refocus=False)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()

    # -- answer ----------------------------------------------------------------------------
    def build_answer(self) -> tuple[str, RateAnswer | None] | Refusal:
        missing = [c.name for c in self.criteria if c.required and c.name not in self.ratings]
        if missing:
            self.selected = next(i for i, c in enumerate(self.criteria) if c.name == missing[0])
            self._refresh_criteria()
            if self.editing:
                return Refusal(
                    _("rate {missing} first: {leave}, then a digit").format(
                        missing=", ".join(missing), leave=self.key_of("rate.leave")
                    )
                )
            return Refusal(_("rate {missing} first (required)").format(missing=", ".join(missing)))
        if self.note_required and not self.note:
            if self.editing:
                return Refusal(_("a note is required: write why"))
            return Refusal(
                _("this batch requires a note: press {note} and say why").format(
                    note=self.key_of("rate.note")
                )
            )
        ratings = {c.name: self.ratings[c.name] for c in self.criteria if c.name in self.ratings}
        return "accept", RateAnswer(ratings=ratings, target=self.target, note=self.note)

    def hint_ids(self) -> list[str]:
        return ["app.submit", "rate.note", "rate.clear", "rate.scroll_down"]
