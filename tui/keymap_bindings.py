"""The TOML keymap as Textual bindings: one `Binding(id=…)` per binding id.

Keymaps stay data (tui/core/keymap.py builds the effective map from its layers, with where
each binding came from); here they become the screens' Textual bindings, so Textual's own
machinery routes keys (the focused widget first, an Input's typing before any letter key),
and `active_bindings` — what the key bar and the help show — is the truth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.binding import Binding, BindingsMap
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
    node._bindings = BindingsMap.merge([BindingsMap(bindings), node._bindings])


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
