"""`labeldesk open BATCH`: label a batch (folder with batch.toml, or a JSONL file)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.core.i18n import _
from tui.core.safe_text import echo


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--task-type", help=_("task type of a bare JSONL file (binary, classify, ...)")
    )
    parser.add_argument("--labels", help=_("comma-separated labels for a bare JSONL file"))


def labels_arg(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [label.strip() for label in value.split(",") if label.strip()]


def register(sub: Any) -> None:
    parser = sub.add_parser("open", help=_("label a batch (the default command)"))
    parser.add_argument("batch", type=Path, help=_("a batch folder, or a Prodigy-style JSONL file"))
    parser.add_argument("--annotator", help=_("who is labeling (default: config file, then login)"))
    parser.add_argument("--results", type=Path, help=_("results folder (default: BATCH/results)"))
    parser.add_argument("--keymap", help=_("a named keymap from keymaps/ (e.g. vim)"))
    add_batch_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tui.core.batch_discovery import is_batch_folder

    if is_batch_folder(args.batch):
        from tui.core.home.roots import remember_opened

        remember_opened(args.batch)  # the home screen's default roots: folders opened before
    elif args.batch.is_dir():
        from tui.commands.home import run_home

        return run_home(args.batch, args)
    from tui.launch import LaunchError, prepare

    try:
        prepared = prepare(
            args.batch,
            annotator=args.annotator,
            task_type=args.task_type,
            labels=labels_arg(args.labels),
            results_dir=args.results,
            keymap_name=args.keymap,
        )
    except LaunchError as exc:
        echo(_("labeldesk: {exc}").format(exc=exc), file=sys.stderr)
        return 2
    from tui.app import LabelDeskApp

    app = LabelDeskApp(prepared.session, prepared.keymap)
    try:
        app.run()
    finally:
        prepared.session.store.close()
    print_summary(prepared.session)
    # Non-zero when the app ended on an error, so scripts and wrappers can tell.
    return app.return_code or 0


def print_summary(session: Any) -> None:
    """The session summary on exit, for the annotator's own record of the day. Text from
    files (the batch title, labels, task ids) passes through safe_text.visible; when the
    results file is gone (batch folder deleted or replaced), it says NOT SAVED."""
    if not session.records:
        if session.lost_lines():
            from tui.core.safe_text import safe_console

            _rescue(session, safe_console())
        return
    from rich.text import Text

    from tui.core.kpi import render_session_summary, session_summary
    from tui.core.safe_text import safe_console, visible

    console = safe_console()
    title = session.batch.config.title or session.batch.id
    console.print(Text(visible(str(title)), style="bold"))
    store = session.store
    gone = None if store.present() else str(store.path)
    summary = session_summary(
        session.records,
        active_s=session.clock.active_s,
        idle_s=session.clock.idle_s,
        min_seconds=session.batch.config.min_seconds,
    )
    if gone is not None:
        console.print(
            Text(
                _(
                    "NOT SAVED: {gone} was removed or replaced while labeldesk had it open; the {records} answer line(s) of this session are not in it."
                ).format(gone=visible(gone), records=len(session.records)),
                style="bold red",
            ),
            soft_wrap=True,
        )
    _rescue(session, console)
    console.print(render_session_summary(summary, width=min(console.width, 100), not_saved=gone))


def _rescue(session: Any, console: Any) -> None:
    """Answers that are in no results file (the batch folder deleted, the file replaced)
    are written to a new file in the data folder, and the path is said."""
    from rich.text import Text

    from tui.core.rescue import default_rescue_path
    from tui.core.safe_text import visible

    if not session.lost_lines():  # none, or all written with F8 already
        return
    target = default_rescue_path(session.batch.id, session.store.annotator)
    try:
        count = session.rescue(target)
    except OSError as exc:
        message = _("the lost answers could not be written to {target} either: {exc}").format(
            target=target, exc=exc
        )
        console.print(Text(visible(message), style="bold red"), soft_wrap=True)
        return
    message = _(
        "{count} answer line(s) that are in no results file were written to {target}; hand that file to whoever runs the batch"
    ).format(count=count, target=target)
    console.print(Text(visible(message), style="bold yellow"), soft_wrap=True)
