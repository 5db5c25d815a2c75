"""One rule for keys, for every screen: a key acts on what is on screen, in the order typed.

Textual hands a key to the focused widget's queue and resolves most bindings only once the
key has bubbled back up to the app, so several keys can be in flight at once: a second quick
key could reach a view that has not composed yet, or one that is already being replaced (a
crash in compare, a lost draft in write). Here every key from the terminal is queued by the
app and delivered one at a time:

- a key is delivered only when the current screen says `keys_ready` (a labeling screen says
  so once the item's view is mounted *and painted*; an overlay once it has been painted);
- the next key waits until the previous one has been handled completely: stopped by the
  widget that took it, or bubbled back to the app and resolved against its bindings.

A completion barrier follows the key up the widget tree (one callback per node, behind the
key in that node's queue), so nothing depends on timing. `alt+x` that nothing binds is an
Esc typed just before x (terminals and ssh send both in one packet, and Textual's parser joins
them): it is delivered as Esc, then x.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import events
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widget import AwaitMount

from tui.core.safe_text import visible
from tui.escape_keys import install as install_escape_keys
from tui.paint_log import paint_log
from tui.terminal import TerminalApp

install_escape_keys()

# A key whose handling never reported back (a widget removed with the key still in its
# queue) stops holding the keys after this long; nothing else depends on a timeout.
_STUCK_AFTER_S = 2.0


# How many of the latest notifications `notices` keeps.
_NOTICES_KEPT = 50


@dataclass(frozen=True)
class Notice:
    """A notification as shown: message and title already through the sanitizer."""

    message: str
    title: str
    severity: SeverityLevel


class KeyGateApp(TerminalApp):
    """Base app: serialises keys and holds them while the screen is not ready for them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: deque[events.Key] = deque()
        self._in_flight: events.Key | None = None
        self._in_flight_since = 0.0
        self._pumping = False
        # Where the key in flight was delivered (its barriers start there), and whether it
        # is handled and only what it set off is still running.
        self._origin: MessagePump | None = None
        self._settling = False
        self._stuck_timer: Timer | None = None
        self._notices: deque[Notice] = deque(maxlen=_NOTICES_KEPT)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification passes the one sanitizer (problems quote lines from files)."""
        shown = Notice(visible(message), visible(title), severity)
        self._notices.append(shown)
        super().notify(
            shown.message,
            title=shown.title,
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    @property
    def notices(self) -> tuple[Notice, ...]:
        """The latest notifications, oldest first, as they were shown (sanitized)."""
        return tuple(self._notices)

    # -- what the screens tell the gate ----------------------------------------------------
    def keys_ready(self) -> bool:
        try:
            screen = self.screen
        except Exception:  # no screen yet (starting) or none any more (closing)
            return False
        return bool(getattr(screen, "keys_ready", True))

    def pump_keys(self) -> None:
        """Called when a screen becomes ready (a new item or screen painted): deliver what
        was typed meanwhile. A key still settling set this off, so it is complete."""
        if self._in_flight is not None and self._settling:
            self._release(self._in_flight)
        if self._held:
            self.call_later(self._pump)

    @property
    def held_keys(self) -> int:
        return len(self._held)

    def on_key_activity(self, event: events.Key) -> None:
        """Every key from the terminal, as it arrives (the active-time clock listens)."""

    # -- the gate --------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not event.is_forwarded:
                self.on_key_activity(event)
                self._held.append(event)
                await self._pump()
                return
            # A key that bubbled back from the widget tree: resolve it, then it is done.
            await super().on_event(event)
            self._done(event)
            return
        await super().on_event(event)

    def _split_alt(self, event: events.Key) -> list[events.Key]:
        key = event.key
        if not key.startswith("alt+") or self._is_bound(key):
            return [event]
        rest = key[len("alt+") :]
        character = rest if len(rest) == 1 else event.character
        return [events.Key("escape", "\x1b"), events.Key(rest, character)]

    def _is_bound(self, key: str) -> bool:
        try:
            chain = self.screen._modal_binding_chain
        except Exception:
            return False
        return any(key in bindings.key_to_bindings for _node, bindings in chain)

    async def _pump(self) -> None:
        if self._pumping:
            return
        self._pumping = True
        try:
            while self._held and self._in_flight is None and self.keys_ready():
                # Split an alt+key against the bindings of the screen it is delivered to.
                first, *rest = self._split_alt(self._held.popleft())
                self._held.extendleft(reversed(rest))
                await self._deliver(first)
        finally:
            self._pumping = False

    async def _deliver(self, event: events.Key) -> None:
        origin: MessagePump = self.focused or self.screen
        self._in_flight = event
        self._origin = origin
        self._settling = False
        self._in_flight_since = time.monotonic()
        if self._stuck_timer is None:
            self._stuck_timer = self.set_interval(_STUCK_AFTER_S / 2, self._unstick)
        if await self._take_by_bindings(event):
            self._done(event)
            return
        # Textual's own handling: priority bindings act now; otherwise the key is forwarded.
        await super().on_event(event)
        if not event.is_forwarded or not _call_later(origin, self._after_node, origin, event):
            self._done(event)

    async def _take_by_bindings(self, event: events.Key) -> bool:
        """With no widget focused, a key Textual forwards to the screen only comes back up
        to the app to be looked up in the bindings (no screen here has key handlers of its
        own): look it up now, priority bindings first as Textual does, and save the trip
        down and back (two queued messages and a barrier, ~0.4 ms of a key's way to the
        next item). Anything else (a focused widget, a maximized one, a key the bindings do
        not take) goes Textual's own way."""
        screen = self.screen
        if self.focused is not None or screen.maximized is not None or _has_key_handlers(screen):
            return False
        self.app_focus = True
        return await self._check_bindings(event.key, priority=True) or await self._check_bindings(
            event.key
        )

    def _after_node(self, node: MessagePump, event: events.Key) -> None:
        """Runs behind `event` in `node`'s queue: the node has handled it."""
        if event is not self._in_flight:
            return
        parent = node._parent
        if (
            event._stop_propagation
            or parent is self
            or not isinstance(node, DOMNode)
            or not node.is_attached
        ):
            # The key may still be on its way to the app: Textual marks a key stopped at
            # the screen when the app created it (an Esc split off an alt+key) and still
            # hands it up. Finish behind whatever the app's queue holds, so the app has
            # resolved it (the item may have changed) before the next key is weighed.
            self._done_behind_app(event)
        elif parent is None:
            return  # bubbled to the app: on_event finishes it
        elif not _call_later(parent, self._after_node, parent, event):
            self._done(event)

    def _done_behind_app(self, event: events.Key) -> None:
        if not _call_later(self, self._done, event):
            self._done(event)

    def _done(self, event: events.Key) -> None:
        """The key itself is handled. What it set off may still be queued on the way from
        where it was typed up to the screen (an Input's Submitted, a view's message that
        saves and dismisses): a second barrier walks that path before the next key goes."""
        if event is not self._in_flight or self._settling:
            return
        self._settling = True
        origin = self._origin
        if origin is None or not _call_later(origin, self._settle_node, origin, event):
            self._release(event)

    def _settle_node(self, node: MessagePump, event: events.Key) -> None:
        if event is not self._in_flight:
            return
        parent = node._parent
        attached = isinstance(node, DOMNode) and node.is_attached
        if (
            not attached
            or parent is None
            or parent is self
            or not _call_later(parent, self._settle_node, parent, event)
        ):
            self._release(event)

    def _release(self, event: events.Key) -> None:
        if event is self._in_flight:
            self._in_flight = None
            self._origin = None
            if self._held:
                self.call_later(self._pump)

    def _unstick(self) -> None:
        if (
            self._in_flight is not None
            and time.monotonic() - self._in_flight_since > _STUCK_AFTER_S
        ):
            self.log.warning(f"key {self._in_flight.key!r} never reported back; going on")
            self._release(self._in_flight)


class _Call:
    """A queued call Textual runs without inspecting it: Textual's call_later wraps the
    callback in a partial whose signature it works out again on every call (~15 µs), and
    the gate queues a few such calls per key, some ahead of the next item's frame."""

    __slots__ = ("args", "fn")
    _param_count = 0  # what textual._callback.count_parameters looks for first

    def __init__(self, fn: Callable[..., object], *args: object) -> None:
        self.fn = fn
        self.args = args

    def __call__(self) -> None:
        self.fn(*self.args)


def _call_later(node: MessagePump, fn: Callable[..., object], *args: object) -> bool:
    """node.call_later(fn, *args), as Textual does it (a Callback event in node's queue)."""
    return node.post_message(events.Callback(callback=_Call(fn, *args)))


_KEY_HANDLERS: dict[type, bool] = {}


def _has_key_handlers(screen: object) -> bool:
    """Whether the screen's class handles keys itself (`on_key`, `handle_key`, `key_…`
    methods, an `@on(events.Key)` handler), which a key must then reach before the bindings
    are looked at."""
    cls = type(screen)
    known = _KEY_HANDLERS.get(cls)
    if known is None:
        ours = [k for k in cls.__mro__ if k.__module__.startswith(("tui.", "task_types."))]
        known = any(
            name in ("on_key", "_on_key", "handle_key") or name.startswith("key_")
            for klass in ours
            for name in vars(klass)
        ) or any(events.Key in vars(klass).get("_decorated_handlers", {}) for klass in ours)
        _KEY_HANDLERS[cls] = known
    return known


class PaintedGate:
    """For screens: `keys_ready` once the screen has been painted (keys typed while an
    overlay is still being built wait for it instead of reaching half-made widgets)."""

    _painted_once = False

    @property
    def keys_ready(self) -> bool:
        return self._painted_once

    def on_mount(self) -> None:
        # Textual calls each class's on_mount along the MRO, so subclasses need no super().
        self.call_after_refresh(self._first_paint)  # type: ignore[attr-defined]

    def _first_paint(self) -> None:
        self._painted_once = True
        _pump(self)

    _dismissing = False

    def on_screen_resume(self) -> None:
        # A kept overlay (tui/screens/item_screen.py push_kept) is opened again: it may close.
        self._dismissing = False

    def dismiss_once(self, result: Any = None) -> None:
        """Dismiss this overlay if it is still the top screen and not already closing: a
        second close (Esc right after Enter) must never pop the screen beneath it."""
        app = self.app  # type: ignore[attr-defined]
        if self._dismissing or app.screen is not self:
            return
        self._dismissing = True
        self.dismiss(result)


class ItemPaintGate:
    """For screens that show one item at a time: keys wait until the item on screen has been
    mounted and painted, so no key answers an item nobody saw (nor reaches a view that has
    not composed yet). Call `item_shown()` each time another item (or notice) is put up."""

    _shown_seq = 0
    _painted_seq = -1
    painted_task_id: str | None = None
    painted_at = 0.0

    @property
    def keys_ready(self) -> bool:
        return self._painted_seq == self._shown_seq

    def item_shown(self, mounted: AwaitMount | None, task_id: str | None) -> None:
        self._shown_seq += 1
        if mounted is None:  # reloaded in place: painted in the next frame
            seq = self._shown_seq
            self.after_paint(lambda: self._item_painted(seq, task_id))
            return
        self.call_later(self._when_mounted, self._shown_seq, mounted, task_id)  # type: ignore[attr-defined]

    async def _when_mounted(
        self, seq: int, mounted: AwaitMount | None, task_id: str | None
    ) -> None:
        if mounted is not None:
            await mounted
        self.after_paint(lambda: self._item_painted(seq, task_id))

    def after_paint(self, step: Callable[[], None]) -> None:
        """Run `step` once the next frame is out (a screen may batch such steps)."""
        self.call_after_refresh(step)  # type: ignore[attr-defined]

    def _item_painted(self, seq: int, task_id: str | None) -> None:
        if seq != self._shown_seq:
            return  # another item replaced it before it was drawn
        self._painted_seq = seq
        self.painted_task_id = task_id
        self.painted_at = time.monotonic()
        paint_log(task_id)
        _pump(self)


def _pump(screen: object) -> None:
    """Tell the app the screen is ready (an app without the gate, as in some tests, has
    nothing held)."""
    pump = getattr(getattr(screen, "app", None), "pump_keys", None)
    if pump is not None:
        pump()
