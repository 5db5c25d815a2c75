"""The base of the screens that show one item at a time: labeling and audit review.

What they share lives here once: the layout (header, progress, an info line, the item, the
status line, the key bar), keys as Textual bindings built from the keymap, the rule that keys
wait for the item to be painted (ItemPaintGate), putting an item's view on screen without
leaving focus on a removed widget, the key bar and help from the active bindings, and the
overlays every item screen opens (guidelines, help).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingsMap
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from tui.core.i18n import N_, NC_, _, pgettext
from tui.core.keymap import Keymap, key_display
from tui.core.safe_text import visible
from tui.key_gate import ItemPaintGate
from tui.keymap_bindings import active_keys, install_keymap
from tui.task_view import TaskView
from tui.terminal import COMPACT_BELOW, FRAME, TOO_SMALL_BELOW, is_compact
from tui.widgets.key_bar import lay_out_key_bar
from tui.widgets.line import Line
from tui.widgets.status_line import StatusLine

# Short words for the key bar (the help overlay shows the full descriptions).
HINT_WORDS = {
    "app.submit": N_("submit"),
    "app.skip": N_("skip"),
    "app.undo": N_("undo"),
    "app.back": N_("back"),
    "app.forward": N_("fwd"),
    "app.flag": N_("flag"),
    "app.guidelines": N_("guide"),
    "app.help": N_("keys"),
    "app.quit": N_("quit"),
    "app.reveal": N_("reveal"),
    "app.rescue": N_("rescue"),
    "text.newline": N_("new line"),
}
# Words that are also another part of speech elsewhere ("correct" as a column header).
CONTEXT_HINT_WORDS = {
    "audit.pass": NC_("key bar", "pass"),
    "audit.fail": NC_("key bar", "fail"),
    "audit.correct": NC_("key bar", "correct"),
}
# Other bindings are named by their id ("compare.pick_a" -> "pick a"): these are the words
# that makes, marked here so that the catalog has them.
ID_WORDS = (
    N_("accept"),
    N_("back"),
    N_("back big"),
    N_("both bad"),
    N_("cancel"),
    N_("clear"),
    N_("delete"),
    N_("down"),
    N_("edit"),
    N_("end"),
    N_("extend down"),
    N_("extend left"),
    N_("extend right"),
    N_("extend up"),
    N_("external"),
    N_("forward"),
    N_("forward big"),
    N_("leave"),
    N_("left"),
    N_("mark in"),
    N_("mark out"),
    N_("mode"),
    N_("move down"),
    N_("move up"),
    N_("next name"),
    N_("next span"),
    N_("next thumb"),
    N_("noise"),
    N_("note"),
    N_("other language"),
    N_("overlap"),
    N_("override"),
    N_("pick a"),
    N_("pick b"),
    N_("play"),
    N_("prev name"),
    N_("prev span"),
    N_("prev thumb"),
    N_("reason"),
    N_("reject"),
    N_("right"),
    N_("start"),
    N_("tie"),
    N_("unintelligible"),
    N_("up"),
    N_("zoom"),
    N_("scroll down"),
    N_("scroll up"),
    N_("search"),
    N_("sentence back"),
    N_("sentence next"),
    N_("summary"),
    N_("stats"),
    N_("history"),
    N_("my audits"),
    N_("interrupt"),
    N_("show next"),
)


def hint_word(binding_id: str) -> str:
    """The key bar's word for a binding, in the interface language."""
    if binding_id in CONTEXT_HINT_WORDS:
        return pgettext("key bar", CONTEXT_HINT_WORDS[binding_id])
    word = HINT_WORDS.get(binding_id) or binding_id.split(".", 1)[1].replace("_", " ")
    if word.startswith("score ") and word[6:].isdigit():
        return _("score {n}").format(n=word[6:])
    if word.startswith("pick ") and word[5:].isdigit():
        return _("pick {n}").format(n=word[5:])
    return _(word)


# After an item's frame, the work around it (the status, position, KPI and key lines, the
# prefetch of the next item) waits this long: the CPU goes first to carrying the frame to
# the terminal. Over ssh that is sshd and the client, on the same few cores as labeldesk;
# measured (bench/ssh_bytes_bench.py, ssh -t) key -> next item p50 1.75-1.83 -> 1.32-1.38
# times the bare app's. Keys are never held back by it: a key typed meanwhile acts at once.
FRAME_CARRY_S = 0.004

# What still acts in a window too small to show the item.
WHILE_TOO_SMALL = frozenset({"quit", "interrupt"})


class ItemScreen(ItemPaintGate, Screen[None]):
    DEFAULT_CSS = """
    ItemScreen { layout: vertical; }
    ItemScreen > #header { height: 1; background: $primary-background; padding: 0 1; }
    ItemScreen > #progress { height: 1; margin: 0 1; }
    ItemScreen > #body { height: 1fr; width: 100%; border: round FRAME; padding: 0 0; }
    ItemScreen > #status { height: 1; margin: 0 1; }
    ItemScreen > #keys { height: 2; padding: 0 1; background: $panel; }
    ItemScreen .problem { color: $error; padding: 0 1; }
    ItemScreen .notice { padding: 1 2; }
    ItemScreen > #too-small { display: none; width: 1fr; height: 1fr; content-align: center middle;
        text-align: center; text-style: bold; }
    ItemScreen.-compact > #header { display: none; }
    ItemScreen.-compact > #kpi { display: none; }
    ItemScreen.-compact > #body { border: none; }
    ItemScreen.-compact > #keys { height: 1; }
    ItemScreen.-too-small > * { display: none; }
    ItemScreen.-too-small > #too-small { display: block; }
    """.replace("FRAME", FRAME)

    AUTO_FOCUS = ""  # no widget of a view takes the keys unless the view asks for them

    # While an editor in the view has focus, letters type text (Textual leaves the keys an
    # Input consumes to it); of the rest only these actions still act, so nothing leaves a
    # draft by accident. The view's own ways out (editing_hint_ids) act too.
    WHILE_EDITING = frozenset(
        {"submit", "help", "guidelines", "summary", "stats", "my_audits", "history", "quit"}
        | {"scroll_up", "scroll_down", "interrupt"}
    )

    def __init__(self, keymap: Keymap) -> None:
        super().__init__()
        self.keymap = keymap
        self.view: TaskView | None = None
        self._status = Text("")
        self._class_bindings = self._bindings
        self._around_scheduled = False
        # Work for after the next frame (after_frame): one callback for all of it, as each
        # of Textual's call_after_refresh is a message of its own in the screen's queue,
        # ahead of the frame that shows the next item. Urgent steps run at the frame; the
        # rest (status and info lines, key bar, prefetch) FRAME_CARRY_S later.
        self._after_frame_urgent: list[Callable[[], None]] = []
        self._after_frame: list[Callable[[], None]] = []
        self._after_frame_asked = False
        self._chrome_timer: Timer | None = None
        self._kept: dict[str, tuple[tuple[object, ...], Screen[Any]]] = {}
        # What the key bar was last laid out from (render_keys skips an unchanged state).
        self._keys_state: tuple[object, ...] | None = None

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Line(id="header")
        yield Line(id="progress")
        yield from self.compose_info()
        yield VerticalScroll(*self.first_item(), id="body")
        yield StatusLine(id="status")
        yield Line(id="keys")
        yield Static(id="too-small")

    def compose_info(self) -> ComposeResult:
        """Lines between the progress line and the item (the KPIs, the audited answer)."""
        yield from ()

    def first_item(self) -> list[Widget]:
        """The item to compose with the screen (then call item_composed() on mount); none:
        the screen puts its first item up itself (put_item)."""
        return []

    def item_composed(self, task_id: str | None) -> None:
        """The item composed with the screen is up: keys wait until it has been painted."""
        self.after_frame(self._settle_focus, urgent=True)
        self.item_shown(None, task_id)

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#body", VerticalScroll)

    def put_item(self, widget: Widget | None, task_id: str | None) -> None:
        """Show `widget` (a view or a notice) as the item; keys wait until it is painted.
        With widget None the current view stays (it was reloaded in place)."""
        body = self.body
        mounted: AwaitMount | None = None
        if isinstance(widget, TaskView):
            widget.submit_handler = self.receive_answer
        if widget is not None:
            if self.focused is not None and body in self.focused.ancestors:
                # Keys must reach this screen, not a widget that is being removed.
                self.set_focus(None)
            body.remove_children()
            mounted = body.mount(widget)
        # A view may have asked for focus on its way out (focus requests are deferred):
        # once things settle, a focus left on a removed widget goes back to this screen.
        if widget is not None:
            self.after_frame(self._settle_focus, urgent=True)
        # Already at the top: no deferred scroll to queue per item (the screen's scroll keys
        # scroll at once, so none of theirs can be pending).
        if body.scroll_offset:
            body.scroll_home(animate=False)
        self.item_shown(mounted, task_id)

    def after_frame(self, step: Callable[[], None], *, urgent: bool = False) -> None:
        """Run `step` once the next frame is out, in order with the other steps asked for
        meanwhile (a step asking for another runs it after the frame after that). Urgent
        steps (focus, 'item painted') run at once; the others a little later, see
        FRAME_CARRY_S."""
        (self._after_frame_urgent if urgent else self._after_frame).append(step)
        if not self._after_frame_asked:
            self._after_frame_asked = True
            self.call_after_refresh(self._run_after_frame)

    def _run_after_frame(self) -> None:
        self._after_frame_asked = False
        urgent, self._after_frame_urgent = self._after_frame_urgent, []
        for step in urgent:
            step()
        if not self._after_frame or self._chrome_timer is not None:
            return
        if self.app.is_headless or bool(getattr(self.app, "held_keys", 0)):
            self._run_chrome()  # keys waiting (or a test's Pilot): no pause
        else:
            self._chrome_timer = self.set_timer(FRAME_CARRY_S, self._run_chrome)

    def _run_chrome(self) -> None:
        self._chrome_timer = None
        steps, self._after_frame = self._after_frame, []
        for step in steps:
            step()

    def after_paint(self, step: Callable[[], None]) -> None:
        """tui/key_gate.py ItemPaintGate: 'item painted' is urgent (it lets the next key
        through and starts the item's time on screen)."""
        self.after_frame(step, urgent=True)

    def defer_line(self, line: Line) -> None:
        """tui/widgets/line.py: a line's new content is applied after the next frame."""
        self.after_frame(line.flush)

    def _settle_focus(self) -> None:
        focused = self.focused
        if focused is not None and (not focused.is_attached or focused.screen is not self):
            self.set_focus(None)

    # -- keys ------------------------------------------------------------------------------
    def bind_keys(
        self, contexts: tuple[str, ...], only: Callable[[str], bool] | None = None
    ) -> None:
        """(Re)build this screen's bindings from the keymap for these contexts."""
        self._bindings = BindingsMap.merge([BindingsMap(), self._class_bindings])
        install_keymap(self, self.keymap, contexts, self.action_for, only)
        if self.is_mounted:
            self.refresh_bindings()
            self.render_keys()

    def action_for(self, binding_id: str) -> str | None:
        """The action a binding id runs here: app.X -> X, audit.X -> audit_X (when this
        screen has it); the task type's ids and the label keys go to the view."""
        context, _dot, name = binding_id.partition(".")
        if context in ("app", "audit"):
            action = name if context == "app" else f"audit_{name}"
            return action if hasattr(self, f"action_{action}") else None
        return f"view({binding_id!r})"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.has_class("-too-small") and action not in WHILE_TOO_SMALL:
            return False  # the item is not on screen: no key may act on it unseen
        view = self.view
        if view is None or not view.editing:
            return True
        if action == "view":
            return bool(parameters) and parameters[0] in view.editing_hint_ids()
        return action in self.WHILE_EDITING

    def action_view(self, binding_id: str) -> None:
        if self.view is None:
            self.set_status(self.no_view_reason(), error=True)
        elif not self.view.handle(binding_id):
            self.set_status(
                _("{binding_id} does nothing here").format(binding_id=binding_id), error=True
            )

    def no_view_reason(self) -> str:
        return _("nothing to act on here")

    def receive_answer(self, task_id: str, answer: str, value: dict[str, Any] | None) -> None:
        """An answer from the item's view (the one channel, TaskView.submit)."""
        self.set_status(_("answers are not taken here"), error=True)

    # -- status and key bar ----------------------------------------------------------------
    def set_status(self, text: str, error: bool = False) -> None:
        view = self.view
        if error and view is not None and view.editing:
            # After a refusal the annotator must see where the next keys go.
            text += _(" · keys type into {editing_label}").format(editing_label=view.editing_label)
        # Task ids, labels and file names reach the terminal only through the sanitizer.
        self._status = Text(visible(text), style="bold red" if error else "green")
        self.query_one("#status", Line).set(self._status)

    def refresh_around_item(self) -> None:
        """Work out the lines around the item (position, KPI, key bar) right after the item
        has been painted, once however often asked: a key paints the next item first, and
        these lines reach the screen in the frame after it anyway (tui/widgets/line.py)."""
        if not self._around_scheduled:
            self._around_scheduled = True
            self.after_frame(self._refresh_around)

    def _refresh_around(self) -> None:
        self._around_scheduled = False
        if self.is_attached:
            self.fit_info_lines()
            self.render_keys()
            # The item is out: these lines go in the next frame together, not one per round.
            for line in self.query(Line):
                line.flush()
            # Then, once those lines are out too, the paint of the item expected next.
            self.after_frame(self._prefetch)

    def _prefetch(self) -> None:
        # Keys waiting come first: the work ahead is for the reading time between keys.
        if self.is_attached and self.keys_ready and not getattr(self.app, "held_keys", 0):
            self.prefetch_next()

    def prefetch_next(self) -> None:
        """Let the view work out the paint of the item an answer would lead to (labeling:
        the next unanswered one); a screen without such a guess does nothing."""

    def hint_ids(self) -> list[str]:
        """Binding ids for the key bar, most useful first."""
        return self.view.hint_ids() if self.view else []

    def render_keys(self) -> None:
        """The key bar, from the bindings active right now (what a key would really do)."""
        view = self.view
        compact = self.has_class("-compact")
        editing = view is not None and view.editing
        # Everything the active bindings and the bar's layout depend on: walking the active
        # bindings on every item (the same state for most answers) is skipped.
        state = (
            view,
            editing,
            view.editing_label if view is not None and editing else None,
            tuple(view.editing_hint_ids()) if view is not None and editing else (),
            tuple(self.hint_ids()),
            self.focused,
            self._bindings,
            self.app.screen is self,
            self.classes,
            self.size.width,
        )
        if state == self._keys_state:
            return
        self._keys_state = state
        active = active_keys(self, self.keymap)
        cells: list[tuple[str, str, str]] = []  # (binding id, key, word)
        lead = Text()
        if view is not None and editing:
            # Letters type text now: only the ways out and the keys that still act are shown.
            where = (
                ""
                if compact
                else _(" into {editing_label}").format(editing_label=view.editing_label)
            )
            lead.append(" " + _("typing") + where + " ", style="reverse bold")
            lead.append(" ")
            for binding_id in view.editing_hint_ids():
                keys = self.keymap.display(binding_id, limit=1)
                # The way out of a field is a leave whatever the binding's name (audio's and
                # spans' Esc is "cancel"): the text stays (the free-text convention), and
                # "cancel the editor" read as if it were thrown away.
                cells.append((binding_id, keys, _("{word} the editor").format(word=_("leave"))))
            ids = ["app.submit", "app.guidelines", "app.help", "app.quit"]
        else:
            ids = self.hint_ids()
        for binding_id in ids:
            now = active.get(binding_id)
            if now:
                cells.append((binding_id, key_display(now[0]), hint_word(binding_id)))
        rows = 1 if compact else 2
        bar = lay_out_key_bar(lead, cells, self.size.width - 2, rows)
        self.query_one("#keys", Line).set(bar)

    def fit_size(self, width: int, height: int) -> None:
        """Compact below COMPACT_BELOW, a message below TOO_SMALL_BELOW."""
        compact = is_compact(width, height)
        too_small = width < TOO_SMALL_BELOW[0] or height < TOO_SMALL_BELOW[1]
        self.set_class(compact, "-compact")
        self.set_class(too_small, "-too-small")
        if too_small:
            need_w, need_h = TOO_SMALL_BELOW
            self.query_one("#too-small", Static).update(
                _(
                    "Window too small to label: {width}×{height}.\nMake it at least {need_w}×{need_h} ({full_w}×{full_h} or more shows everything).\n{key} quits; every answer is saved."
                ).format(
                    width=width,
                    height=height,
                    need_w=need_w,
                    need_h=need_h,
                    full_w=COMPACT_BELOW[0],
                    full_h=COMPACT_BELOW[1],
                    key=self.keymap.display("app.quit", 1),
                )
            )

    def on_resize(self, event: events.Resize) -> None:
        self.fit_size(event.size.width, event.size.height)
        self.render_keys()
        self.refresh_bindings()
        self.fit_info_lines()

    def fit_info_lines(self) -> None:
        """Lay out the lines that depend on the width again (the KPI line) after a resize."""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.render_keys()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.render_keys()

    @on(TaskView.Notice)
    def _view_notice(self, message: TaskView.Notice) -> None:
        message.stop()
        self.set_status(message.text, error=message.error)

    # -- what every item screen offers -----------------------------------------------------
    def guidelines_file(self) -> Path | None:
        return None

    def action_guidelines(self) -> None:
        path = self.guidelines_file()
        if path is None:
            self.set_status(_("this batch has no guidelines file"), error=True)
            return
        # Imported here: nothing of the guidelines is needed before the first Ctrl+g.
        from tui.screens.guidelines import GuidelinesScreen, read_guidelines

        try:
            text = read_guidelines(path)
        except OSError as exc:
            self.set_status(
                _("cannot read {path}: {exc}").format(path=path, exc=exc.strerror or exc),
                error=True,
            )
            return
        close = self.close_keys_of("guidelines.close")
        self.push_kept(
            ("guidelines", path.name, text), lambda: GuidelinesScreen(path.name, text, close)
        )

    def help_label_count(self) -> int | None:
        return self.view.label_count() if self.view is not None else None

    def action_help(self) -> None:
        # Imported on first use: nothing of the key list is needed before the first item.
        from tui.screens.help import HelpScreen, help_rows

        rows = help_rows(self, self.keymap, self.help_label_count())
        self.push_kept(("help", *rows), lambda: HelpScreen(rows, self.keymap))

    def close_keys_of(self, binding_id: str) -> str:
        """An overlay's close keys as its title names them (the keymap's first two)."""
        return self.keymap.display(binding_id) or "Esc"

    # -- overlays that are kept --------------------------------------------------------------
    # An overlay is kept (installed) while this screen lives and shows the same content:
    # Textual lays out the screen below again when it *removes* a closed screen, a second
    # full repaint on every close (4.8 KB at 80x24, measured in a pty), and opening it again
    # needs no compose or layout of its own.
    def push_kept(self, key: tuple[object, ...], make: Callable[[], Screen[Any]]) -> None:
        kind = str(key[0])
        kept = self._kept.get(kind)
        if kept is not None and kept[1] in self.app.screen_stack:
            return  # already open (a key repeated before it was painted)
        if kept is None or kept[0] != key:
            if kept is not None:
                self._drop_kept(kept[1])
            kept = (key, make())
            self.app.install_screen(kept[1], name=f"labeldesk-{kind}-{id(self)}")
            self._kept[kind] = kept
        self.app.push_screen(kept[1])

    def _drop_kept(self, screen: Screen[Any]) -> None:
        if screen in self.app.screen_stack:
            return  # still open: it is dropped with this screen or replaced when closed
        self.app.uninstall_screen(screen)
        if screen.is_attached:
            screen.remove()

    def on_unmount(self) -> None:
        for _key, screen in self._kept.values():
            self._drop_kept(screen)
        self._kept.clear()

    def action_scroll_down(self) -> None:
        body = self.body
        body.scroll_to(
            y=body.scroll_y + max(1, body.size.height - 2), animate=False, immediate=True
        )

    def action_scroll_up(self) -> None:
        body = self.body
        body.scroll_to(
            y=body.scroll_y - max(1, body.size.height - 2), animate=False, immediate=True
        )

    def action_interrupt(self) -> None:
        self.set_status(
            _("Ctrl+c does not quit: {key} quits (everything is already saved)").format(
                key=self.keymap.display("app.quit", 1)
            )
        )

    def action_quit(self) -> None:
        self.app.exit()
