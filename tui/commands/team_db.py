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

DB_HELP = (
    "the database's connection string, e.g. postgresql:///labeldesk?host=/run/postgresql "
    "(a Unix socket) or postgresql://user@localhost:5433/labeldesk (a tunnel); "
    "default: $LABELDESK_DB"
)


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help=DB_HELP)


def register_team(team_sub: Any) -> None:
    """Add db-init, push and pull to the `team` command's sub-parsers."""
    init = team_sub.add_parser(
        "db-init",
        help="create or upgrade the labeldesk schema in a PostgreSQL database",
        description=(
            "Apply the schema's versioned SQL files that the database does not have yet "
            "(each once, recorded in labeldesk_schema). Run it after createdb, and after "
            "upgrading labeldesk."
        ),
    )
    _db_argument(init)
    init.set_defaults(func=run_db_init)
    push = team_sub.add_parser(
        "push",
        help="register a batch folder in the database, for annotators on other machines",
        description=(
            "Store the batch's batch.toml, guidelines and every task line in the database, "
            "with the team plan (targets, overlap sample, order, routing). Media stay files: "
            "each annotator's machine must be able to read the paths the tasks name."
        ),
    )
    push.add_argument("batch", type=Path, metavar="BATCH", help="the batch folder")
    _db_argument(push)
    push.set_defaults(func=run_push)
    pull = team_sub.add_parser(
        "pull",
        help="write a batch and every answer from the database into a batch folder",
        description=(
            "Write batch.toml, the tasks, the guidelines and results/<annotator>.jsonl (each "
            "line exactly as the annotator's machine wrote it). A results file already in "
            "the folder is kept: only the lines it lacks are appended. stats, audit and merge "
            "then read the folder as any other."
        ),
    )
    pull.add_argument("batch_id", metavar="BATCH", help="the batch id (id in batch.toml)")
    _db_argument(pull)
    pull.add_argument(
        "-o", "--output", type=Path, metavar="FOLDER", help="where to write it (default: ./BATCH)"
    )
    pull.set_defaults(func=run_pull)


def _url(args: argparse.Namespace, command: str) -> str | None:
    import os

    from tui.core.safe_text import echo

    url: str | None = args.db or os.environ.get("LABELDESK_DB") or None
    if url is None:
        echo(f"labeldesk team {command}: give the database with --db URL", file=sys.stderr)
    return url


def _connect(url: str, command: str) -> Any:
    from tui.core.safe_text import echo
    from tui.core.team.pg.connect import DatabaseUnavailableError, connect

    try:
        return connect(url, autocommit=True)
    except DatabaseUnavailableError as exc:
        echo(f"labeldesk team {command}: {exc}", file=sys.stderr)
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
        echo(f"labeldesk team db-init: {exc}", file=sys.stderr)
        return 1
    newest = migrations()[-1].version
    if applied:
        names = ", ".join(f"{m.version:03d}_{m.name}" for m in applied)
        echo(f"{redact(url)}: applied {names}; the schema is at version {newest}")
    else:
        echo(f"{redact(url)}: the schema is already at version {newest}; nothing to do")
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
            echo(f"error: {problem}", file=sys.stderr)
        echo(f"{len(exc.problems)} problem(s); nothing was pushed", file=sys.stderr)
        return 1
    except DatabaseUnavailableError as exc:
        echo(f"labeldesk team push: {exc}", file=sys.stderr)
        return 1
    echo(
        f"pushed batch {report.batch_id!r} to {redact(url)}: {report.tasks} tasks"
        + (f", {report.overlap_tasks} in the overlap sample" if report.overlap_tasks else "")
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
        echo(f"labeldesk team pull: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        echo(
            f"labeldesk team pull: cannot write in {folder}: {exc.strerror or exc}", file=sys.stderr
        )
        return 1
    for path in report.written:
        echo(f"wrote {path}")
    for path, count in report.appended.items():
        echo(f"appended {count} answer line(s) to {path}")
    echo(
        f"batch {report.batch_id!r} is in {report.folder}"
        + (f" ({report.unchanged} answer line(s) were already there)" if report.unchanged else "")
    )
    return 0
