"""`labeldesk validate BATCH`: every problem of a batch, exit 1 if there are errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.commands.open import add_batch_arguments, labels_arg
from tui.core.i18n import _


def register(sub: Any) -> None:
    parser = sub.add_parser("validate", help=_("check a batch and print every problem"))
    parser.add_argument("batch", type=Path)
    add_batch_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tui.core.batch import Batch
    from tui.core.problems import BatchError, labelled
    from tui.core.safe_text import echo

    try:
        batch = Batch.open(args.batch, task_type=args.task_type, labels=labels_arg(args.labels))
    except BatchError as exc:
        for problem in exc.problems:
            echo(_("error: {problem}").format(problem=problem))
        echo(
            _("{problems} problem(s); the batch cannot be opened").format(
                problems=len(exc.problems)
            )
        )
        return 1
    problems, invalid = batch.validate_all()
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        echo(labelled(problem))
    echo(
        _("{tasks} task(s), {invalid} invalid, {errors} error(s), {warnings} warning(s)").format(
            tasks=len(batch),
            invalid=len(invalid),
            errors=len(errors),
            warnings=len(problems) - len(errors),
        )
    )
    sys.stdout.flush()
    return 1 if errors else 0
