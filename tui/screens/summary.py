"""The session summary (a key away, and printed on exit) and the batch statistics screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.i18n import N_, _
from tui.core.kpi import render_session_summary, session_summary
from tui.core.session import LabelingSession
from tui.key_gate import PaintedGate
from tui.screens.scroll_keys import ScrollKeys

if TYPE_CHECKING:
    from tui.core.team.coordinator import TeamStatus


def summary_renderable(session: LabelingSession, width: int = 80) -> RenderableType:
    summary = session_summary(
        session.records,
        active_s=session.clock.active_s,
        idle_s=session.clock.idle_s,
        min_seconds=session.batch.config.min_seconds,
    )
    return render_session_summary(summary, width=width)


class _Overlay(PaintedGate, ScrollKeys, ModalScreen[None]):
    DEFAULT_CSS = """
    _Overlay { align: center middle; }
    _Overlay > VerticalScroll { width: 95%; height: 95%; border: round $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("escape,q,f5,f6", "dismiss", "close", id="overlay.close")]
    TITLE_TEXT = ""

    def __init__(self, close_keys: str = "Esc") -> None:
        super().__init__()
        self.close_keys = close_keys  # as the keymap has them (overlay.close)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = _("{title} ({close} closes)").format(
                title=_(self.TITLE_TEXT), close=self.close_keys
            )
            yield Static(id="content")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss_once(result)


class SummaryScreen(_Overlay):
    TITLE_TEXT = N_("This session")

    def __init__(self, session: LabelingSession, close_keys: str = "Esc") -> None:
        super().__init__(close_keys)
        self.session = session

    def on_mount(self) -> None:
        super().on_mount()
        width = max(40, self.app.size.width - 8)
        self.query_one("#content", Static).update(summary_renderable(self.session, width))


class StatsScreen(_Overlay):
    """`labeldesk stats` over this batch's folder, computed in a worker."""

    TITLE_TEXT = N_("Batch statistics (every annotator)")

    def __init__(
        self,
        folder: Path,
        min_seconds: float | None,
        team: TeamStatus | None = None,
        close_keys: str = "Esc",
    ) -> None:
        super().__init__(close_keys)
        self.folder = folder
        self.min_seconds = min_seconds
        self.team = team  # a team batch: claimed / done / expired / over-covered per annotator

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#content", Static).update(_("computing…"))
        self._compute()

    @work(thread=True, exclusive=True)
    def _compute(self) -> None:
        from tui.core.stats import compute_stats, render_stats

        report = compute_stats([self.folder], by="annotator", min_seconds=self.min_seconds)
        width = max(40, self.app.size.width - 8)
        shown: RenderableType = render_stats(report, width)
        if self.team is not None:
            from tui.core.team.status_text import status_table

            heading = Text(_("The team's claims"), style="bold underline")
            shown = Group(heading, status_table(self.team), Text(""), shown)
        self.app.call_from_thread(self.query_one("#content", Static).update, shown)
