"""`labeldesk export`: one batch folder, one format, one output (a file or stdout)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import orjson

from tui.core.export.names import FORMATS, SPAN_FORMATS
from tui.core.export.records import ExportRecord, ExportSource, Select, iter_records
from tui.core.problems import Problem


@dataclass
class ExportOptions:
    format: str
    select: Select = "latest"
    per_task: bool = False  # csv: one row per task with a consensus column
    language: str | None = None  # conll/iob/spacy: spaCy's blank tokenizer (nl, en)
    fps: float | None = None  # label-studio video: frames a second when a task gives none


@dataclass
class ExportSummary:
    written: int = 0  # records (or tasks / documents) written
    unit: str = "answers"
    problems: list[Problem] = field(default_factory=list)
    misaligned: list[str] = field(default_factory=list)
    left_out: int = 0  # answers the format cannot carry (an undone line in Prodigy, ...)


class FormatError(ValueError):
    """The format cannot carry this batch's answers (conll for a classify batch, ...)."""


def check_format(source: ExportSource, options: ExportOptions) -> None:
    if options.format not in FORMATS:
        raise FormatError(f"unknown format {options.format!r}; one of {', '.join(FORMATS)}")
    if options.format in SPAN_FORMATS and source.task_type != "spans":
        raise FormatError(
            f"the {options.format} format carries spans: batch {source.batch.id!r} is task type "
            f"{source.task_type!r} (use jsonl, prodigy, label-studio, csv or parquet)"
        )


def _tokens_of(source: ExportSource):  # type: ignore[no-untyped-def]
    def tokens(record: ExportRecord) -> list[tuple[int, int]] | None:
        ttype = source.batch.task_type
        try:
            task = ttype.parse_task(dict(record.task), source.batch.options)
        except Exception:  # a task the type refuses has no tokens to give
            return None
        return ttype.tokens(task, source.batch.options)

    return tokens


def _counted(records: Iterator[ExportRecord], summary: ExportSummary) -> Iterator[ExportRecord]:
    for record in records:
        summary.written += 1
        yield record


def _decisions(records: Iterator[ExportRecord], summary: ExportSummary) -> Iterator[ExportRecord]:
    """Leave out `undone` lines (only --select all has them): Label Studio has no
    withdrawn annotation; counted in the summary."""
    for record in records:
        if record.answer == "undone":
            summary.left_out += 1
            continue
        yield record


def write_export(source: ExportSource, options: ExportOptions, out: BinaryIO) -> ExportSummary:
    """Stream the batch's answers to `out` in the chosen format."""
    check_format(source, options)
    summary = ExportSummary()
    fmt = options.format
    records = iter_records(source, options.select)
    labels = [str(x) for x in source.batch.config.task.get("labels") or []]
    if fmt == "jsonl":
        for record in _counted(records, summary):
            out.write(orjson.dumps(record.to_json()) + b"\n")
    elif fmt == "prodigy":
        from tui.core.export.prodigy import prodigy_line

        tokens = _tokens_of(source)
        for record in records:
            line = prodigy_line(record, labels, tokens)
            if line is None:
                summary.left_out += 1
                continue
            summary.written += 1
            out.write(orjson.dumps(line) + b"\n")
    elif fmt == "label-studio":
        _write_label_studio(source, _decisions(records, summary), out, summary, options.fps)
        summary.unit = "tasks"
    elif fmt == "label-studio-min":
        from tui.core.export.label_studio import ls_min

        out.write(b"[")
        task_numbers: dict[str, int] = {}
        for record in _decisions(records, summary):
            number = task_numbers.setdefault(record.task_id, len(task_numbers) + 1)
            if summary.written:
                out.write(b",")
            summary.written += 1
            row = ls_min(record, summary.written, number, options.fps)
            out.write(b"\n" + orjson.dumps(row))
        out.write(b"\n]\n")
    elif fmt == "csv":
        from tui.core.export.tabular import write_csv_rows, write_csv_tasks

        if options.per_task:
            summary.written = write_csv_tasks(records, out)
            summary.unit = "tasks"
        else:
            summary.written = write_csv_rows(records, out)
    elif fmt == "parquet":
        from tui.core.export.tabular import write_parquet

        summary.written = write_parquet(records, out)
    else:
        from tui.core.export.token_formats import language_of, write_conll, write_docbin

        language = language_of(source.batch.config.language, options.language)
        if fmt == "spacy":
            report = write_docbin(records, out, language)
        else:
            report = write_conll(records, out, language, style=fmt)
        summary.written = report.docs
        summary.unit = "documents"
        summary.left_out = report.skipped_answers
        summary.misaligned = [str(m) for m in report.misaligned]
    summary.problems = source.problems
    return summary


def _write_label_studio(
    source: ExportSource,
    records: Iterator[ExportRecord],
    out: BinaryIO,
    summary: ExportSummary,
    fps: float | None = None,
) -> None:
    """Label Studio groups annotations by task, so each answer's annotation is spooled as
    JSON to an unnamed temp file (0600, gone when closed) and only its offset and length are
    held per task (one int); each task line is read again when its entry is written."""
    import tempfile

    from tui.core.export.label_studio import ls_annotation, ls_data
    from tui.core.export.records import task_line

    by_task: dict[str, list[int]] = {}
    users: dict[str, int] = {}
    with tempfile.TemporaryFile() as spool:
        offset = 0
        for number, record in enumerate(records, start=1):
            user = users.setdefault(record.annotator, len(users) + 1)
            data = orjson.dumps(ls_annotation(record, number, user, fps))
            spool.write(data)
            by_task.setdefault(record.task_id, []).append((offset << 32) | len(data))
            offset += len(data)
        spool.flush()
        fd = spool.fileno()
        out.write(b"[")
        for position, (task_id, spans) in enumerate(by_task.items(), start=1):
            task = task_line(source, task_id)
            if task is None:
                continue
            annotations = b",".join(os.pread(fd, code & 0xFFFFFFFF, code >> 32) for code in spans)
            head = orjson.dumps(
                {
                    "id": position,
                    "data": ls_data(task, source.task_type, fps),
                    "predictions": [],
                    "meta": {"labeldesk_id": task_id, "batch_id": source.batch.id},
                }
            )
            if summary.written:
                out.write(b",")
            summary.written += 1
            # The entry's object with its annotations spliced in, as written by orjson.
            out.write(b"\n" + head[:-1] + b',"annotations":[' + annotations + b"]}")
        out.write(b"\n]\n")
