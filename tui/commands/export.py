"""`labeldesk export BATCH --format F [-o FILE]`: a batch's answers in a peer tool's format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.core.export.names import BINARY_FORMATS, FORMATS
from tui.core.i18n import _, ngettext

MAX_SHOWN_PROBLEMS = 50


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export",
        help=_(
            "write a batch's answers as jsonl, Prodigy, Label Studio, CSV, CoNLL, spaCy, Parquet"
        ),
        description=(
            _(
                "Every answer of a batch folder joined with its task: the annotator, the answer, "
                "its value, flag and note, timing and revision. The latest answer per annotator "
                "and task by default (an undone answer is withdrawn); --select all for every line."
            )
        ),
    )
    parser.add_argument("batch", type=Path, metavar="BATCH", help=_("a batch folder"))
    parser.add_argument("--format", "-f", required=True, choices=FORMATS, dest="format")
    parser.add_argument(
        "--select",
        choices=("latest", "all"),
        default="latest",
        help=_("latest: the answer that counts per annotator and task (default); all: every line"),
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help=_("the file to write (default: stdout)")
    )
    parser.add_argument(
        "--per-task", action="store_true", help=_("csv: one row per task with a consensus column")
    )
    parser.add_argument(
        "--config-out",
        type=Path,
        metavar="FILE",
        help=_("label-studio: also write the matching labeling config XML here"),
    )
    parser.add_argument(
        "--lang",
        choices=("nl", "en"),
        help=_("conll/iob/spacy: spaCy's blank tokenizer (default: the batch's language)"),
    )
    parser.add_argument(
        "--fps",
        type=_positive,
        metavar="N",
        help=_(
            "label-studio video: frames a second for tasks without their own `fps` "
            "(default: 24, Label Studio's)"
        ),
    )
    parser.set_defaults(func=run)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1000:
        raise argparse.ArgumentTypeError(
            _("expected a number of frames a second, got {text!r}").format(text=text)
        )
    return value


def run(args: argparse.Namespace) -> int:
    from tui.core.safe_text import echo
    from tui.core.team.pg.source import readable_batch

    # A batch whose answers live in PostgreSQL is exported from there (every machine's).
    with readable_batch(args.batch) as (folder, note):
        if note:
            echo(_("labeldesk export: {note}").format(note=note), file=sys.stderr)
        return _export(args, folder)


def _export(args: argparse.Namespace, batch: Path) -> int:
    from tui.core.export.extras import MissingExtraError
    from tui.core.export.formats import ExportOptions, FormatError, write_export
    from tui.core.export.output import TerminalSafeStdout, atomic_output
    from tui.core.export.records import open_source
    from tui.core.problems import BatchError, labelled
    from tui.core.safe_text import echo

    if args.format in BINARY_FORMATS and args.output is None:
        echo(
            _("labeldesk export: the {format} format is binary: give -o FILE").format(
                format=args.format
            ),
            file=sys.stderr,
        )
        return 2
    if args.per_task and args.format != "csv":
        echo(_("labeldesk export: --per-task goes with --format csv"), file=sys.stderr)
        return 2
    if args.config_out is not None and args.format not in ("label-studio", "label-studio-min"):
        echo(
            _("labeldesk export: --config-out goes with the label-studio formats"), file=sys.stderr
        )
        return 2
    if args.fps is not None and args.format not in ("label-studio", "label-studio-min"):
        echo(_("labeldesk export: --fps goes with the label-studio formats"), file=sys.stderr)
        return 2
    try:
        source = open_source(batch)
    except BatchError as exc:
        for problem in exc.problems:
            echo(labelled(problem), file=sys.stderr)
        return 1
    options = ExportOptions(
        format=args.format,
        select=args.select,
        per_task=args.per_task,
        language=args.lang,
        fps=args.fps,
    )
    try:
        if args.output is None:
            stream = TerminalSafeStdout()
            summary = write_export(source, options, stream)  # type: ignore[arg-type]
            stream.flush()
        else:
            with atomic_output(args.output) as out:
                summary = write_export(source, options, out)
        if args.config_out is not None:
            from tui.core.export.label_studio import labeling_config

            xml = labeling_config(source.task_type, dict(source.batch.config.task))
            with atomic_output(args.config_out) as out:
                out.write(xml.encode("utf-8"))
    except (FormatError, MissingExtraError) as exc:
        echo(_("labeldesk export: {error}").format(error=exc), file=sys.stderr)
        return 2
    except OSError as exc:
        echo(_("labeldesk export: cannot write: {error}").format(error=exc), file=sys.stderr)
        return 1
    for problem in summary.problems[:MAX_SHOWN_PROBLEMS]:
        echo(labelled(problem), file=sys.stderr)
    for line in summary.misaligned[:MAX_SHOWN_PROBLEMS]:
        echo(_("not aligned: {line}").format(line=line), file=sys.stderr)
    hidden = len(summary.problems) + len(summary.misaligned) - 2 * MAX_SHOWN_PROBLEMS
    if hidden > 0:
        echo(_("... and more problems not shown ({hidden})").format(hidden=hidden), file=sys.stderr)
    where = str(args.output) if args.output is not None else "stdout"
    extra = (
        _(", {left_out} answer(s) the format cannot carry left out").format(
            left_out=summary.left_out
        )
        if summary.left_out
        else ""
    )
    misaligned = (
        _(", {misaligned} span(s) not aligned to tokens").format(misaligned=len(summary.misaligned))
        if summary.misaligned
        else ""
    )
    if source.skipped_undone:
        extra += _(", {undone} withdrawn (undone) answer(s) not exported").format(
            undone=source.skipped_undone
        )
    echo(
        _("exported {counted} to {where}{extra}{misaligned}").format(
            counted=_counted(summary.unit, summary.written),
            where=where,
            extra=extra,
            misaligned=misaligned,
        ),
        file=sys.stderr,
    )
    return 0


def _counted(unit: str, count: int) -> str:
    """How many of what an export wrote (answers, tasks, documents), in the interface's
    language; English says "{count} {unit}" as the export names it."""
    from tui.core.i18n import SOURCE_LANGUAGE, current_language

    if current_language() == SOURCE_LANGUAGE:
        return f"{count} {unit}"
    if unit == "answers":
        return ngettext("{count} answer", "{count} answers", count).format(count=count)
    if unit == "tasks":
        return ngettext("{count} task", "{count} tasks", count).format(count=count)
    if unit == "documents":
        return ngettext("{count} document", "{count} documents", count).format(count=count)
    return f"{count} {unit}"
