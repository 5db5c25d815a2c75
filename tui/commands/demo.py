"""`labeldesk demo`: the demo batches, copied to a writable folder on first use, then opened
on the home screen (the same screen as `labeldesk FOLDER`)."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from tui.core.i18n import _


def register(sub: Any) -> None:
    parser = sub.add_parser("demo", help=_("open the demo batches (copied to your data folder)"))
    parser.add_argument("--annotator", help=_("who is labeling"))
    parser.add_argument("--keymap", help=_("a named keymap from keymaps/"))
    parser.add_argument("--reset", action="store_true", help=_("start again from fresh copies"))
    parser.set_defaults(func=run)


def demo_folder() -> Path:
    import os

    override = os.environ.get("LABELDESK_DATA_DIR")
    if override:
        return Path(override) / "demo"
    from platformdirs import user_data_dir

    return Path(user_data_dir("labeldesk", appauthor=False)) / "demo"


def run(args: argparse.Namespace) -> int:
    from tui.commands.home import run_home
    from tui.core.resources import data_dir

    target = demo_folder()
    if args.reset and target.exists():
        shutil.rmtree(target)
    if not target.exists():
        shutil.copytree(
            data_dir("samples"), target, ignore=shutil.ignore_patterns("results", "audits")
        )
        from tui.core.safe_text import echo

        echo(_("demo batches copied to {target}").format(target=target))
    return run_home(target, args)
