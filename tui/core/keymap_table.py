"""The keymap as a Rich table: shared by `labeldesk keys` and the in-app help overlay."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table

from tui.core.i18n import _
from tui.core.keymap import Keymap, key_display


def keymap_table(
    keymap: Keymap,
    label_count: int | None = None,
    sources: bool = False,
    ids: Iterable[str] | None = None,
) -> Table:
    """`ids`: the bindings to list (default: the item screen's, keymap.active_ids())."""
    table = Table(box=None, show_header=True, header_style="bold", expand=True)
    table.add_column(_("keys"), no_wrap=True)
    table.add_column(_("does"))
    table.add_column(_("binding id"), style="dim", no_wrap=True)
    if sources:
        table.add_column(_("from"), style="dim", no_wrap=True)
    for binding_id in keymap.active_ids() if ids is None else ids:
        is_label = binding_id.startswith("label.")
        if is_label and label_count is not None and int(binding_id.split(".")[1]) > label_count:
            continue
        keys = ", ".join(key_display(k) for k in keymap.keys_for(binding_id))
        row = [keys, keymap.describe(binding_id), binding_id]
        if sources:
            row.append(keymap.sources.get(binding_id, ""))
        table.add_row(*row)
    return table
