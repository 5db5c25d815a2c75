"""Tables: CSV (one row per annotation, or one per task with a consensus column) and
Parquet (one row per annotation; nested fields as JSON text so every row shares one schema,
which `datasets.load_dataset("parquet", …)` and pyarrow read as they are)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import orjson

from tui.core.export.meaning import choices_of, outcome_of, task_text
from tui.core.export.records import ExportRecord

ROW_COLUMNS = (
    "batch_id",
    "task_id",
    "task_type",
    "text",
    "annotator",
    "answer",
    "outcome",
    "choices",
    "value",
    "flag",
    "note",
    "active_ms",
    "shown_ms",
    "started_at",
    "submitted_at",
    "revision",
    "session_id",
    "gold_correct",
    "source",
    "task",
)
TASK_COLUMNS = (
    "batch_id",
    "task_id",
    "task_type",
    "text",
    "answers",
    "consensus",
    "agreement",
    "by_annotator",
)
PARQUET_BATCH_ROWS = 10_000
_NO_DECISION = ("skip", "flag", "undone")


def _json(value: object) -> str:
    return "" if value is None else orjson.dumps(value).decode()


def row_of(record: ExportRecord) -> dict[str, Any]:
    return {
        "batch_id": record.batch_id,
        "task_id": record.task_id,
        "task_type": record.task_type,
        "text": task_text(record.task),
        "annotator": record.annotator,
        "answer": record.answer,
        "outcome": outcome_of(record),
        "choices": choices_of(record) if record.answer in ("accept", "reject") else [],
        "value": _json(record.value),
        "flag": record.flag_reason or "",
        "note": record.note,
        "active_ms": record.active_ms,
        "shown_ms": record.shown_ms,
        "started_at": record.started_at,
        "submitted_at": record.submitted_at,
        "revision": record.revision,
        "session_id": record.session_id,
        "gold_correct": record.gold_correct,
        "source": record.source or "",
        "task": _json(record.task),
    }


def write_csv_rows(records: Iterable[ExportRecord], out: BinaryIO) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=ROW_COLUMNS)
    writer.writeheader()
    count = 0
    for record in records:
        row = row_of(record)
        row["choices"] = "|".join(row["choices"])
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        count += 1
    text.flush()
    text.detach()
    return count


@dataclass
class _TaskTally:
    text: str
    batch_id: str
    task_type: str
    outcomes: dict[str, str] = field(default_factory=dict)


def consensus(outcomes: Iterable[str]) -> tuple[str, float]:
    """The outcome a strict majority of decisions agree on ("" when none has one) and the
    share of decisions that agree with the most common outcome. Skips and flags carry no
    decision and are not counted."""
    counts = Counter(o for o in outcomes if o not in _NO_DECISION)
    total = sum(counts.values())
    if not total:
        return "", 0.0
    (top, n), *rest = counts.most_common()
    share = n / total
    if rest and rest[0][1] == n:
        return "", share
    return (top if n * 2 > total else ""), share


def write_csv_tasks(records: Iterable[ExportRecord], out: BinaryIO) -> int:
    """One row per task: every annotator's outcome and the consensus. Kept in memory: the
    task's text and one short outcome per annotator (not the task lines)."""
    tallies: dict[str, _TaskTally] = {}
    for record in records:
        tally = tallies.get(record.task_id)
        if tally is None:
            tally = tallies[record.task_id] = _TaskTally(
                task_text(record.task), record.batch_id, record.task_type
            )
        tally.outcomes[record.annotator] = outcome_of(record)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=TASK_COLUMNS)
    writer.writeheader()
    for task_id, tally in tallies.items():
        agreed, share = consensus(tally.outcomes.values())
        writer.writerow(
            {
                "batch_id": tally.batch_id,
                "task_id": task_id,
                "task_type": tally.task_type,
                "text": tally.text,
                "answers": len(tally.outcomes),
                "consensus": agreed,
                "agreement": f"{share:.3f}",
                "by_annotator": _json(tally.outcomes),
            }
        )
    text.flush()
    text.detach()
    return len(tallies)


def write_parquet(records: Iterable[ExportRecord], out: BinaryIO) -> int:
    from tui.core.export.extras import require

    pa = require("pyarrow", "parquet")
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("batch_id", pa.string()),
            ("task_id", pa.string()),
            ("task_type", pa.string()),
            ("text", pa.string()),
            ("annotator", pa.string()),
            ("answer", pa.string()),
            ("outcome", pa.string()),
            ("choices", pa.list_(pa.string())),
            ("value", pa.string()),
            ("flag", pa.string()),
            ("note", pa.string()),
            ("active_ms", pa.int64()),
            ("shown_ms", pa.int64()),
            ("started_at", pa.string()),
            ("submitted_at", pa.string()),
            ("revision", pa.int64()),
            ("session_id", pa.string()),
            ("gold_correct", pa.bool_()),
            ("source", pa.string()),
            ("task", pa.string()),
        ]
    )
    count = 0
    columns: dict[str, list[Any]] = {name: [] for name in ROW_COLUMNS}
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:

        def flush() -> None:
            if columns["task_id"]:
                writer.write_table(pa.Table.from_pydict(columns, schema=schema))
                for values in columns.values():
                    values.clear()

        for record in records:
            for name, value in row_of(record).items():
                columns[name].append(value)
            count += 1
            if count % PARQUET_BATCH_ROWS == 0:
                flush()
        flush()
    return count
