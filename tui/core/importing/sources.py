"""Reading the rows of a file to import: Label Studio JSON, CSV, Prodigy/Hugging Face JSONL,
Parquet. Each row comes with its position (`line 12`, `row 4`, `task 3`) so that every row
that cannot be converted is reported where it is; a file that cannot be read at all is one
Problem, never a traceback."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.core.problems import Problem

MAX_FIELD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Row:
    position: str  # "line 3", "row 4", "task 2"
    data: dict[str, Any]


class SourceError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(Problem(path, f"cannot read: {exc.strerror or exc}")) from None


def label_studio_rows(path: Path, problems: list[Problem], unit: str = "task") -> Iterator[Row]:
    """A Label Studio tasks file or export: a JSON list of tasks (or one task object); each
    is `task N` (`row N` for JSON-MIN, whose items are annotations)."""
    try:
        data = orjson.loads(_read_bytes(path))
    except orjson.JSONDecodeError as exc:
        raise SourceError(Problem(path, f"not valid JSON: {exc}")) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise SourceError(
            Problem(path, f"expected a JSON list of tasks, got {type(data).__name__}")
        )
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(
                Problem(path, f"{unit} {n}: expected an object, got {type(item).__name__}")
            )
            continue
        yield Row(f"{unit} {n}", item)


def label_studio_min_rows(path: Path, problems: list[Problem]) -> Iterator[Row]:
    """Label Studio's JSON-MIN: a JSON list of flat rows, one per annotation (`row 3`)."""
    return label_studio_rows(path, problems, unit="row")


def jsonl_rows(path: Path, problems: list[Problem]) -> Iterator[Row]:
    """Prodigy or Hugging Face JSONL: one object per line."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise SourceError(Problem(path, f"cannot read: {exc.strerror or exc}")) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                problems.append(Problem(path, f"not valid JSON: {exc}", number))
                continue
            if not isinstance(obj, dict):
                problems.append(
                    Problem(path, f"expected a JSON object, got {type(obj).__name__}", number)
                )
                continue
            yield Row(f"line {number}", obj)


def csv_rows(path: Path, problems: list[Problem]) -> Iterator[Row]:
    """A CSV file with a header row (UTF-8, with or without a byte-order mark)."""
    csv.field_size_limit(MAX_FIELD_BYTES)
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise SourceError(Problem(path, f"cannot read: {exc.strerror or exc}")) from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            for row in reader:
                number = reader.line_num
                extra = row.pop(None, None)
                if extra:
                    problems.append(
                        Problem(
                            path,
                            f"row has {len(extra)} more cell(s) than the header; they are ignored",
                            number,
                            severity="warning",
                        )
                    )
                yield Row(f"line {number}", {k: v for k, v in row.items() if k is not None})
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(Problem(path, f"cannot read further: {exc}", reader.line_num))


def parquet_rows(path: Path, problems: list[Problem]) -> Iterator[Row]:
    """A Parquet file (a Hugging Face dataset's, or labeldesk's own export), read in batches."""
    from tui.core.export.extras import require

    require("pyarrow", "parquet")
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own error types for a bad file
        raise SourceError(Problem(path, f"not a readable Parquet file: {exc}")) from None
    names = class_label_names(parquet.schema_arrow.metadata, path, problems)
    number = 0
    for batch in parquet.iter_batches(batch_size=10_000):
        for row in batch.to_pylist():
            number += 1
            for column, labels in names.items():
                value = row.get(column)
                if type(value) is int and 0 <= value < len(labels):
                    row[column] = labels[value]
            yield Row(f"row {number}", row)


def class_label_names(
    metadata: dict[bytes, bytes] | None, path: Path, problems: list[Problem]
) -> dict[str, list[str]]:
    """Hugging Face `datasets` stores a ClassLabel column as integers and its names in the
    Parquet schema's metadata (`huggingface` → info.features); an import wants the names."""
    if not metadata or b"huggingface" not in metadata:
        return {}
    try:
        info = orjson.loads(metadata[b"huggingface"])
    except orjson.JSONDecodeError:
        problems.append(
            Problem(
                path, "the Hugging Face metadata is not valid JSON; ignored", severity="warning"
            )
        )
        return {}
    features = info.get("info", {}).get("features") if isinstance(info, dict) else None
    if not isinstance(features, dict):
        return {}
    found: dict[str, list[str]] = {}
    for column, feature in features.items():
        if (
            isinstance(feature, dict)
            and feature.get("_type") == "ClassLabel"
            and isinstance(feature.get("names"), list)
        ):
            found[str(column)] = [str(x) for x in feature["names"]]
    return found
