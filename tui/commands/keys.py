"""`labeldesk keys`: the effective keymap (and its conflicts) for a task type or batch."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tui.core.i18n import _


def register(sub: Any) -> None:
    parser = sub.add_parser("keys", help=_("print the effective keymap and any conflicts"))
    parser.add_argument(
        "batch", nargs="?", type=Path, help=_("a batch folder (its [keymap] applies)")
    )
    parser.add_argument("--task-type", help=_("show a task type's keys (default: the batch's)"))
    parser.add_argument("--keymap", help=_("a named keymap from keymaps/"))
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.text import Text

    from tui.core.batch_config import read_batch_config
    from tui.core.keymap import build_keymap
    from tui.core.keymap_table import keymap_table
    from tui.core.safe_text import echo, json_text, safe_console
    from tui.core.task_registry import get_task_type
    from tui.core.user_config import load_user_config, user_keymap_file

    config = load_user_config()[0]
    batch_table: dict[str, Any] = {}
    batch_file: Path | str = "batch.toml"
    type_name = args.task_type
    if args.batch is not None:
        batch_toml = args.batch / "batch.toml"
        batch_file = batch_toml
        batch_config, problems = read_batch_config(batch_toml)
        if batch_config is None:
            for p in problems:
                echo(_("error: {p}").format(p=p))
            return 1
        batch_table = batch_config.keymap
        type_name = type_name or batch_config.task_type
    try:
        task_type = get_task_type(type_name) if type_name else None
    except KeyError as exc:
        echo(_("error: {args}").format(args=exc.args[0]))
        return 1
    keymap = build_keymap(
        task_type,
        chosen=args.keymap or config.keymap,
        user_file=user_keymap_file(),
        batch_table=batch_table,
        batch_file=batch_file,
    )
    conflicts = keymap.conflicts()
    if args.json:
        out = {
            "bindings": [
                {
                    "id": b,
                    "keys": keymap.keys_for(b),
                    "description": keymap.describe(b),
                    "source": keymap.sources.get(b, ""),
                }
                for b in keymap.active_ids()
            ],
            # The overlays', text fields' and home screen's keys (each on its own screen).
            "screens": [
                {
                    "id": b,
                    "keys": keymap.keys_for(b),
                    "description": keymap.describe(b),
                    "source": keymap.sources.get(b, ""),
                }
                for b in keymap.screen_ids()
            ],
            "conflicts": [{"key": c.key, "ids": list(c.ids)} for c in conflicts],
            "problems": [str(p) for p in keymap.problems],
        }
        echo(json_text(json.dumps(out, indent=2, ensure_ascii=False)))
    else:
        console = safe_console()
        console.print(keymap_table(keymap, sources=True))
        console.print(Text(_("Overlays, text fields and the home screen:"), style="bold"))
        console.print(keymap_table(keymap, sources=True, ids=keymap.screen_ids()))
        for c in conflicts:
            # Text, not markup: a key or id from a keymap file may hold "[/x]".
            console.print(Text.assemble((_("conflict:"), "bold red"), f" {c}"))
        for p in keymap.problems:
            console.print(Text.assemble((_("warning:"), "yellow"), f" {p}"))
        if not conflicts:
            console.print(_("no conflicts"))
    return 1 if conflicts else 0
