"""`labeldesk stats [PATH ...]`: throughput, quality and pace figures over results files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.core.i18n import _

BY_CHOICES = ("day", "batch", "task-type", "annotator")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected 0 seconds or more, got {text!r}")
    return value


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "stats",
        help=_("items per active hour, seconds per item, skips, gold and audit rates"),
        description=(
            _(
                "Figures over results files (*.jsonl) and batch folders (their results/ and "
                "audits/). The latest line per annotator, task and batch counts; undone items "
                "do not. Times are active time; days and hours are UTC."
            )
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help=(
            _(
                "results/audit files, batch folders, or folders of them (default: every batch "
                "under the roots of config.toml, else under the folders opened before, else .)"
            )
        ),
    )
    parser.add_argument(
        "--annotator",
        action="append",
        default=[],
        metavar="NAME",
        help=_("only this annotator's answers, and audits of their work (repeatable)"),
    )
    parser.add_argument(
        "--since",
        metavar="WHEN",
        help=_("only answers submitted at or after a date (UTC midnight) or ISO date-time"),
    )
    parser.add_argument("--by", choices=BY_CHOICES, help=_("one table row per day, batch, ..."))
    parser.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    parser.add_argument(
        "--min-seconds",
        type=_seconds,
        metavar="S",
        help=_("answers faster than this are 'fast' (where no batch.toml sets min_seconds)"),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tui.core.safe_text import echo, json_text, safe_console
    from tui.core.stats import compute_stats, parse_since, problem_lines

    since = None
    if args.since is not None:
        try:
            since = parse_since(args.since)
        except ValueError as exc:
            echo(_("labeldesk stats: --since: {exc}").format(exc=exc), file=sys.stderr)
            return 2
    paths: list[Path] = args.paths
    where = ""  # with no path: which folders were read, said with the figures
    if not paths:
        paths, where = default_paths()
    from contextlib import ExitStack

    with ExitStack() as stack:
        read: list[Path] = []
        for path in paths:
            # A batch whose answers live in PostgreSQL is counted from there.
            folder, note = path, None
            if (path / "batch.toml").is_file():
                # Imported here: it reads batch.toml with pydantic (~90 ms to import), which
                # results files alone do not need.
                from tui.core.team.pg.source import readable_batch

                folder, note = stack.enter_context(readable_batch(path))
            if note:
                echo(_("labeldesk stats: {note}").format(note=note), file=sys.stderr)
            read.append(folder)
        report = compute_stats(
            read,
            annotators=args.annotator,
            since=since,
            by=args.by,
            min_seconds=args.min_seconds,
        )
    for line in problem_lines(report):
        echo(line, file=sys.stderr)
    if where and (args.json or report.files):
        # --json keeps stdout for the figures; the folders read go to stderr.
        echo(where, file=sys.stderr if args.json else sys.stdout)
    if args.json:
        import orjson

        echo(json_text(orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2)))
        sys.stdout.flush()
    else:
        from tui.core.stats import render_stats

        console = safe_console()  # names and ids come from files
        console.print(render_stats(report, width=console.width))
        if where and not report.files:
            echo(where.replace("read ", "looked in ", 1))
    missing = [p for p in args.paths if not p.exists()]
    return 1 if missing else 0


def default_paths() -> tuple[list[Path], str]:
    """The batch folders under the home screen's roots (config `roots`, else the folders
    opened before), and a line saying which folders were read; `.` when there are none."""
    from tui.core.home.listing import list_batches
    from tui.core.home.roots import resolve_roots
    from tui.core.safe_text import visible
    from tui.core.user_config import config_file, load_user_config

    config, problems = load_user_config()
    roots = resolve_roots(config.roots)
    for problem in [*problems, *roots.problems]:
        from tui.core.safe_text import echo

        echo(_("labeldesk stats: {problem}").format(problem=problem), file=sys.stderr)
    if not roots.folders:
        return [Path(".")], (
            _("read . (no roots in {config_file} and no folder opened before)").format(
                config_file=config_file()
            )
        )
    batches = [entry.folder for entry in list_batches(roots.folders)]
    listed = ", ".join(str(folder) for folder in roots.folders)
    return batches, visible(
        _("read {batches} batch folder(s) under {describe}: {listed}").format(
            batches=len(batches), describe=roots.describe(), listed=listed
        )
    )
