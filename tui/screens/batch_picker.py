"""Choose a batch from a folder of batches (labeldesk samples/)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.batch_discovery import BatchEntry, count_progress
from tui.core.i18n import _
from tui.key_gate import PaintedGate
from tui.widgets.task_text import literal_text


def _label(entry: BatchEntry, progress: tuple[int, int] | None) -> Text:
    """Titles come from batch.toml files: shown literally, never parsed as markup."""
    done = f"{progress[0]}/{progress[1]}" if progress else "…"
    kind = f"{entry.task_type} · {entry.language}" if not entry.error else _("invalid")
    return literal_text(f"{entry.title}  ({kind} · {done})")


class BatchPickerScreen(PaintedGate, Screen[None]):
    DEFAULT_CSS = """
    BatchPickerScreen > Static { padding: 0 1; height: auto; }
    BatchPickerScreen > OptionList { height: 1fr; }
    """
    BINDINGS = [Binding("ctrl+q,escape", "app.quit", "quit", id="picker.quit")]

    def __init__(self, entries: list[BatchEntry], annotator: str) -> None:
        super().__init__()
        self.entries = entries
        self.annotator = annotator

    def compose(self) -> ComposeResult:
        yield Static(
            _(
                "Batches for {annotator}: ↑↓ choose, Enter opens, Ctrl+q quits. In a batch, Ctrl+q comes back here."
            ).format(annotator=self.annotator)
        )
        yield OptionList(*[Option(_label(e, None), id=str(i)) for i, e in enumerate(self.entries)])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.refresh_progress()

    def on_screen_resume(self) -> None:
        self.refresh_progress()

    @work(thread=True, exclusive=True)
    def refresh_progress(self) -> None:
        for i, entry in enumerate(self.entries):
            progress = count_progress(entry, self.annotator)
            self.app.call_from_thread(self._set_label, i, entry, progress)

    def _set_label(self, i: int, entry: BatchEntry, progress: tuple[int, int]) -> None:
        self.query_one(OptionList).replace_option_prompt_at_index(i, _label(entry, progress))

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        entry = self.entries[event.option_index]
        open_batch = getattr(self.app, "open_batch", None)
        if open_batch is not None:
            open_batch(entry.folder)
