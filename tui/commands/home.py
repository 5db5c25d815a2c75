"""`labeldesk` (no argument) or `labeldesk home`: the home screen over the configured roots.

`labeldesk FOLDER` on a folder of batches opens the same screen over that folder alone.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.i18n import _
from tui.core.safe_text import echo

if TYPE_CHECKING:  # loaded when a batch is opened, not before the home screen paints
    import argparse

    from tui.core.keymap import Keymap
    from tui.core.session import LabelingSession


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "home",
        help=_(
            "every batch under your roots: progress, pace, audits (the default with no argument)"
        ),
        description=(
            _(
                "The home screen: every batch under the roots of config.toml (roots = [...]), or "
                "else under the folders opened before, with your progress, colleagues' progress, "
                "your pace today, audits waiting for you and audits of your work."
            )
        ),
    )
    parser.add_argument("--annotator", help=_("who is labeling (default: config file, then login)"))
    parser.add_argument("--keymap", help=_("a named keymap from keymaps/ (e.g. vim)"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return run_home(None, args)


def first_screen_rows() -> int:
    """How many rows the first screen can show, at most (two lines a row; the header's lines
    are not subtracted, so a few more than fit), for the height Textual will take (it asks
    shutil too): only their batch.toml files are read before the first paint, the others
    right after it (tui/screens/home.py)."""
    import shutil

    return max(shutil.get_terminal_size().lines, 1) // 2 + 1


def run_home(folder: Path | None, args: argparse.Namespace | None) -> int:
    """The home screen over `folder`, or over the configured roots when None; `args` holds
    --annotator and --keymap (None: `labeldesk` alone, neither given)."""
    from tui.core.annotator_name import resolve_name
    from tui.core.home.listing import list_batches
    from tui.core.home.roots import Roots, resolve_roots
    from tui.core.home.settings import HomeSettings, quick_settings
    from tui.core.resources import config_dir

    settings = quick_settings()
    if settings is None:  # something odd in config.toml: the full reader says what
        from tui.core.user_config import load_user_config

        config, problems = load_user_config()
        for problem in problems:
            echo(_("labeldesk: {problem}").format(problem=problem), file=sys.stderr)
        settings = HomeSettings(config.annotator, config.keymap, tuple(config.roots))
    try:
        name = resolve_name(getattr(args, "annotator", None), settings.annotator)
    except ValueError as exc:
        echo(_("labeldesk: {exc}").format(exc=exc), file=sys.stderr)
        return 2
    roots = Roots([folder], "argument") if folder is not None else resolve_roots(settings.roots)
    for problem in roots.problems:
        echo(_("labeldesk: {problem}").format(problem=problem), file=sys.stderr)
    entries = list_batches(roots.folders, read_first=first_screen_rows())
    if folder is not None and not entries:
        echo(
            _(
                "labeldesk: {folder} has no batch.toml and no batch folders inside it (a batch folder holds batch.toml and tasks.jsonl)"
            ).format(folder=folder),
            file=sys.stderr,
        )
        return 2
    if folder is not None:
        from tui.core.home.roots import remember_opened

        remember_opened(folder)  # the home screen's default roots: folders opened before
    if not roots.folders:
        echo(
            _(
                'labeldesk: no folders to look in: set roots = ["/path/to/batches"] in {toml}, or open a folder once with `labeldesk FOLDER` (it is remembered)'
            ).format(toml=config_dir() / "config.toml"),
            file=sys.stderr,
        )
        return 2
    keymap_name = getattr(args, "keymap", None) or settings.keymap

    def opener(batch: Path) -> tuple[LabelingSession, Keymap]:
        from tui.launch import prepare

        prepared = prepare(batch, annotator=name, keymap_name=keymap_name)
        return prepared.session, prepared.keymap

    from tui.home_app import HomeApp, audit_lines

    app = HomeApp(roots, entries, annotator=name, opener=opener, keymap_name=keymap_name)
    try:
        app.run()
    finally:
        app.close_session()
    from tui.commands.open import print_summary

    for session in app.finished:
        print_summary(session)
    for line in audit_lines(app.finished_audits):
        echo(line)
    return app.return_code or 0
