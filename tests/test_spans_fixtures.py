"""Prodigy NER files open as they are with --task-type spans: every line valid, first item shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from task_types.spans import tokens_of
from task_types.spans.editor import SpanEditor
from task_types.spans.models import SpansTask
from task_types.spans.view import SpansView
from tests.conftest import FIXTURES
from tui.app import LabelDeskApp
from tui.core.batch import Batch
from tui.core.problems import BatchError
from tui.launch import prepare

PRODIGY = FIXTURES / "prodigy"
CASES = [
    ("bio_events.jsonl", ["GGP"]),
    ("annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl", ["ORG", "PERSON", "LOCATION", "PRODUCT"]),
    ("annotated_reddit-PRODUCT-ner.jsonl", ["PRODUCT"]),
]  # fmt: skip


def copy(tmp_path: Path, name: str) -> Path:
    # A bare JSONL file gets its results/ folder next to it: never write into the fixtures.
    target = tmp_path / name
    shutil.copy(PRODIGY / name, target)
    return target


@pytest.mark.parametrize(("name", "labels"), CASES)
def test_every_line_is_valid(tmp_path: Path, name: str, labels: list[str]) -> None:
    batch = Batch.open(copy(tmp_path, name), task_type="spans", labels=labels)
    problems, invalid = batch.validate_all()
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert invalid == set()
    assert len(batch) == sum(1 for _ in (PRODIGY / name).open("rb"))


@pytest.mark.parametrize(("name", "labels"), CASES)
async def test_first_item_renders_with_its_spans(
    tmp_path: Path, name: str, labels: list[str]
) -> None:
    path = copy(tmp_path, name)
    first = orjson.loads(path.read_bytes().split(b"\n", 1)[0])
    p = prepare(path, annotator="anna", task_type="spans", labels=labels)
    app = LabelDeskApp(p.session, p.keymap)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            view = app.screen.query_one(SpansView)
            shown = {(s.start, s.end, s.label) for s in view.editor.spans}
            assert shown == {(s["start"], s["end"], s["label"]) for s in first["spans"]}
            lines = "".join(view.text_view.render_line(y).text for y in range(3))
            # Spans are shown as `[words]LABEL`: without the tags, the text as it is.
            for label in labels:
                lines = lines.replace(f"]{label}", "")
            assert first["text"][:20] in lines.replace("[", "")
            for span in first["spans"][:1]:
                assert f"]{span['label']}" in view.text_view.shown
            await pilot.press("enter")
            await pilot.pause()
    finally:
        p.session.store.close()
    saved = orjson.loads((path.parent / "results" / "anna.jsonl").read_bytes().splitlines()[0])
    got = {(s["start"], s["end"], s["label"]) for s in saved["value"]["spans"]}
    assert got == {(s["start"], s["end"], s["label"]) for s in first["spans"]}


def test_prodigy_token_indices_survive(tmp_path: Path) -> None:
    """With the task's own tokens, token_start/token_end equal what Prodigy stored."""
    name = CASES[1][0]
    batch = Batch.open(copy(tmp_path, name), task_type="spans", labels=CASES[1][1])
    checked = 0
    for item in batch.iter_items():
        assert item.task is not None and item.raw is not None
        task = item.task
        assert isinstance(task, SpansTask)
        ed = SpanEditor(task.text, tokens_of(task), [(s.start, s.end, s.label) for s in task.spans])
        stored = {(s["start"], s["token_start"], s["token_end"]) for s in item.raw.get("spans", [])}
        assert {(s.start, s.token_start, s.token_end) for s in ed.spans} == stored
        checked += len(stored)
    assert checked > 100


def test_a_label_missing_from_labels_is_named(tmp_path: Path) -> None:
    batch = Batch.open(
        copy(tmp_path, CASES[1][0]), task_type="spans", labels=["ORG", "PERSON", "LOCATION"]
    )
    problems, invalid = batch.validate_all()
    assert invalid
    assert all("unknown label 'PRODUCT' in a pre-set span" in p.message for p in problems)
    assert all(p.field is not None and p.field.endswith(".label") and p.line for p in problems)


def test_labels_are_required(tmp_path: Path) -> None:
    with pytest.raises(BatchError) as err:
        Batch.open(copy(tmp_path, CASES[0][0]), task_type="spans")
    assert "give the labels with --labels for task type spans" in str(err.value)
