"""`labeldesk team`: see and steer a team working on one batch (issue 12).

    labeldesk team status BATCH [--json]
    labeldesk team release BATCH --annotator NAME

Sub-commands are registered by functions in REGISTRARS; another module adds its own by
naming itself in TEAM_COMMAND_MODULES (it defines `register_team(sub)`), e.g. issue 13's
`team push/pull/db-init`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tui.core.i18n import _

# Modules (under tui.commands) that add `team` sub-commands: each has register_team(sub).
TEAM_COMMAND_MODULES: tuple[str, ...] = ("team_db",)


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "team",
        help=_("a team on one batch: status, release a colleague's claims"),
        description=(
            _(
                "Teams on one batch: who holds which tasks, what is done, what is left. The batch's "
                "batch.toml has a [team] table (see README, 'Working as a team')."
            )
        ),
    )
    team_sub = parser.add_subparsers(dest="team_command", metavar="SUBCOMMAND")
    for registrar in REGISTRARS:
        registrar(team_sub)
    for name in TEAM_COMMAND_MODULES:
        importlib.import_module(f"tui.commands.{name}").register_team(team_sub)
    parser.set_defaults(func=lambda args: _help(parser))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _register_status(team_sub: Any) -> None:
    parser = team_sub.add_parser(
        "status",
        help=_("per annotator: claimed, done, expired, over-covered; pool left; coverage"),
        description=(
            _(
                "Per annotator: live claims, counted answers, claims that ran out, answers beyond "
                "a task's target; the pool of tasks still needing someone; coverage; the longest "
                "ledger lock hold of this command."
            )
        ),
    )
    parser.add_argument("batch", type=Path, metavar="BATCH", help=_("the team batch folder"))
    parser.add_argument("--json", action="store_true", help=_("print the status as JSON"))
    parser.set_defaults(func=run_status)


def _register_release(team_sub: Any) -> None:
    parser = team_sub.add_parser(
        "release",
        help=_("give an annotator's live claims back to the team (for a lead)"),
        description=(
            _(
                "Release every live claim of one annotator (who left, or whose session hangs): the "
                "tasks go back to the pool at once instead of when their leases run out. An answer "
                "they still give is saved and counted as over-coverage."
            )
        ),
    )
    parser.add_argument("batch", type=Path, metavar="BATCH", help=_("the team batch folder"))
    parser.add_argument("--annotator", required=True, metavar="NAME", help=_("whose claims"))
    parser.set_defaults(func=run_release)


REGISTRARS: list[Callable[[Any], None]] = [_register_status, _register_release]


def _open(batch_path: Path, command: str) -> Any:
    """The coordinator of a team batch, or None after printing every problem."""
    from tui.core.batch import Batch
    from tui.core.problems import BatchError
    from tui.core.safe_text import echo
    from tui.core.team.engine import open_coordinator

    try:
        batch = Batch.open(batch_path)
        return open_coordinator(batch)
    except BatchError as exc:
        for problem in exc.problems:
            echo(
                _("labeldesk team {command}: {problem}").format(command=command, problem=problem),
                file=sys.stderr,
            )
    except OSError as exc:
        echo(
            _("labeldesk team {command}: {path}: {error}").format(
                command=command, path=batch_path, error=exc.strerror or exc
            ),
            file=sys.stderr,
        )
    return None


def run_status(args: argparse.Namespace) -> int:
    from tui.core.safe_text import echo, json_text, safe_console

    coordinator = _open(args.batch, "status")
    if coordinator is None:
        return 2
    try:
        status = coordinator.status()
        problems = list(coordinator.problems)
    except RuntimeError as exc:  # a database that cannot be reached (issue 13)
        echo(_("labeldesk team status: {error}").format(error=exc), file=sys.stderr)
        return 1
    finally:
        coordinator.close()
    for problem in problems[:20]:
        echo(_("labeldesk team status: {problem}").format(problem=problem), file=sys.stderr)
    if args.json:
        import orjson

        echo(json_text(orjson.dumps(asdict(status), option=orjson.OPT_INDENT_2)))
        return 0
    from tui.core.team.status_text import status_table

    safe_console().print(status_table(status))  # annotator names come from files
    return 0


def run_release(args: argparse.Namespace) -> int:
    from tui.core.safe_text import echo, visible

    coordinator = _open(args.batch, "release")
    if coordinator is None:
        return 2
    try:
        held = coordinator.held(args.annotator)
        coordinator.release(args.annotator, None, why="lead")
    finally:
        coordinator.close()
    echo(
        _("released {count} live claim(s) of {annotator}: back in the pool for the team").format(
            count=len(held), annotator=visible(args.annotator)
        )
    )
    return 0
