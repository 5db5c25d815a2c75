"""Flag an item: a reason on one key, then an optional note, Enter to save."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.core.i18n import N_, _
from tui.core.keymap import Keymap
from tui.core.records import FLAG_REASONS, Flag, flag_reason_name
from tui.key_gate import PaintedGate
from tui.keymap_bindings import install_keymap

_EXPLAIN = {
    "ambiguous": N_("the item can be read more than one way"),
    "guidelines": N_("the guidelines do not cover this case"),
    "tooling": N_("the tool shows or does something wrong"),
    "sensitive": N_("the content needs special handling"),
    "other": N_("anything else (say what in the note)"),
}


class FlagScreen(PaintedGate, ModalScreen[Flag | None]):
    DEFAULT_CSS = """
    FlagScreen { align: center middle; }
    FlagScreen > Vertical { width: 70; max-width: 100%; height: auto; border: round $warning; padding: 0 1; background: $surface; }
    FlagScreen Input { margin-top: 1; }
    """
    # Priority: Ctrl+c cancels even while the note (an Input, where it would copy) has focus.
    BINDINGS = [Binding("escape,ctrl+c", "cancel", "cancel", id="flag.cancel", priority=True)]

    def __init__(self, keymap: Keymap) -> None:
        super().__init__()
        self.keymap = keymap
        self.reason: str | None = None
        # The reasons are chosen with the label keys (1, 2, 3, ... unless remapped).
        install_keymap(self, keymap, ("label",), self._action_for)

    def _action_for(self, binding_id: str) -> str | None:
        n = int(binding_id.split(".", 1)[1])
        return f"reason({n})" if n <= len(FLAG_REASONS) else None

    def compose(self) -> ComposeResult:
        cancel = self.keymap.display("flag.cancel", limit=2) or "Esc"
        with Vertical() as box:
            box.border_title = _("Flag this item ({cancel} cancels)").format(cancel=cancel)
            yield Static(self._reasons(), id="reasons")
            yield Input(
                placeholder=_("optional note, Enter saves the flag"), id="note", disabled=True
            )

    def _reasons(self) -> str:
        lines = [_("Why? Press a number:")]
        width = max(len(flag_reason_name(r)) for r in FLAG_REASONS) + 1
        for n, reason in enumerate(FLAG_REASONS, start=1):
            mark = "▶" if reason == self.reason else " "
            key = self.keymap.display(f"label.{n}", limit=1) or str(n)
            name = flag_reason_name(reason)
            lines.append(f"{mark} {key}  {name:<{width}} {_(_EXPLAIN[reason])}")
        return "\n".join(lines)

    def action_reason(self, n: int) -> None:
        if self.reason is not None:
            return
        self.reason = FLAG_REASONS[n - 1]
        self.query_one("#reasons", Static).update(self._reasons())
        note = self.query_one("#note", Input)
        note.disabled = False
        note.focus()

    @on(Input.Submitted, "#note")
    def _save(self, event: Input.Submitted) -> None:
        if self.reason is not None:
            self.dismiss_once(
                Flag.model_validate({"reason": self.reason, "note": event.value.strip()})
            )

    def action_cancel(self) -> None:
        self.dismiss_once(None)
