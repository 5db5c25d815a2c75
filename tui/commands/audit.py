"""`labeldesk audit`: review others' work, assign audit samples, report, measure agreement.

    labeldesk audit BATCH [--auditor NAME]           open the review app on your plan
    labeldesk audit assign BATCH (--rate 10% | --per-annotator N) [--seed S] [--add|--replace]
    labeldesk audit report BATCH [BATCH ...] [--json]
    labeldesk audit agreement BATCH [--json]

argparse cannot have optional sub-commands next to a positional path, so `audit` takes its
first word and the rest verbatim, and parses the rest with the parser of that word. A batch
folder that is literally named like a sub-command is reached as ./assign.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.core.i18n import _

SUBCOMMANDS = ("assign", "report", "agreement")

_FORMS = """\
forms:
  labeldesk audit BATCH [--auditor NAME]      review your assigned sample in the app
  labeldesk audit assign BATCH --auditor NAME (--rate 10% | --per-annotator N) [--seed S]
                                              [--add | --replace]
  labeldesk audit report BATCH [BATCH ...] [--json]
  labeldesk audit agreement BATCH [--json]

run `labeldesk audit assign --help` (or report, agreement) for each form's options."""


def _auditor_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--auditor",
        metavar="NAME",
        help=_("who audits (default: the annotator name of your config file, then your login)"),
    )


def _open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labeldesk audit",
        description=_("Review your assigned audit sample of a batch in the app."),
        epilog=_FORMS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("batch", type=Path, metavar="BATCH", help=_("the batch folder"))
    _auditor_option(parser)
    return parser


def _assign_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labeldesk audit assign",
        description=(
            _(
                "Draw a reproducible sample of answered items (accept/reject; the latest answer per "
                "annotator and task) for an auditor, per annotator and stratified by label, never "
                "the auditor's own work. Saved as BATCH/audits/<auditor>.plan.json."
            )
        ),
    )
    parser.add_argument("batch", type=Path, metavar="BATCH", help=_("the batch folder"))
    _auditor_option(parser)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--rate", metavar="PCT", help=_("share of each annotator's answers: 10%%"))
    size.add_argument(
        "--per-annotator", type=int, metavar="N", help=_("this many items of each annotator")
    )
    parser.add_argument(
        "--seed", metavar="S", help=_("any text; same answers + same seed = same plan")
    )
    again = parser.add_mutually_exclusive_group()
    again.add_argument(
        "--add",
        action="store_true",
        help=_("keep the existing plan and top it up to the rate/count with items not yet planned"),
    )
    again.add_argument(
        "--replace", action="store_true", help=_("throw the existing plan away and draw anew")
    )
    parser.add_argument("--json", action="store_true", help=_("print the plan as JSON"))
    return parser


def _report_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labeldesk audit report",
        description=(
            _(
                "Pass rates per annotator, label, task type and auditor; error categories; "
                "corrections (original -> corrected labels); examples with comments; gold accuracy."
            )
        ),
    )
    parser.add_argument("batches", type=Path, nargs="+", metavar="BATCH", help=_("batch folders"))
    parser.add_argument("--examples", type=int, default=3, metavar="N", help=_("per category"))
    parser.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    return parser


def _agreement_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labeldesk audit agreement",
        description=(
            _(
                "Agreement where several annotators answered the same items: Cohen's kappa per "
                "pair, Krippendorff's alpha (nominal) and Fleiss' kappa overall and per label, "
                "exact and overlap span F1 per pair for span answers."
            )
        ),
    )
    parser.add_argument("batch", type=Path, metavar="BATCH", help=_("the batch folder"))
    parser.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    return parser


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "audit",
        help=_("review others' work; assign samples; audit report; agreement"),
        description=_("Audits: review a sample of others' answers, and measure quality."),
        epilog=_FORMS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "first", metavar="BATCH|assign|report|agreement", help=_("a batch folder or a sub-command")
    )
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    _auditor_option(parser)
    parser.set_defaults(func=run)


def _print(renderables: list[Any]) -> None:
    from tui.core.safe_text import safe_console

    console = safe_console()  # every text here comes from files
    for renderable in renderables:
        console.print(renderable)


def _print_json(data: dict[str, Any]) -> None:
    import orjson

    from tui.core.safe_text import echo, json_text

    echo(json_text(orjson.dumps(data, option=orjson.OPT_INDENT_2)))


def _problems(problems: list[Any]) -> None:
    from tui.core.problems import labelled
    from tui.core.safe_text import echo

    for problem in problems:
        echo(labelled(problem), file=sys.stderr)


def _auditor(name: str | None) -> str:
    from tui.core.user_config import load_user_config, resolve_annotator

    config = load_user_config()[0]
    return resolve_annotator(name, config)


def run(args: argparse.Namespace) -> int:
    from tui.core.audit.plan import PlanError
    from tui.core.problems import BatchError

    rest: list[str] = list(args.rest or [])
    if args.auditor is not None and args.first not in ("report", "agreement"):
        rest += ["--auditor", args.auditor]
    try:
        if args.first == "assign":
            return _assign(_assign_parser().parse_args(rest))
        if args.first == "report":
            return _report(_report_parser().parse_args(rest))
        if args.first == "agreement":
            return _agreement(_agreement_parser().parse_args(rest))
        return _open(_open_parser().parse_args([args.first, *rest]))
    except BatchError as exc:
        _problems(exc.problems)
        return 2
    except PlanError as exc:
        _problems([exc.problem])
        return 2
    except (ValueError, OSError) as exc:
        # OSError: a plan or audit file that cannot be written, or a symlink refused in its
        # place (tui.core.safe_files); the message names the path.
        from tui.core.safe_text import echo

        echo(_("error: {exc}").format(exc=exc), file=sys.stderr)
        return 2


def _assign(args: argparse.Namespace) -> int:
    from tui.core.audit.plan import AssignMode, SampleSpec, assign_audit, parse_rate
    from tui.core.audit.render import render_assign

    spec = SampleSpec(
        rate=parse_rate(args.rate) if args.rate is not None else None,
        per_annotator=args.per_annotator,
    )
    mode: AssignMode = "add" if args.add else "replace" if args.replace else "new"
    result = assign_audit(args.batch, _auditor(args.auditor), spec, seed=args.seed, mode=mode)
    _problems(result.problems)
    if args.json:
        _print_json(result.plan.to_json_dict())
    else:
        _print(render_assign(result))
    return 0


def _report(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from tui.core.audit.render import render_report
    from tui.core.audit.report import audit_report
    from tui.core.safe_text import echo as say
    from tui.core.team.pg.source import readable_batch

    with ExitStack() as stack:
        batches = []
        for batch in args.batches:
            folder, note = stack.enter_context(readable_batch(batch))
            if note:
                say(_("labeldesk audit report: {note}").format(note=note), file=sys.stderr)
            batches.append(folder)
        report = audit_report(batches, examples_per_category=max(0, args.examples))
    _problems(report.problems)
    if args.json:
        _print_json(report.to_json_dict())
    else:
        _print(render_report(report))
    return 0


def _agreement(args: argparse.Namespace) -> int:
    from tui.core.audit.agreement import agreement_report
    from tui.core.audit.render import render_agreement
    from tui.core.safe_text import echo as say
    from tui.core.team.pg.source import readable_batch

    with readable_batch(args.batch) as (folder, note):
        if note:
            say(_("labeldesk audit agreement: {note}").format(note=note), file=sys.stderr)
        report = agreement_report(folder)
    _problems(report.problems)
    if args.json:
        _print_json(report.to_json_dict())
    else:
        _print(render_agreement(report))
    return 0


def _open(args: argparse.Namespace) -> int:
    import importlib

    from tui.core.audit.plan import load_plan

    auditor = _auditor(args.auditor)
    # Checked here so a missing plan is a one-line message, not an empty review screen.
    load_plan(args.batch, auditor)
    launcher = importlib.import_module("tui.app_launch")
    code = launcher.open_audit(args.batch, auditor)
    return code if isinstance(code, int) else 0
