"""Short messages the task-type views share (no Textual here): what a label key that this
item does not use means, and whether the item on screen was skipped earlier.

Status messages must fit one 80-column line (78 cells inside the padding), so each one says
what to do in a few words.
"""

from __future__ import annotations

from typing import Any

from tui.core.i18n import N_, _
from tui.core.keymap import Keymap, key_display


def label_keys_text(keymap: Keymap, count: int) -> str:
    """The keys of labels 1..count, runs of neighbouring keys joined: "1–3", "1–9, b–d"."""
    keys = [keymap.label_key(n) for n in range(1, count + 1)]
    shown = [key_display(k) for k in keys if k]
    runs: list[list[str]] = []
    for key in shown:
        last = runs[-1][-1] if runs else ""
        if len(key) == 1 and len(last) == 1 and ord(key) == ord(last) + 1:
            runs[-1].append(key)
        else:
            runs.append([key])
    parts = [
        run[0] if len(run) == 1 else f"{run[0]}{'–' if len(run) > 2 else ', '}{run[-1]}"
        for run in runs
    ]
    return ", ".join(parts)


def not_a_label(keymap: Keymap, n: int, count: int, item_labels: bool = False) -> str:
    """A label key past the item's labels: "z is not a label key here: labels are 1–3"
    (`item_labels`: the video's labels of the whole item). Whole sentences per case, so that
    each language words them its own way."""
    key = keymap.label_key(n)
    name = key_display(key) if key else _("label {n}").format(n=n)
    if count <= 0:
        text = (
            _("{name} is not an item label key here: there are no item labels")
            if item_labels
            else _("{name} is not a label key here: there are no labels")
        )
        return text.format(name=name)
    text = (
        _("{name} is not an item label key here: item labels are {keys}")
        if item_labels
        else _("{name} is not a label key here: labels are {keys}")
    )
    return text.format(name=name, keys=label_keys_text(keymap, count))


def was_skipped(view: Any) -> bool:
    """Whether the view's item was skipped the last time it was answered (labeling only)."""
    ctx = view.ctx
    return getattr(ctx, "mode", "label") == "label" and ctx.previous_answer == "skip"


SKIPPED_NOTE = N_("you skipped this item: answer it now, or skip it again")
