"""export → import → the same tasks and answers, for every format and task type, where the
format can carry them (issue 14). The imported answers come back as gold (the expected
answer's value) so that they can be compared whole."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from tests.export_factory import TASK_TYPES, batch_with_answers
from tui.core.batch import Batch
from tui.core.export.formats import ExportOptions, write_export
from tui.core.export.records import iter_records, open_source
from tui.core.importing.build import ImportRequest, run_import

# export format -> import format
ROUND_TRIPS = {
    "jsonl": "jsonl",
    "prodigy": "prodigy",
    "label-studio": "label-studio",
    "label-studio-min": "label-studio-min",
    "csv": "csv",
    "parquet": "parquet",
}
SUFFIX = {"label-studio": "json", "label-studio-min": "json"}


def carried(kind: str, value: dict[str, Any] | None, fmt: str) -> Any:
    """The part of an answer value a format carries (the rest is labeldesk's own
    bookkeeping: a compare's seed, a written text's word count, ...)."""
    if value is None:
        return None
    if fmt in ("jsonl", "csv", "parquet"):
        return value  # labeldesk's own rows: the whole value
    if kind == "spans":
        return sorted((s["start"], s["end"], s["label"]) for s in value["spans"])
    if kind == "binary":
        return (value.get("label"), value["accept"])
    if kind == "classify":
        return value["labels"]
    if kind == "image":
        return (value["labels"], value.get("description"))
    if kind == "rate":
        return (value["ratings"], value.get("note", ""))
    if kind == "compare":
        keep = ("winner", "outcome", "ranking", "reason")
        return {k: value[k] for k in keep if value.get(k) not in (None, "")}
    if kind == "write":
        return value["text"]
    if kind == "audio":
        return (value["segments"], value.get("transcript", ""))
    if kind == "video":
        return (value["segments"], value.get("labels", []))
    raise AssertionError(kind)


def _first_answers(folder: Path) -> dict[str, dict[str, Any] | None]:
    """What import keeps per task: the first exported answer (file order)."""
    first: dict[str, dict[str, Any] | None] = {}
    for record in iter_records(open_source(folder)):
        decided = record.answer in ("accept", "reject")
        first.setdefault(record.task_id, record.value if decided else None)
    return first


def _tasks(folder: Path) -> dict[str, dict[str, Any]]:
    batch = Batch.open(folder)
    batch.index_rest()
    out = {}
    for i in range(len(batch)):
        raw = batch.raw_line(i)[1]
        assert raw is not None
        out[batch.task_id_at(i)] = {**raw, "id": batch.task_id_at(i)}
    return out


def _content(task: dict[str, Any], kind: str) -> dict[str, Any]:
    """A task's content without what an export adds or an import moves (hashes, gold, media
    folder, the spans preset that an answer replaced)."""
    drop = {"gold", "_input_hash", "_task_hash"}
    if kind == "spans":
        # The Prodigy export writes the tokens its token indices count (labeldesk's own
        # tokens of the task, checked in test_export_formats): the import keeps them.
        drop |= {"spans", "tokens"}
    out = {k: v for k, v in task.items() if k not in drop}
    if kind in ("image", "audio", "video"):
        out[kind] = Path(str(out[kind])).name
    return out


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("rt")
    return {kind: batch_with_answers(tmp, kind, annotators=("anna", "bram")) for kind in TASK_TYPES}


@pytest.mark.parametrize("kind", TASK_TYPES)
@pytest.mark.parametrize("fmt", ROUND_TRIPS)
def test_export_then_import_gives_the_same_tasks_and_answers(
    batches: dict[str, Path], tmp_path: Path, kind: str, fmt: str
) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    folder = batches[kind]
    exported = tmp_path / f"export.{SUFFIX.get(fmt, fmt)}"
    out = io.BytesIO()
    write_export(open_source(folder), ExportOptions(format=fmt), out)
    exported.write_bytes(out.getvalue())
    if kind in ("image", "audio", "video"):
        # Media paths are relative to the export file, as they were to the batch.
        (tmp_path / "media").symlink_to(folder / "media")
    target = tmp_path / "imported"
    result = run_import(
        ImportRequest(
            source=exported,
            format=ROUND_TRIPS[fmt],
            task_type=kind,
            output=target,
            answers="gold",
            labels=[str(x) for x in Batch.open(folder).config.task.get("labels") or []],
        )
    )
    errors = [str(p) for p in result.problems if p.severity == "error"]
    # Each task was exported once per annotator: import keeps the first, says so for the rest.
    assert all("another answer to a task already imported" in e for e in errors), errors
    original, back = _tasks(folder), _tasks(target)
    expected_ids = list(_first_answers(folder))
    assert list(back) == expected_ids
    firsts = _first_answers(folder)
    for task_id in expected_ids:
        assert _content(back[task_id], kind) == _content(original[task_id], kind), task_id
        assert carried(kind, back[task_id].get("gold"), fmt) == carried(
            kind, firsts[task_id], fmt
        ), task_id
    assert result.written == len(expected_ids)
    assert Batch.open(target).validate_all()[0] == []
