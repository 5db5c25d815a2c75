"""`labeldesk import`: a file from a peer tool to a new batch folder (batch.toml, tasks.jsonl,
media/ copied). Every row that cannot be converted is a Problem with its position and why;
the rows that can are written. The batch is then opened by the same code the app uses, so
what import says is valid is what the app will show."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from tui.core.export.meaning import with_token_indices
from tui.core.export.names import IMPORT_FORMATS, SPAN_FORMATS
from tui.core.export.output import atomic_output
from tui.core.i18n import _
from tui.core.importing.convert import (
    MEDIA_TYPES,
    Converted,
    ImportSettings,
    RowError,
    from_label_studio,
    from_prodigy,
    from_table,
)
from tui.core.importing.sources import (
    Row,
    SourceError,
    csv_rows,
    jsonl_rows,
    label_studio_min_rows,
    label_studio_rows,
    parquet_rows,
)
from tui.core.problems import Problem

AnswersAs = Literal["pre", "gold", "none"]
BATCH_DIR_MODE = 0o750  # shared with the team's group, not with every user of the machine
BATCH_FILE_MODE = 0o640
_ID_TYPES_WITH_LABELS = ("binary", "classify", "spans", "image", "audio", "video")

Reader = Callable[[Path, list[Problem]], Iterator[Row]]
Converter = Callable[[dict[str, Any], ImportSettings], Converted]


@dataclass
class ImportRequest:
    source: Path
    format: str
    task_type: str
    output: Path
    answers: AnswersAs = "pre"
    labels: list[str] = field(default_factory=list)
    text_field: str | None = None
    id_field: str | None = None
    label_field: str | None = None
    batch_id: str | None = None
    language: str | None = None
    fps: float | None = None  # Label Studio video: frames a second when the data gives none
    controls: list[str] = field(default_factory=list)  # label-studio-min: control keys


@dataclass
class ImportResult:
    written: int = 0
    with_answer: int = 0
    problems: list[Problem] = field(default_factory=list)  # rows not converted, with why
    notes: list[str] = field(default_factory=list)  # what was mapped and how (said once)
    media_copied: int = 0


class ImportError_(Exception):
    """The import cannot start (output exists, unknown format, unknown task type)."""


def _reader_and_converter(fmt: str) -> tuple[Reader, Converter]:
    if fmt == "label-studio":
        return label_studio_rows, from_label_studio
    if fmt == "label-studio-min":
        from tui.core.importing.ls_min import from_label_studio_min

        return label_studio_min_rows, from_label_studio_min
    if fmt in ("conll", "iob"):
        from tui.core.importing.token_files import conll_rows, from_token_file

        return conll_rows, from_token_file
    if fmt == "spacy":
        from tui.core.importing.token_files import from_token_file, spacy_rows

        return spacy_rows, from_token_file
    if fmt == "prodigy":
        return jsonl_rows, from_prodigy
    if fmt == "csv":
        return csv_rows, from_table
    if fmt == "jsonl":
        return jsonl_rows, from_table
    if fmt == "parquet":
        return parquet_rows, from_table
    raise ImportError_(f"unknown format {fmt!r}; one of {', '.join(IMPORT_FORMATS)}")


def _apply_answer(
    task: dict[str, Any], value: dict[str, Any] | None, kind: str, mode: AnswersAs, notes: set[str]
) -> None:
    if kind == "spans" and value is not None and mode != "pre":
        task.pop("spans", None)  # the answer's spans: not shown as pre-set ones
    if value is None or mode == "none":
        return
    if mode == "gold":
        task["gold"] = value
        return
    if kind == "spans":
        task["spans"] = [
            {"start": s["start"], "end": s["end"], "label": s["label"]} for s in value["spans"]
        ]
    elif kind == "binary" and value.get("label"):
        task["label"] = value["label"]
    elif kind == "classify" and value.get("labels"):
        task["label"] = value["labels"][0]
        if len(value["labels"]) > 1:
            notes.add("classify shows one proposed label: the first of several was kept as `label`")
    else:
        meta = task.get("meta")
        task["meta"] = {**(meta if isinstance(meta, dict) else {}), "proposed": value}
        notes.add(
            f"task type {kind} has no pre-annotation field: proposed answers are kept in "
            "meta.proposed (not pre-filled in the view); use --answers gold to score against them"
        )


def _labels_in(task: dict[str, Any], kind: str) -> list[str]:
    found: list[str] = []
    if kind == "binary" and task.get("label"):
        found.append(str(task["label"]))
    for holder in (task, task.get("gold") or {}, (task.get("meta") or {}).get("proposed") or {}):
        if not isinstance(holder, dict):
            continue
        if kind == "spans":
            found += [str(s.get("label")) for s in holder.get("spans") or [] if isinstance(s, dict)]
        elif kind in ("audio", "video"):
            found += [
                str(s.get("label")) for s in holder.get("segments") or [] if isinstance(s, dict)
            ]
        elif kind in ("classify", "image"):
            if holder is not task:
                found += [str(x) for x in holder.get("labels") or []]
            elif task.get("label"):
                found.append(str(task["label"]))
    return found


def _copy_media(
    task: dict[str, Any], kind: str, source_dir: Path, output: Path, used: dict[Path, str]
) -> bool:
    """Copy the task's media file into output/media/ and point the task at the copy. Raises
    RowError for a URL (labeldesk reads local files only) or a missing file."""
    path_text = task.get(kind)
    if not isinstance(path_text, str) or not path_text.strip():
        raise RowError(f"no `{kind}` path (the media file of a {kind} task)")
    if "://" in path_text:
        raise RowError(
            f"media {path_text[:80]!r} is a URL: labeldesk reads local files only (nothing "
            "leaves the machine); download it and import with a local path"
        )
    path = Path(path_text)
    real = path if path.is_absolute() else source_dir / path
    if real.is_symlink() or not real.is_file():
        raise RowError(f"media file {path_text!r}: not found or not a regular file")
    key = real.resolve()
    if key not in used:
        name = real.name
        n = 1
        while name in used.values():
            n += 1
            name = f"{real.stem}-{n}{real.suffix}"
        media = output / "media"
        if not media.is_dir():
            media.mkdir(mode=BATCH_DIR_MODE)
            os.chmod(media, BATCH_DIR_MODE)
        shutil.copyfile(real, media / name, follow_symlinks=False)
        os.chmod(media / name, BATCH_FILE_MODE)
        used[key] = name
    task[kind] = f"media/{used[key]}"
    return True


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return orjson.dumps(str(value)).decode()  # a TOML basic string is a JSON string


def _options_table(kind: str, labels: list[str], tasks: list[dict[str, Any]]) -> dict[str, Any]:
    if kind in ("spans", "classify", "image", "audio"):
        return {"labels": labels} if labels else {}
    if kind == "video":
        return {"labels": labels or ["segment"]}
    if kind == "binary":
        return {"labels": labels} if len(labels) > 1 else ({"label": labels[0]} if labels else {})
    if kind == "rate":
        names: list[str] = list(labels)
        for task in tasks:
            for holder in (task.get("gold"), (task.get("meta") or {}).get("proposed")):
                if isinstance(holder, dict):
                    names += [n for n in holder.get("ratings") or {} if n not in names]
        return {"criteria": [{"name": n, "scale": [1, 5]} for n in names or ["quality"]]}
    return {}


def _batch_toml(request: ImportRequest, table: dict[str, Any]) -> str:
    batch_id = request.batch_id or request.output.name
    lines = [
        f"id = {_toml(batch_id)}",
        f"title = {_toml(f'{batch_id} (imported from {request.source.name})')}",
        f"task_type = {_toml(request.task_type)}",
    ]
    if request.language:
        lines.append(f"language = {_toml(request.language)}")
    lines.append("")
    criteria = table.pop("criteria", None)
    lines.append("[task]")
    lines += [f"{k} = {_toml(v)}" for k, v in table.items()]
    for criterion in criteria or []:
        lines += ["", "[[task.criteria]]"]
        lines += [f"{k} = {_toml(v)}" for k, v in criterion.items()]
    return "\n".join(lines) + "\n"


def _prepare_output(output: Path) -> None:
    if output.is_symlink():
        raise ImportError_(f"{output} is a symbolic link; give a new folder")
    if output.exists():
        if not output.is_dir() or any(output.iterdir()):
            raise ImportError_(f"{output} exists and is not an empty folder; give a new folder")
    else:
        if not output.parent.is_dir():
            raise ImportError_(f"{output.parent}: no such folder")
        output.mkdir(mode=BATCH_DIR_MODE)
    os.chmod(output, BATCH_DIR_MODE)


def _remove_output(output: Path) -> None:
    """Nothing could be imported: leave no half-made batch behind (the folder was new or
    empty before, _prepare_output made sure)."""
    shutil.rmtree(output, ignore_errors=True)


def run_import(request: ImportRequest) -> ImportResult:
    """Convert request.source into a new batch folder request.output."""
    from tui.core.batch import task_id_of
    from tui.core.task_registry import get_task_type

    try:
        ttype = get_task_type(request.task_type)
    except KeyError as exc:
        raise ImportError_(str(exc.args[0])) from None
    if request.format in SPAN_FORMATS and request.task_type != "spans":
        raise ImportError_(
            _(
                "the {fmt} format carries entities in a text: import it with --task-type spans"
            ).format(fmt=request.format)
        )
    reader, converter = _reader_and_converter(request.format)
    if request.format in ("spacy", "parquet"):
        from tui.core.export.extras import require

        # Before the folder is made: a missing extra leaves nothing behind.
        require("spacy" if request.format == "spacy" else "pyarrow", request.format)
    _prepare_output(request.output)
    settings = ImportSettings(
        request.task_type,
        request.text_field,
        request.id_field,
        request.label_field,
        fps=request.fps,
        controls=list(request.controls),
    )
    result = ImportResult()
    notes: set[str] = set()
    kept: list[tuple[str, dict[str, Any]]] = []  # (position, task)
    offered: list[str] = []
    seen: dict[str, str] = {}
    media_used: dict[Path, str] = {}
    source_dir = request.source.parent
    kind = request.task_type
    try:
        rows = list(reader(request.source, result.problems))
    except SourceError as exc:
        result.problems.append(exc.problem)
        rows = []
    if not rows and not result.problems:
        result.problems.append(
            Problem(request.source, _("nothing to import: the file holds no rows (it is empty)"))
        )
        _remove_output(request.output)
        return result
    for number, row in enumerate(rows, start=1):
        where = f"{request.source}: {row.position}"
        try:
            try:
                converted = converter(row.data, settings)
            except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
                if isinstance(exc, RowError):
                    raise
                # A field of an unexpected shape deep in the row (a number where a list
                # belongs, ...): the row is reported, never a traceback.
                raise RowError(
                    f"a field has an unexpected shape ({type(exc).__name__}: {exc})"
                ) from None
            task = converted.task
            offered += [x for x in converted.labels if x not in offered]
            for note in converted.notes:
                result.problems.append(Problem(where, note, severity="warning"))
            # No id, no Prodigy hash: the row's position ("line-12", as opening the file
            # directly would name it; "row-3" in a table, "task-2" in Label Studio).
            task_id = task_id_of(task, number)
            if task_id == f"line-{number}":
                task_id = row.position.replace(" ", "-")
            task["id"] = task_id
            if task_id in seen:
                raise RowError(
                    f"task id {task_id!r} again (first at {seen[task_id]}): another answer "
                    "to a task already imported; the first is kept"
                )
            seen[task_id] = row.position
            if kind in MEDIA_TYPES:
                _copy_media(task, kind, source_dir, request.output, media_used)
            _apply_answer(task, converted.value, kind, request.answers, notes)
            if converted.value is not None and request.answers != "none":
                result.with_answer += 1
        except RowError as exc:
            result.problems.append(Problem(where, f"not imported: {exc}"))
            continue
        kept.append((row.position, task))
    if not kept:
        # Every row was refused (each said why): no [task] table to judge, no batch to make.
        _remove_output(request.output)
        return result
    if request.format == "label-studio-min" and not result.with_answer:
        notes.add(
            _(
                "no row held a control's result: if the project names its controls "
                "otherwise than labeldesk does, give them with --controls A,B"
            )
        )
    result.media_copied = len(media_used)
    labels = list(dict.fromkeys(request.labels + offered))
    if kind in _ID_TYPES_WITH_LABELS:
        for _position, task in kept:
            for label in _labels_in(task, kind):
                if label not in labels:
                    labels.append(label)
    table = _options_table(kind, labels, [t for _position, t in kept])
    from tui.core.problems import pydantic_problems

    try:
        options = ttype.parse_options(table)
    except Exception as exc:  # pydantic's ValidationError
        for problem in pydantic_problems(exc, request.source, prefix="task."):
            result.problems.append(
                Problem(
                    problem.file,
                    f"the batch's [task] options made from the data are refused: "
                    f"{problem.message}; give them with --labels",
                    field=problem.field,
                )
            )
        _remove_output(request.output)
        return result
    valid: list[dict[str, Any]] = []
    for position, task in kept:
        try:
            parsed = ttype.parse_task(dict(task), options)
        except Exception as exc:  # pydantic's ValidationError or the type's TaskTypeError
            for problem in pydantic_problems(exc, f"{request.source}: {position}"):
                result.problems.append(
                    Problem(problem.file, f"not imported: {problem.message}", None, problem.field)
                )
            continue
        gold = task.get("gold")
        if isinstance(gold, dict) and isinstance(gold.get("spans"), list):
            tokens = ttype.tokens(parsed, options)
            if tokens is not None:
                gold["spans"] = [with_token_indices(span, tokens) for span in gold["spans"]]
        valid.append(task)
    result.written = len(valid)
    result.notes = sorted(notes)
    if not valid:
        _remove_output(request.output)
        return result
    with atomic_output(request.output / "tasks.jsonl", BATCH_FILE_MODE) as out:
        for task in valid:
            out.write(orjson.dumps(task) + b"\n")
    with atomic_output(request.output / "batch.toml", BATCH_FILE_MODE) as out:
        out.write(_batch_toml(request, table).encode("utf-8"))
    return result
