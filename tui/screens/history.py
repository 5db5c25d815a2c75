"""History and revisit: my answers in this batch, newest first; filters for the items worth a
second look (skipped, flagged, gold missed, audit failed); a query by task id or item number;
Enter goes to the item. The rows come from the session's own results (in memory); the audit
verdicts and the items' positions in the tasks file are looked up in workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.history import FILTER_NAMES, FILTERS, HistoryRow, item_number, narrow, positions_of
from tui.core.i18n import _
from tui.core.keymap import Keymap
from tui.core.records import ANSWER_KIND_NAMES, answer_kind_name
from tui.key_gate import PaintedGate
from tui.widgets.task_text import literal_text

# A list longer than this is cut: typing narrows it (thousands of rows help nobody).
MAX_ROWS = 500
_ANSWER_STYLE = {"skip": "yellow", "flag": "magenta", "reject": "red", "accept": "green"}


class HistoryScreen(PaintedGate, ModalScreen[int | None]):
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical { width: 100; max-width: 100%; height: 90%; border: round $accent; padding: 0 1; background: $surface; }
    HistoryScreen #filters { height: 1; }
    HistoryScreen #query { border: none; height: 1; padding: 0; background: $boost; }
    HistoryScreen OptionList { height: 1fr; border: none; padding: 0; }
    HistoryScreen #hint { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,f3", "close", "close", id="history.close", priority=True),
        Binding("tab", "filter(1)", "next filter", id="history.next_filter", priority=True),
        Binding(
            "shift+tab", "filter(-1)", "previous filter", id="history.prev_filter", priority=True
        ),
        Binding("up", "move(-1)", "up", id="history.up", priority=True),
        Binding("down", "move(1)", "down", id="history.down", priority=True),
    ]

    def __init__(
        self,
        rows: list[HistoryRow],
        *,
        total: int,
        current_task: str | None,
        known_positions: dict[str, int],
        task_ids: Callable[[], Iterable[str]],
        audit_failed: Callable[[], set[str]],
        keymap: Keymap,
        start_filter: str = "all",
    ) -> None:
        super().__init__()
        self.rows = rows
        self.total = total
        self.current_task = current_task
        self.positions = dict(known_positions)
        self._task_ids = task_ids
        self._audit_failed_source = audit_failed
        self.audit_failed: set[str] = set()
        self.keymap = keymap
        self.filter = start_filter if start_filter in FILTERS else "all"
        self.shown: list[HistoryRow] = []
        self.looking_up = False

    def compose(self) -> ComposeResult:
        close = self.keymap.display("history.close", limit=2) or "Esc"
        with Vertical() as box:
            box.border_title = _("Your answers in this batch ({close} closes)").format(close=close)
            yield Static(id="filters")
            yield Input(placeholder=_("task id, or an item number; ⏎ goes there"), id="query")
            yield OptionList(id="rows")
            yield Static(id="hint")

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self._refill()
        wanted = {row.task_id for row in self.rows} - set(self.positions)
        if wanted:
            self.looking_up = True
            self._look_up_positions(wanted)
        self._load_audits()

    # -- workers ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="history-positions")
    def _look_up_positions(self, wanted: set[str]) -> None:
        found = positions_of(self._task_ids(), wanted)
        self.app.call_from_thread(self._positions_found, found)

    def _positions_found(self, found: dict[str, int]) -> None:
        self.positions.update(found)
        self.looking_up = False
        self._refill()

    @work(thread=True, exclusive=True, group="history-audits")
    def _load_audits(self) -> None:
        failed = self._audit_failed_source()
        self.app.call_from_thread(self._audits_found, failed)

    def _audits_found(self, failed: set[str]) -> None:
        self.audit_failed = failed
        if self.filter == "audit failed":
            self._refill()

    # -- the list --------------------------------------------------------------------------
    def _refill(self) -> None:
        query = self.query_one("#query", Input).value
        self.shown = narrow(self.rows, self.filter, query, self.audit_failed)
        options: list[Option] = []
        number = item_number(query, self.total)
        if number is not None:
            options.append(
                Option(
                    Text(
                        _("go to item {number} of {total}").format(
                            number=number + 1, total=self.total
                        ),
                        style="bold",
                    ),
                    id="item",
                )
            )
        for n, row in enumerate(self.shown[:MAX_ROWS]):
            options.append(Option(self._row_text(row), id=f"row-{n}"))
        listing = self.query_one("#rows", OptionList)
        listing.set_options(options)
        if options:
            listing.highlighted = self._start_row(number is not None)
        self.query_one("#filters", Static).update(self._filters_text())
        self.query_one("#hint", Static).update(self._hint_text())

    def _start_row(self, has_item_row: bool) -> int:
        """The row after the current item's (so F3, ⏎ walks a revisit list), else the top."""
        if has_item_row:
            return 0
        ids = [row.task_id for row in self.shown[:MAX_ROWS]]
        if self.current_task in ids:
            return min(ids.index(self.current_task) + 1, len(ids) - 1)
        return 0

    def _row_text(self, row: HistoryRow) -> Text:
        # As wide as the longest answer word of the language, so the columns line up.
        width = max(len(answer_kind_name(k)) for k in ANSWER_KIND_NAMES)
        out = Text()
        position = self.positions.get(row.task_id)
        out.append(f"{'#' + str(position + 1) if position is not None else '#?':>7} ", style="dim")
        out.append_text(literal_text(row.task_id[:28].ljust(28), style="bold"))
        word = answer_kind_name(row.answer)
        out.append(f" {word:<{width}}", style=_ANSWER_STYLE.get(row.answer, ""))
        marks = ("⚑" if row.flagged else " ") + ("✗" if row.gold_missed else " ")
        out.append(f" {marks} ", style="bold red")
        out.append(f"{row.submitted_at[11:16] or '     '} ", style="dim")
        out.append_text(literal_text(row.summary[:60]))
        return out

    def _filters_text(self) -> Text:
        out = Text()
        for name in FILTERS:
            count = len(narrow(self.rows, name, "", self.audit_failed))
            style = "reverse bold" if name == self.filter else "dim"
            out.append(f" {_(FILTER_NAMES[name])} {count} ", style=style)
            out.append(" ")
        return out

    def _hint_text(self) -> str:
        keys = self.keymap
        more = len(self.shown) - MAX_ROWS
        parts = [
            _("{key} filter").format(key=keys.display("history.next_filter", 1)),
            _("{key}{key2} choose").format(
                key=keys.display("history.up", 1), key2=keys.display("history.down", 1)
            ),
            _("⏎ go"),
        ]
        if more > 0:
            parts.append(_("{more} more: type to narrow").format(more=more))
        if self.looking_up:
            parts.append(_("finding item numbers…"))
        return " · ".join(parts)

    # -- keys ------------------------------------------------------------------------------
    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refill()

    def action_filter(self, step: int) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + step) % len(FILTERS)]
        self._refill()

    def action_move(self, step: int) -> None:
        listing = self.query_one("#rows", OptionList)
        if listing.option_count:
            now = listing.highlighted if listing.highlighted is not None else 0
            listing.highlighted = max(0, min(listing.option_count - 1, now + step))

    @on(Input.Submitted, "#query")
    def _go(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose()

    def _choose(self) -> None:
        listing = self.query_one("#rows", OptionList)
        if listing.highlighted is None:
            self.notify(_("nothing to go to: change the filter or the query"), severity="warning")
            return
        option = listing.get_option_at_index(listing.highlighted)
        if option.id == "item":
            number = item_number(self.query_one("#query", Input).value, self.total)
            if number is not None:
                self.dismiss_once(number)
            return
        row = self.shown[int(str(option.id).removeprefix("row-"))]
        position = self.positions.get(row.task_id)
        if position is None:
            what = (
                _("still finding item numbers")
                if self.looking_up
                else _("no longer in the tasks file")
            )
            self.notify(f"{row.task_id}: {what}", severity="warning", markup=False)
            return
        self.dismiss_once(position)

    def action_close(self) -> None:
        self.dismiss_once(None)
