"""tui/keymap_bindings.py KeymapBindings: what App.set_keymap's keymap makes of a node's
bindings, kept between keys, is exactly what Textual's own BindingsMap works out."""

from __future__ import annotations

from textual.binding import Binding, BindingsMap

from tui.keymap_bindings import KeymapBindings


def bindings() -> BindingsMap:
    return BindingsMap(
        [
            Binding("ctrl+q", "quit", id="app.quit"),
            Binding("f1,question_mark", "help", id="app.help"),
            Binding("a", "view('binary.accept')", id="binary.accept"),
            Binding("x", "view('binary.reject')", id="binary.reject"),
            Binding("tab", "focus_next"),
        ]
    )


def applied(
    start: BindingsMap, keymap: dict[str, str], drop: str | None = None
) -> dict[str, list[str]]:
    copy = start.copy()
    if drop is not None:  # as Textual does for a key an editor with focus would type
        del copy.key_to_bindings[drop]
    result = copy.apply_keymap(keymap)
    assert not result.clashed_bindings or keymap
    return {key: [str(b.id) for b in found] for key, found in copy.key_to_bindings.items()}


KEYMAPS = [
    {},
    {"app.quit": "ctrl+q"},
    {"app.quit": "ctrl+w,ctrl+q", "app.help": "f2"},
    {"binary.accept": "y", "binary.reject": "n"},
    {"binary.accept": "x"},  # a clash with reject
]


def test_same_result_as_textual_every_time() -> None:
    kept = KeymapBindings.of(bindings())
    for _round in range(2):  # the second round comes from what was kept
        for keymap in KEYMAPS:
            for drop in (None, "a", "tab"):
                assert applied(kept, keymap, drop) == applied(bindings(), keymap, drop)


def test_the_node_bindings_themselves_never_change() -> None:
    kept = KeymapBindings.of(bindings())
    before = {k: list(v) for k, v in kept.key_to_bindings.items()}
    for keymap in KEYMAPS:
        applied(kept, keymap)
    assert kept.key_to_bindings == before
