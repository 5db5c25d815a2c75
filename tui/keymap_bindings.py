"""The TOML keymap as Textual bindings: one `Binding(id=…)` per binding id.

Keymaps stay data (tui/core/keymap.py builds the effective map from its layers, with where
each binding came from); here they become the screens' Textual bindings, so Textual's own
machinery routes keys (the focused widget first, an Input's typing before any letter key),
and `active_bindings` — what the key bar and the help show — is the truth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.binding import Binding, BindingsMap, KeymapApplyResult
from textual.binding import Keymap as TextualKeymap
from textual.dom import DOMNode

from tui.core.keymap import Keymap


def install_keymap(
    node: DOMNode,
    keymap: Keymap,
    contexts: Iterable[str],
    action_for: Callable[[str], str | None],
    only: Callable[[str], bool] | None = None,
) -> None:
    """Give `node` a binding for every id of `contexts` that has keys; `action_for(id)`
    names the node's action (None: the id has no action here)."""
    bindings: list[Binding] = []
    for binding_id, keys in keymap.resolved(contexts, only).items():
        action = action_for(binding_id)
        if not keys or action is None:
            continue
        bindings.append(
            Binding(
                ",".join(keys),
                action,
                keymap.describe(binding_id),
                show=False,
                id=binding_id,
            )
        )
    # Ours first: a keymap key beats a built-in binding of the same key (Tab: focus next).
    merged = BindingsMap.merge([BindingsMap(bindings), node._bindings])
    node._bindings = KeymapBindings.of(merged)


class KeymapBindings(BindingsMap):
    """A node's bindings that remember what App.set_keymap's keymap makes of them.

    Textual works the binding chain out again for every key (twice: the priority pass and
    the normal one), each time applying the app's keymap to a fresh copy of every node's
    bindings; for an item screen with some thirty bindings that is ~50 µs a pass, on the
    way from a key to its action. The result depends only on the keymap and on which keys
    the copy holds (an editor with focus takes out the keys it types), so it is kept per
    (keymap, keys) and shared with the copies. A node's bindings are never changed in
    place here: a new keymap layer builds a new KeymapBindings (install_keymap)."""

    def __init__(self) -> None:
        super().__init__()
        self._applied: dict[
            tuple[object, ...], tuple[dict[str, list[Binding]], KeymapApplyResult]
        ] = {}

    @classmethod
    def of(cls, bindings: BindingsMap) -> KeymapBindings:
        made = cls()
        made.key_to_bindings = bindings.key_to_bindings.copy()
        return made

    def copy(self) -> KeymapBindings:
        copy = KeymapBindings.of(self)
        copy._applied = self._applied
        return copy

    def apply_keymap(self, keymap: TextualKeymap) -> KeymapApplyResult:
        key = (tuple(keymap.items()), tuple(self.key_to_bindings))
        known = self._applied.get(key)
        if known is None:
            result = super().apply_keymap(keymap)
            known = (self.key_to_bindings.copy(), result)
            if len(self._applied) < 32:  # a handful of states: focus in an editor or not
                self._applied[key] = known
        self.key_to_bindings = known[0].copy()
        return known[1]


def active_keys(node: DOMNode, keymap: Keymap) -> dict[str, list[str]]:
    """binding id -> the keys that trigger it right now on node's screen, in keymap order
    (keys an editor would type are not active while it has focus)."""
    found: dict[str, list[str]] = {}
    for key, active in node.screen.active_bindings.items():
        binding_id = active.binding.id
        if binding_id and active.enabled:
            found.setdefault(binding_id, []).append(key)
    for binding_id, keys in found.items():
        order = keymap.keys_for(binding_id)
        keys.sort(key=lambda k: order.index(k) if k in order else len(order))
    return found
