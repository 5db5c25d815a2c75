"""Write the answers that are in no results file to a file the annotator names (F8).

The batch folder was deleted or the results file replaced while labeling: pressing the
answer key again cannot help. The answers are kept in memory; here they are written to a
new file at a path the annotator gives (by default the rescue folder's next name), fsynced
and 0600, and only said to be written when the file is there."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.core.i18n import _, ngettext
from tui.core.keymap import Keymap
from tui.core.safe_text import visible
from tui.core.session import LabelingSession
from tui.key_gate import PaintedGate


class RescueScreen(PaintedGate, ModalScreen[tuple[Path, int] | None]):
    DEFAULT_CSS = """
    RescueScreen { align: center middle; }
    RescueScreen > Vertical { width: 76; max-width: 100%; height: auto; border: round $error; padding: 0 1; background: $surface; }
    RescueScreen Input { margin-top: 1; }
    RescueScreen #problem { color: $error; height: auto; }
    """
    # Priority: Ctrl+c cancels even while the path (an Input, where it would copy) has focus.
    BINDINGS = [Binding("escape,ctrl+c", "cancel", "cancel", id="rescue.cancel", priority=True)]

    def __init__(self, session: LabelingSession, keymap: Keymap, default: Path) -> None:
        super().__init__()
        self.session = session
        self.keymap = keymap
        self.default = default

    def compose(self) -> ComposeResult:
        count = len(self.session.lost_lines())
        cancel = self.keymap.display("rescue.cancel", limit=2) or "Esc"
        with Vertical() as box:
            box.border_title = _("Save the unsaved answers ({cancel} cancels)").format(
                cancel=cancel
            )
            yield Static(
                _(
                    "{path} was removed or replaced while labeldesk had it open "
                    "(the batch folder deleted, moved or synced over?)."
                ).format(path=visible(str(self.session.store.path)))
            )
            yield Static(
                ngettext(
                    "{count} answer is in no results file. Enter writes it to a new file:",
                    "{count} answers are in no results file. Enter writes them to a new file:",
                    count,
                ).format(count=count)
            )
            yield Input(value=str(self.default), id="path")
            yield Static("", id="problem")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _write(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        problem = self.query_one("#problem", Static)
        if not text:
            problem.update(_("type a path for the new file"))
            return
        path = Path(text).expanduser()
        try:
            count = self.session.rescue(path)
        except FileExistsError:
            problem.update(
                _("{path} exists: a rescue never overwrites a file; type another name").format(
                    path=visible(str(path))
                )
            )
            return
        except OSError as exc:
            problem.update(
                _("not written to {path}: {exc}").format(
                    path=visible(str(path)), exc=visible(str(exc.strerror or exc))
                )
            )
            return
        if not path.is_file():  # "saved" only when the file is really there
            problem.update(
                _("{path} is not there after writing it").format(path=visible(str(path)))
            )
            return
        self.dismiss_once((path, count))

    def action_cancel(self) -> None:
        self.dismiss_once(None)
