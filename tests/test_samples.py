"""Every demo batch under samples/ opens, validates clean and is fit to show to an annotator.

The folders are found by glob, so a new task type's samples are checked without editing this file.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import orjson
import pytest

from tui.core.batch import Batch

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BATCH_DIRS = sorted(p.parent for p in SAMPLES.glob("*/batch.toml"))
MIN_TASKS = 20
MIN_GUIDELINE_CHARS = 1500


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def test_samples_exist_for_the_basic_task_types() -> None:
    names = {p.name for p in BATCH_DIRS}
    assert {"binary-nl", "binary-en", "classify-nl", "classify-en"} <= names


def test_every_sample_folder_has_a_batch_toml() -> None:
    folders = sorted(p for p in SAMPLES.iterdir() if p.is_dir() and not p.name.startswith("."))
    missing = [p.name for p in folders if not (p / "batch.toml").is_file()]
    assert missing == []


@pytest.mark.parametrize("folder", BATCH_DIRS, ids=_ids(BATCH_DIRS))
def test_sample_opens_and_validates(folder: Path, tmp_path: Path) -> None:
    batch = Batch.open(folder, results_dir=tmp_path / "results")
    problems, invalid = batch.validate_all()
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors == []
    assert invalid == set()
    assert len(batch) >= MIN_TASKS
    first = batch.item(0)
    assert first.valid and first.task_id


@pytest.mark.parametrize("folder", BATCH_DIRS, ids=_ids(BATCH_DIRS))
def test_sample_config_is_complete(folder: Path) -> None:
    data = tomllib.loads((folder / "batch.toml").read_text("utf-8"))
    assert data.get("language") in {"nl", "en", "nl-en", "en-nl"}
    assert data.get("title")
    assert isinstance(data.get("target_per_hour"), int) and data["target_per_hour"] > 0
    assert data.get("guidelines") == "guidelines.md"
    # The folder name says the language; the config must agree with it (a translation
    # batch "nl-en" may sit in a folder named after either language).
    suffix = folder.name.rsplit("-", 1)[-1]
    if suffix in {"nl", "en"}:
        assert suffix in data["language"].split("-")


@pytest.mark.parametrize("folder", BATCH_DIRS, ids=_ids(BATCH_DIRS))
def test_sample_guidelines_are_real(folder: Path, tmp_path: Path) -> None:
    batch = Batch.open(folder, results_dir=tmp_path)
    assert batch.guidelines_path is not None
    assert batch.guidelines_sha256 is not None
    text = batch.guidelines_path.read_text("utf-8")
    assert len(text) >= MIN_GUIDELINE_CHARS
    assert text.lstrip().startswith("# ")
    assert text.count("\n## ") >= 3  # several sections, not a stub
    labels = batch.config.task.get("labels") or [batch.config.task.get("label")]
    for label in labels:
        if label:
            assert label in text, f"label {label!r} is not explained in the guidelines"


@pytest.mark.parametrize("folder", BATCH_DIRS, ids=_ids(BATCH_DIRS))
def test_sample_task_ids_are_unique_and_explicit(folder: Path) -> None:
    lines = (folder / "tasks.jsonl").read_bytes().splitlines()
    tasks = [orjson.loads(line) for line in lines if line.strip()]
    ids = [t.get("id") for t in tasks]
    assert all(isinstance(i, str) and i for i in ids)
    assert len(set(ids)) == len(ids)


def test_samples_show_literal_markup_emoji_sensitive_and_gold() -> None:
    raw = b"".join((p / "tasks.jsonl").read_bytes() for p in BATCH_DIRS)
    tasks = [orjson.loads(line) for line in raw.splitlines() if line.strip()]
    texts = [str(t.get("text", "")) for t in tasks]
    assert any("[bold]" in t for t in texts)
    assert any(any(ord(c) >= 0x1F300 for c in t) for t in texts)  # an emoji
    assert any(t.get("meta", {}).get("sensitive") is True for t in tasks)
    assert any("gold" in t for t in tasks)


@pytest.mark.parametrize("folder", BATCH_DIRS, ids=_ids(BATCH_DIRS))
def test_gold_answers_are_valid_answer_values(folder: Path, tmp_path: Path) -> None:
    batch = Batch.open(folder, results_dir=tmp_path)
    for item in batch.iter_items():
        assert item.task is not None
        if item.task.gold is not None:
            batch.task_type.parse_answer(item.task.gold)
            labels = batch.config.task.get("labels")
            if labels:
                assert set(batch.task_type.labels_of(item.task.gold)) <= set(labels)


@pytest.mark.parametrize("folder", BATCH_DIRS, ids=_ids(BATCH_DIRS))
def test_validate_command_exits_0(folder: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 error(s)" in proc.stdout
    assert "Traceback" not in proc.stderr
