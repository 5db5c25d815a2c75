"""`labeldesk merge` and `labeldesk adjudicate`: one answer per task from a team's answers.

labeldesk merge BATCH [-o FILE] [--json-summary]
labeldesk adjudicate BATCH [--annotator NAME] [--all-disagreements]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.core.i18n import _, pgettext


def register(sub: Any) -> None:
    merge = sub.add_parser(
        "merge",
        help=_("one record per task from every annotator's answers, with where it came from"),
        description=(
            _(
                "Merge every annotator's latest answer per task (undone withdraws it; a skip, or a "
                "flag without an answer, is no vote) with the adjudications: one JSON line per "
                "task with source single, unanimous, majority (strictly more than half of the "
                "votes), adjudicated or unresolved (a tie: no merged answer), the annotators and "
                "answers it came from, flags and revisions. A summary goes to stderr."
            )
        ),
    )
    merge.add_argument("batch", type=Path, metavar="BATCH", help=_("the batch folder"))
    merge.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help=_(
            "write the merged JSONL here (atomically: temp file, fsync, rename) instead of stdout"
        ),
    )
    merge.add_argument(
        "--json-summary", action="store_true", help=_("print the summary to stderr as JSON")
    )
    merge.set_defaults(func=run_merge)

    adjudicate = sub.add_parser(
        "adjudicate",
        help=_("decide the items whose annotators disagree, one key per decision"),
        description=(
            _(
                "Open a review queue of the items whose annotators disagree (unresolved; with "
                "--all-disagreements, majority too). Pick one annotator's answer with its number "
                "key, or correct it in the task's own view. Each decision is appended to "
                "BATCH/adjudications/<NAME>.jsonl; `merge` then gives those items source "
                "adjudicated. Decided items are not shown again."
            )
        ),
    )
    adjudicate.add_argument("batch", type=Path, metavar="BATCH", help=_("the batch folder"))
    adjudicate.add_argument(
        "--annotator",
        metavar="NAME",
        help=_(
            "who adjudicates (default: the annotator name of your config file, then your login)"
        ),
    )
    adjudicate.add_argument(
        "--all-disagreements",
        action="store_true",
        help=_("also items decided by a majority (not only ties and splits)"),
    )
    adjudicate.set_defaults(func=run_adjudicate)


def _problems(problems: list[Any]) -> None:
    from tui.core.problems import labelled
    from tui.core.safe_text import echo

    for problem in problems:
        echo(labelled(problem), file=sys.stderr)


def _source_word(source: str) -> str:
    """A merged record's source (single, unanimous, ...) in words; the JSON keeps the id."""
    words = {
        "single": pgettext("merge source", "single"),
        "unanimous": pgettext("merge source", "unanimous"),
        "majority": pgettext("merge source", "majority"),
        "adjudicated": pgettext("merge source", "adjudicated"),
        "unresolved": pgettext("merge source", "unresolved"),
    }
    return words.get(source, source)


def _summary_text(summary: dict[str, Any], where: str) -> str:
    sources = summary["sources"]
    parts = ", ".join(
        _("{count} {source}").format(count=n, source=_source_word(source))
        for source, n in sources.items()
    )
    text = _("labeldesk merge: {tasks} task(s) merged to {where}: {parts}").format(
        tasks=summary["tasks"], where=where, parts=parts
    )
    if summary["no_votes"]:
        text += _("; {no_votes} without a vote (skipped or flagged only) left out").format(
            no_votes=summary["no_votes"]
        )
    return text


def run_merge(args: argparse.Namespace) -> int:
    import orjson

    from tui.core.merge import merge_batch, write_file
    from tui.core.merge.output import merged_lines
    from tui.core.problems import BatchError
    from tui.core.safe_text import echo, json_text
    from tui.core.team.pg.source import readable_batch

    try:
        with readable_batch(args.batch) as (folder, note):
            if note:
                echo(_("labeldesk merge: {note}").format(note=note), file=sys.stderr)
            result = merge_batch(folder)
    except BatchError as exc:
        _problems(exc.problems)
        return 2
    _problems(result.problems)
    try:
        if args.output is not None:
            write_file(result.records, args.output)
            where = str(args.output)
        else:
            for line in merged_lines(result.records):
                # Texts from results files reach the terminal escaped (the same JSON data).
                echo(json_text(line[:-1]))
            sys.stdout.flush()
            where = "stdout"
    except OSError as exc:
        from tui.core.safe_files import UnsafeFileError

        # An UnsafeFileError's message names the path already; a plain OSError's does not.
        said = str(exc) if isinstance(exc, UnsafeFileError) else f"{exc.strerror or exc}"
        target = args.output if args.output is not None else _("to stdout")
        echo(
            _("labeldesk merge: cannot write {target}: {error}").format(target=target, error=said),
            file=sys.stderr,
        )
        return 2
    summary = result.summary()
    if args.json_summary:
        echo(json_text(orjson.dumps({**summary, "output": where})), file=sys.stderr)
    else:
        echo(_summary_text(summary, where), file=sys.stderr)
    return 0


def run_adjudicate(args: argparse.Namespace) -> int:
    import importlib

    from tui.core.user_config import load_user_config, resolve_annotator

    config, _ = load_user_config()
    adjudicator = resolve_annotator(args.annotator, config)
    launcher = importlib.import_module("tui.adjudicate_launch")
    code = launcher.open_adjudication(args.batch, adjudicator, with_majority=args.all_disagreements)
    return code if isinstance(code, int) else 0
