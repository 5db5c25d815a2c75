"""`labeldesk import SOURCE --format F --task-type T -o BATCH`: a peer tool's file as a new
batch folder. (The module is not named `import`: that is a Python keyword.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.core.export.names import IMPORT_FORMATS
from tui.core.i18n import _

MAX_SHOWN = 200


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "import",
        help=_(
            "make a batch folder from Label Studio, Prodigy, CSV, JSONL, Parquet, CoNLL/IOB "
            "or spaCy data"
        ),
        description=(
            _(
                "Converts every row it can into a task of the given type and reports every row it "
                "cannot, with its position and why. Answers in the file (Label Studio annotations "
                "and predictions, Prodigy answers, a label column) become pre-annotations by "
                "default, or gold with --answers gold."
            )
        ),
    )
    parser.add_argument("source", type=Path, metavar="SOURCE", help=_("the file to import"))
    parser.add_argument("--format", "-f", required=True, choices=IMPORT_FORMATS, dest="format")
    parser.add_argument("--task-type", "-t", required=True, metavar="TYPE", dest="task_type")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="BATCH", help=_("the new batch folder")
    )
    parser.add_argument(
        "--answers",
        choices=("pre", "gold", "none"),
        default="pre",
        help=_("what answers in the file become: pre-annotations (default), gold, or nothing"),
    )
    parser.add_argument(
        "--labels",
        metavar="A,B,...",
        help=_("the batch's labels (default: those found in the data)"),
    )
    parser.add_argument(
        "--text-column", metavar="NAME", help=_("csv/jsonl/parquet: the text column")
    )
    parser.add_argument("--id-column", metavar="NAME", help=_("csv/jsonl/parquet: the id column"))
    parser.add_argument(
        "--label-column", metavar="NAME", help=_("csv/jsonl/parquet: a label column (an answer)")
    )
    parser.add_argument(
        "--batch-id", metavar="ID", help=_("the batch id (default: the folder name)")
    )
    parser.add_argument("--language", choices=("nl", "en", "nl-en", "en-nl"))
    parser.add_argument(
        "--controls",
        metavar="A,B,...",
        help=_(
            "label-studio-min: the keys that hold a control's result (from_name), besides "
            "labeldesk's own control names and keys shaped like a result"
        ),
    )
    parser.add_argument(
        "--fps",
        type=_frames_a_second,
        metavar="N",
        help=_(
            "label-studio video: frames a second of the timeline ranges when a task's data "
            "has no `fps` (default: 24, Label Studio's)"
        ),
    )
    parser.set_defaults(func=run)


def _frames_a_second(text: str) -> float:
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
    from tui.core.export.extras import MissingExtraError
    from tui.core.importing.build import ImportError_, ImportRequest, run_import
    from tui.core.problems import labelled
    from tui.core.safe_text import echo

    labels = [x.strip() for x in (args.labels or "").split(",") if x.strip()]
    request = ImportRequest(
        source=args.source,
        format=args.format,
        task_type=args.task_type,
        output=args.output,
        answers=args.answers,
        labels=labels,
        text_field=args.text_column,
        id_field=args.id_column,
        label_field=args.label_column,
        batch_id=args.batch_id,
        language=args.language,
        fps=args.fps,
        controls=[x.strip() for x in (args.controls or "").split(",") if x.strip()],
    )
    try:
        result = run_import(request)
    except (ImportError_, MissingExtraError) as exc:
        echo(_("labeldesk import: {error}").format(error=exc), file=sys.stderr)
        return 2
    except OSError as exc:
        echo(_("labeldesk import: {error}").format(error=exc), file=sys.stderr)
        return 1
    for problem in result.problems[:MAX_SHOWN]:
        echo(labelled(problem), file=sys.stderr)
    if len(result.problems) > MAX_SHOWN:
        echo(
            _("... and {more} more").format(more=len(result.problems) - MAX_SHOWN),
            file=sys.stderr,
        )
    for note in result.notes:
        echo(_("note: {note}").format(note=note), file=sys.stderr)
    errors = sum(1 for p in result.problems if p.severity == "error")
    media = (
        _(", {media} media file(s) copied").format(media=result.media_copied)
        if result.media_copied
        else ""
    )
    # --answers names a choice (pre, gold, none): it stays as typed.
    echo(
        _(
            "imported {written} task(s) into {output} ({with_answer} with an answer as "
            "{answers}){media}; {errors} row(s) or file problem(s) not imported"
        ).format(
            written=result.written,
            output=args.output,
            with_answer=result.with_answer,
            answers=args.answers,
            media=media,
            errors=errors,
        ),
        file=sys.stderr,
    )
    if not result.written:
        return 1
    return 0
