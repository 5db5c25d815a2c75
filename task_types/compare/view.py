"""compare view: the prompt, then the responses in a shuffled, recorded order. Two: side by
side (stacked below 100 columns), one key decides. Three or more: reorder, ⏎ saves."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static

from task_types.compare.models import (
    CompareAnswer,
    CompareOptions,
    CompareTask,
    Outcome,
    seed_for,
    shuffled,
)
from task_types.media_common.view import FieldInput, focus_now
from task_types.view_notes import SKIPPED_NOTE, was_skipped
from tui.core.i18n import N_, _
from tui.task_view import Refusal, TaskView, ViewContext
from tui.terminal import FRAME, is_compact
from tui.widgets.task_text import literal_text

# Ranks typed as digits (label keys 1-9): more responses are ranked with the move keys.
RANK_DIGITS = 9
# Below this terminal width two responses side by side get too narrow to read.
SIDE_BY_SIDE_MIN_WIDTH = 100
_OUTCOME_WORDS = {"tie": N_("tie"), "both_bad": N_("both bad")}


def side_letter(position: int) -> str:
    return chr(ord("A") + position)


class CompareView(TaskView[CompareTask, CompareOptions, CompareAnswer]):
    DEFAULT_CSS = """
    CompareView { height: 100%; layout: vertical; }
    CompareView > #content { height: 1fr; padding: 0 1; }
    CompareView .prompt { margin-bottom: 1; }
    CompareView #pair { height: auto; }
    CompareView #pair.stacked { layout: vertical; }
    CompareView .pane { width: 1fr; height: auto; padding: 0 1; border: round FRAME; }
    CompareView #pair.stacked > .pane { width: 100%; }
    CompareView .pane.chosen { border: round $success; }
    CompareView .row { padding: 0 1; margin-bottom: 1; border-left: blank; }
    CompareView .row.selected { border-left: thick $warning; background: $boost; }
    CompareView > #decision { height: auto; padding: 0 1; border-top: solid FRAME; }
    CompareView > #reason { display: none; border: none; height: 1; padding: 0 1; }
    CompareView > #reason.open { display: block; }
    CompareView.-compact .prompt { margin-bottom: 0; }
    CompareView.-compact .pane { border: none; border-left: thick FRAME; padding: 0 0 0 1; }
    CompareView.-compact .pane.chosen { border: none; border-left: thick $success; }
    CompareView.-compact > #decision {
        height: 1; border-top: none; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """.replace("FRAME", FRAME)

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        task, options = self.task, self.options
        self.reason_mode = options.reason
        self.texts = {r.id: r.text for r in task.responses}
        self.pairwise = len(task.responses) == 2
        previous = self.previous
        self.previous_order = self._saved_order(previous)
        self.seed: int = previous.seed if previous is not None and self.previous_order else 0
        self.shown_order: list[str] = self.previous_order or []
        self.ranking: list[str] = []
        # A saved ranking counts only while it ranks exactly these responses.
        saved_ranking = previous.ranking if previous is not None else None
        if saved_ranking is not None and sorted(saved_ranking) == sorted(self.texts):
            self.ranking = list(saved_ranking)
        self.selected = 0
        self.choice: tuple[Outcome, str | None] | None = self._saved_choice(previous)
        self._content = VerticalScroll(id="content")
        self._content.can_focus = False  # its arrow bindings would shadow ours
        self._decision = Static(id="decision")
        self._reason = FieldInput(
            previous.reason if previous is not None else "",
            _("why (⏎ saves)"),
            "reason",
            on_enter=self.submit_current,  # Enter saves the item, as app.submit does
        )
        self.leave_keys = ctx.keymap.keys_for("compare.leave") or ["escape"]
        self._initial_reason = self._reason.value.strip()
        self._initial_choice = self.choice
        self._initial_ranking: list[str] = list(self.ranking)
        # A ranking typed as digits: the rank (1 = best) of each response in shown order,
        # A first. Complete and distinct, it becomes the ranking.
        self.typed_ranks: list[int] = []
        # Enter on the shuffled order as first shown must not save it by accident: the first
        # Enter asks, the second keeps it. A saved ranking being re-edited was deliberate.
        self._order_decided = bool(self.ranking)
        self._keep_asked = False
        self._pair = Horizontal(id="pair")
        self._panes: list[Vertical] = []
        self._rows: list[Static] = []

    def _saved_choice(self, previous: CompareAnswer | None) -> tuple[Outcome, str | None] | None:
        """The saved pick, so going back (or reviewing) shows it and a reason can be
        changed without picking again."""
        if previous is None or not self.pairwise or previous.outcome is None:
            return None
        if previous.outcome == "win":
            winner = previous.winner
            return ("win", winner) if winner in self.texts else None
        return previous.outcome, None

    def _saved_order(self, previous: CompareAnswer | None) -> list[str] | None:
        # Re-editing shows the order the annotator saw first, so the recorded one stays true
        # (while it orders exactly these responses).
        if previous is None or sorted(previous.shown_order) != sorted(self.texts):
            return None
        return list(previous.shown_order)

    def _annotator(self) -> str:
        session = getattr(self.app, "session", None)
        return str(getattr(getattr(session, "store", None), "annotator", ""))

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if not self.shown_order:
            self.seed = seed_for(self.task.id, self._annotator())
            self.shown_order = shuffled([r.id for r in self.task.responses], self.seed)
        if not self.ranking:
            self.ranking = list(self.shown_order)
            self._initial_ranking = list(self.ranking)
        with self._content:
            prompt = Text(_("PROMPT\n"), style="bold cyan")
            prompt.append_text(literal_text(self.task.prompt))
            yield Static(prompt, classes="prompt")
            if self.pairwise:
                with self._pair:
                    for position in range(len(self.shown_order)):
                        pane = Vertical(classes="pane")
                        pane.border_title = f"{side_letter(position)}"
                        self._panes.append(pane)
                        with pane:
                            yield Static(self._pane_text(position, compact=False))
            else:
                for _response in self.ranking:
                    row = Static(classes="row")
                    self._rows.append(row)
                    yield row
        yield self._decision
        yield self._reason

    def on_mount(self) -> None:
        self._fit_width()
        self._refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_width()

    def _pane_text(self, position: int, compact: bool) -> Text:
        """A response; in a small window without its frame, so the side letter leads it."""
        text = literal_text(self.texts[self.shown_order[position]])
        if not compact:
            return text
        return Text(f"{side_letter(position)} ", style="bold").append_text(text)

    def _fit_width(self) -> None:
        size = self.app.size
        self._pair.set_class(size.width < SIDE_BY_SIDE_MIN_WIDTH, "stacked")
        compact = is_compact(size.width, size.height)
        if compact != self.has_class("-compact"):
            self.set_class(compact, "-compact")
            for position, pane in enumerate(self._panes):
                pane.query_one(Static).update(self._pane_text(position, compact))

    # -- rendering -------------------------------------------------------------------------
    def _refresh(self) -> None:
        for position, pane in enumerate(self._panes):
            chosen = self.choice is not None and self.choice[1] == self.shown_order[position]
            pane.set_class(chosen, "chosen")
            key = self.key_of(f"compare.pick_{'ab'[position]}")
            pane.border_subtitle = (
                _("✓ chosen")
                if chosen
                else _("{key} picks {position}").format(key=key, position=side_letter(position))
            )
        rows = zip(self._rows, self.ranking, strict=True) if self._rows else ()
        typed = dict(zip(self.shown_order, self.typed_ranks, strict=False))
        for rank, (row, response_id) in enumerate(rows):
            side = side_letter(self.shown_order.index(response_id))
            line = Text(f"{rank + 1}. ", style="bold")
            line.append(f"[{side}] ", style="bold yellow" if rank == self.selected else "bold")
            if response_id in typed:
                line.append(f"→{typed[response_id]} ", style="bold magenta")
            line.append_text(literal_text(self.texts[response_id]))
            row.update(line)
            row.set_class(rank == self.selected, "selected")
        self._decision.update(self._decision_text())

    def _decision_text(self) -> Text:
        out = Text()
        if was_skipped(self):
            out.append(_(SKIPPED_NOTE) + "\n", style="italic yellow")
        if self.pairwise:
            for binding, word in (
                ("pick_a", _("A better")),
                ("pick_b", _("B better")),
                ("tie", "tie"),
                ("both_bad", _("both bad")),
            ):
                out.append(f" {self.key_of('compare.' + binding)} ", style="reverse")
                out.append(f" {word}  ")
            if self.choice is not None:
                outcome, winner = self.choice
                shown = (
                    _("{winner} better").format(winner=side_letter(self.shown_order.index(winner)))
                    if winner is not None
                    else _(_OUTCOME_WORDS[outcome])
                )
                out.append(_("chosen: {shown}").format(shown=shown), style="bold green")
        else:
            out.append(
                _(
                    "Rank best first: type each response's rank, A first ({label}=best) · {up}{down} select · {move_up}/{move_down} move · {submit} save"
                ).format(
                    label=self.key_of("label.1"),
                    up=self.key_of("compare.up"),
                    down=self.key_of("compare.down"),
                    move_up=self.key_of("compare.move_up"),
                    move_down=self.key_of("compare.move_down"),
                    submit=self.key_of("app.submit"),
                ),
                style="bold",
            )
            if self.typed_ranks:
                sides = " ".join(
                    f"{side_letter(n)}={rank}" for n, rank in enumerate(self.typed_ranks)
                )
                next_side = side_letter(len(self.typed_ranks))
                out.append(
                    _("\ntyped: {sides} · next: {next_side}").format(
                        sides=sides, next_side=next_side
                    ),
                    style="bold magenta",
                )
        if self.reason_mode != "none":
            out.append(_("\nReason"), style="bold")
            mode = _("required") if self.reason_mode == "required" else _("optional")
            out.append(f" ({mode}): ", style="dim")
            if self._reason.has_class("open"):
                out.append(
                    _("writing… {submit} saves · {leave} leaves the reason").format(
                        submit=self.key_of("app.submit"), leave=self.key_of("compare.leave")
                    ),
                    style="bold yellow",
                )
            elif self.reason:
                out.append_text(literal_text(self.reason, "italic"))
            else:
                out.append(
                    _("— press {reason} to write one").format(reason=self.key_of("compare.reason")),
                    style="dim",
                )
        return out

    # -- state -----------------------------------------------------------------------------
    @property
    def reason(self) -> str:
        return self._reason.value.strip()

    @property
    def editing(self) -> bool:
        return self._reason.has_focus

    @property
    def editing_label(self) -> str:
        return _("the reason")

    @property
    def draft_changed(self) -> bool:
        return (
            self.reason != self._initial_reason
            or self.choice != self._initial_choice
            or (not self.pairwise and self.ranking != self._initial_ranking)
        )

    # -- keys ------------------------------------------------------------------------------
    def _scroll(self, direction: int) -> None:
        step = max(1, self._content.size.height // 2)
        self._content.scroll_relative(y=direction * step)

    def act_scroll_up(self) -> None:
        self._scroll(-1)

    def act_scroll_down(self) -> None:
        self._scroll(1)

    def act_leave(self) -> None:
        """Not typing: nothing to leave (while typing, on_key leaves the reason)."""

    def act_reason(self) -> None:
        if self.reason_mode == "none":
            self.post_message(self.Notice(_("this batch takes no reasons"), error=True))
        else:
            self._open_reason()

    def _pick(self, outcome: Outcome, position: int | None) -> None:
        if not self.pairwise:
            self._notice_ranking()
        else:
            self._choose(outcome, None if position is None else self.shown_order[position])

    def act_pick_a(self) -> None:
        self._pick("win", 0)

    def act_pick_b(self) -> None:
        self._pick("win", 1)

    def act_tie(self) -> None:
        self._pick("tie", None)

    def act_both_bad(self) -> None:
        self._pick("both_bad", None)

    def _ranking_key(self, select: int = 0, move: int = 0) -> None:
        if self.pairwise:
            self.post_message(self.Notice(_("two responses: pick one, no ranking here")))
        else:
            self.typed_ranks = []
            self._rank(select, move)

    def label_count(self) -> int | None:
        return 0 if self.pairwise else min(len(self.ranking), RANK_DIGITS)

    def act_label(self, n: int) -> bool | None:
        """Digit n: the rank of the next response in shown order (A, then B, ...)."""
        if self.pairwise:
            self.post_message(
                self.Notice(
                    _("two responses: pick with {pick_a}/{pick_b}").format(
                        pick_a=self.key_of("compare.pick_a"), pick_b=self.key_of("compare.pick_b")
                    ),
                    error=True,
                )
            )
            return None
        count = len(self.ranking)
        if count > RANK_DIGITS:
            self.post_message(
                self.Notice(
                    _("{count} responses: rank them with the move keys").format(count=count),
                    error=True,
                )
            )
            return None
        if n > count:
            self.post_message(
                self.Notice(
                    _("rank {n}? there are {count} responses").format(n=n, count=count), error=True
                )
            )
            return None
        if n in self.typed_ranks:
            side = side_letter(self.typed_ranks.index(n))
            self.post_message(
                self.Notice(
                    _("rank {n} is already {side}'s: typed ranks start again").format(
                        n=n, side=side
                    ),
                    error=True,
                )
            )
            self.typed_ranks = []
            self._refresh()
            return None
        self.typed_ranks.append(n)
        if len(self.typed_ranks) == count - 1:
            # The last rank is the one left: no need to type it.
            self.typed_ranks.append(
                next(r for r in range(1, count + 1) if r not in self.typed_ranks)
            )
        if len(self.typed_ranks) == count:
            by_rank = sorted(zip(self.typed_ranks, self.shown_order, strict=True))
            self.ranking = [response_id for _, response_id in by_rank]
            self.typed_ranks = []
            self._order_decided = True
            self.selected = 0
        self._refresh()
        return None

    def act_up(self) -> None:
        self._ranking_key(select=-1)

    def act_down(self) -> None:
        self._ranking_key(select=1)

    def act_move_up(self) -> None:
        self._ranking_key(move=-1)

    def act_move_down(self) -> None:
        self._ranking_key(move=1)

    def _notice_ranking(self) -> None:
        self.post_message(
            self.Notice(
                _("{ranking} responses: order them best first, then {submit}").format(
                    ranking=len(self.ranking), submit=self.key_of("app.submit")
                ),
                error=True,
            )
        )

    def _rank(self, select: int = 0, move: int = 0) -> None:
        """Select the row `select` rows down, or move the selected row `move` rows down."""
        last = len(self.ranking) - 1
        if select:
            self.selected = max(0, min(last, self.selected + select))
        else:
            to = self.selected + move
            if 0 <= to <= last:
                order = self.ranking
                order[self.selected], order[to] = order[to], order[self.selected]
                self.selected = to
                self._order_decided = True
        self._refresh()
        self._rows[self.selected].scroll_visible(animate=False)

    def _choose(self, outcome: Outcome, winner: str | None) -> None:
        self.choice = (outcome, winner)
        self._refresh()
        if self.reason_mode == "required" and not self.reason:
            self._open_reason()
            self.post_message(self.Notice(_("a reason is required: write why, ⏎ saves")))
            return
        self.submit_current()

    def _open_reason(self) -> None:
        self._reason.add_class("open")
        focus_now(self._reason)
        self._refresh()

    def _close_reason(self, refocus: bool = True) -> None:
        if not self.reason:
            self._reason.remove_class("open")
        if refocus:
            focus_now(self)
        self._refresh()

    def on_key(self, event: events.Key) -> None:
        if event.key in self.leave_keys and self.editing:
            event.stop()
            event.prevent_default()
            self._close_reason()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget is self._reason:
            self._close_reason(refocus=False)

    # -- answer ----------------------------------------------------------------------------
    def build_answer(self) -> tuple[str, CompareAnswer | None] | Refusal:
        if self.pairwise and self.choice is None:
            if self.editing:
                return Refusal(
                    _("no pick yet: {leave}, then {pick_a}/{pick_b}/{tie}/{both_bad}").format(
                        leave=self.key_of("compare.leave"),
                        pick_a=self.key_of("compare.pick_a"),
                        pick_b=self.key_of("compare.pick_b"),
                        tie=self.key_of("compare.tie"),
                        both_bad=self.key_of("compare.both_bad"),
                    )
                )
            return Refusal(
                _(
                    "pick {pick_a} (A better), {pick_b} (B better), {tie} (tie) or {both_bad} (both bad)"
                ).format(
                    pick_a=self.key_of("compare.pick_a"),
                    pick_b=self.key_of("compare.pick_b"),
                    tie=self.key_of("compare.tie"),
                    both_bad=self.key_of("compare.both_bad"),
                )
            )
        if self.reason_mode == "required" and not self.reason:
            if self.editing:
                return Refusal(_("a reason is required: write why"))
            return Refusal(
                _("this batch requires a reason: press {reason} and say why").format(
                    reason=self.key_of("compare.reason")
                )
            )
        reason = self.reason if self.reason_mode != "none" else ""
        shown, seed = list(self.shown_order), self.seed
        if self.choice is not None:
            outcome, winner = self.choice
            return "accept", CompareAnswer(
                outcome=outcome, winner=winner, shown_order=shown, seed=seed, reason=reason
            )
        if self.typed_ranks:
            return Refusal(
                _(
                    "ranks typed for {typed_ranks} of {ranking} responses: type the rank of {next_side}"
                ).format(
                    typed_ranks=len(self.typed_ranks),
                    ranking=len(self.ranking),
                    next_side=side_letter(len(self.typed_ranks)),
                )
            )
        if not self._order_decided and not self._keep_asked:
            self._keep_asked = True
            return Refusal(
                _("this is the order as shuffled: rank it, or {submit} again to keep it").format(
                    submit=self.key_of("app.submit")
                )
            )
        ranking = list(self.ranking)
        return "accept", CompareAnswer(ranking=ranking, shown_order=shown, seed=seed, reason=reason)

    def hint_ids(self) -> list[str]:
        ids = ["compare.reason"] if self.reason_mode != "none" else []
        if not self.pairwise:
            ids = ["app.submit", "compare.move_up", *ids]
        return [*ids, "compare.scroll_down"]
