"""`labeldesk team db-init | push | pull`: a team's batch in a PostgreSQL database (issue 13).

Registered under `labeldesk team` by `register_team(team_subparsers)` (tui/commands/team.py
names this module in TEAM_COMMAND_MODULES). psycopg is optional: without it each command
says what to install.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.core.i18n import N_, _

DB_HELP = N_(
    "the database's connection string, e.g. postgresql:///labeldesk?host=/run/postgresql "
    "(a Unix socket) or postgresql://user@localhost:5433/labeldesk (a tunnel); "
    "default: $LABELDESK_DB"
)


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help=_(DB_HELP))


def register_team(team_sub: Any) -> None:
    """Add db-init, push and pull to the `team` command's sub-parsers."""
    init = team_sub.add_parser(
        "db-init",
        help=_("create or upgrade the labeldesk schema in a PostgreSQL database"),
        description=(
            _(
                "Apply the schema's versioned SQL files that the database does not have yet "
                "(each once, recorded in labeldesk_schema). Run it after createdb, and after "
                "upgrading labeldesk."
            )
        ),
    )
    _db_argument(init)
    init.set_defaults(func=run_db_init)
    push = team_sub.add_parser(
        "push",
        help=_("register a batch folder in the database, for annotators on other machines"),
        description=(
            _(
                "Store the batch's batch.toml, guidelines and every task line in the database, "
                "with the team plan (targets, overlap sample, order, routing). Media stay files: "
                "each annotator's machine must be able to read the paths the tasks name."
            )
        ),
    )
    push.add_argument("batch", type=Path, metavar="BATCH", help=_("the batch folder"))
    _db_argument(push)
    push.set_defaults(func=run_push)
    pull = team_sub.add_parser(
        "pull",
        help=_("write a batch and every answer from the database into a batch folder"),
        description=(
            _(
                "Write batch.toml, the tasks, the guidelines and results/<annotator>.jsonl (each "
                "line exactly as the annotator's machine wrote it). A results file already in "
                "the folder is kept: only the lines it lacks are appended. stats, audit and merge "
                "then read the folder as any other."
            )
        ),
    )
    pull.add_argument("batch_id", metavar="BATCH", help=_("the batch id (id in batch.toml)"))
    _db_argument(pull)
    pull.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FOLDER",
        help=_("where to write it (default: ./BATCH)"),
    )
    pull.set_defaults(func=run_pull)


def _url(args: argparse.Namespace, command: str) -> str | None:
    import os

    from tui.core.safe_text import echo

    url: str | None = args.db or os.environ.get("LABELDESK_DB") or None
    if url is None:
        echo(
            _("labeldesk team {command}: give the database with --db URL").format(command=command),
            file=sys.stderr,
        )
    return url


def _connect(url: str, command: str) -> Any:
    from tui.core.safe_text import echo
    from tui.core.team.pg.connect import DatabaseUnavailableError, connect

    try:
        return connect(url, autocommit=True)
    except DatabaseUnavailableError as exc:
        echo(
            _("labeldesk team {command}: {error}").format(command=command, error=exc),
            file=sys.stderr,
        )
        return None


def run_db_init(args: argparse.Namespace) -> int:
    from tui.core.safe_text import echo
    from tui.core.team.pg.connect import DatabaseUnavailableError, redact
    from tui.core.team.pg.schema import apply_migrations, migrations

    url = _url(args, "db-init")
    if url is None:
        return 2
    conn = _connect(url, "db-init")
    if conn is None:
        return 1
    try:
        with conn:
            applied = apply_migrations(conn)
    except DatabaseUnavailableError as exc:
        echo(_("labeldesk team db-init: {error}").format(error=exc), file=sys.stderr)
        return 1
    newest = migrations()[-1].version
    if applied:
        names = ", ".join(f"{m.version:03d}_{m.name}" for m in applied)
        echo(
            _("{url}: applied {names}; the schema is at version {newest}").format(
                url=redact(url), names=names, newest=newest
            )
        )
    else:
        echo(
            _("{url}: the schema is already at version {newest}; nothing to do").format(
                url=redact(url), newest=newest
            )
        )
    return 0


def run_push(args: argparse.Namespace) -> int:
    from tui.core.problems import BatchError
    from tui.core.safe_text import echo
    from tui.core.team.pg.batches import push_batch, team_plan_rows
    from tui.core.team.pg.connect import DatabaseUnavailableError, redact
    from tui.core.team.pg.schema import check_schema

    url = _url(args, "push")
    if url is None:
        return 2
    conn = _connect(url, "push")
    if conn is None:
        return 1
    try:
        with conn:
            check_schema(conn)
            report = push_batch(conn, args.batch, team_plan_rows)
    except BatchError as exc:
        for problem in exc.problems:
            echo(_("error: {problem}").format(problem=problem), file=sys.stderr)
        echo(
            _("{problems} problem(s); nothing was pushed").format(problems=len(exc.problems)),
            file=sys.stderr,
        )
        return 1
    except DatabaseUnavailableError as exc:
        echo(_("labeldesk team push: {error}").format(error=exc), file=sys.stderr)
        return 1
    overlap = (
        _(", {overlap} in the overlap sample").format(overlap=report.overlap_tasks)
        if report.overlap_tasks
        else ""
    )
    echo(
        _("pushed batch {batch_id!r} to {url}: {tasks} tasks{overlap}").format(
            batch_id=report.batch_id, url=redact(url), tasks=report.tasks, overlap=overlap
        )
    )
    return 0


def run_pull(args: argparse.Namespace) -> int:
    from tui.core.jsonl_store import StoreLockedError
    from tui.core.safe_files import UnsafeFileError
    from tui.core.safe_text import echo
    from tui.core.team.pg.batches import pull_batch
    from tui.core.team.pg.connect import DatabaseUnavailableError
    from tui.core.team.pg.schema import check_schema

    url = _url(args, "pull")
    if url is None:
        return 2
    conn = _connect(url, "pull")
    if conn is None:
        return 1
    folder: Path = args.output if args.output is not None else Path(args.batch_id)
    try:
        with conn:
            check_schema(conn)
            report = pull_batch(conn, args.batch_id, folder)
    except (DatabaseUnavailableError, StoreLockedError, UnsafeFileError) as exc:
        echo(_("labeldesk team pull: {error}").format(error=exc), file=sys.stderr)
        return 1
    except OSError as exc:
        echo(
            _("labeldesk team pull: cannot write in {folder}: {error}").format(
                folder=folder, error=exc.strerror or exc
            ),
            file=sys.stderr,
        )
        return 1
    for path in report.written:
        echo(_("wrote {path}").format(path=path))
    for path, count in report.appended.items():
        echo(_("appended {count} answer line(s) to {path}").format(count=count, path=path))
    unchanged = (
        _(" ({unchanged} answer line(s) were already there)").format(unchanged=report.unchanged)
        if report.unchanged
        else ""
    )
    echo(
        _("batch {batch_id!r} is in {folder}{unchanged}").format(
            batch_id=report.batch_id, folder=report.folder, unchanged=unchanged
        )
    )
    return 0
