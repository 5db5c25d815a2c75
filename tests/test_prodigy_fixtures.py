"""Real Prodigy JSONL files open as they are (DESIGN §2: "a Prodigy JSONL file opens as it is").

The fixtures live in tests/fixtures/ and are read-only: every test passes results_dir under
tmp_path and checks that nothing was written beside them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from task_types.registry import task_type_names
from tui.core.batch import Batch

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "prodigy"
ALL_FILES = sorted(FIXTURES.glob("*.jsonl"))
TEXTCAT = [p for p in ALL_FILES if p.stem.endswith("-textcat")]
NER = [p for p in ALL_FILES if p.stem.endswith("-ner") or p.name == "bio_events.jsonl"]
HEADLINES = FIXTURES / "news_headlines.jsonl"
HEADLINE_LABELS = ["tech", "business", "politics", "culture", "other"]

# Known content of the fixtures: the only repeated task in them (same _task_hash, the same
# text "Thank you!" seen in two subreddits) is in the INSULT file, on lines 238 and 286.
KNOWN_DUPLICATES = {"annotated_reddit-INSULT-textcat.jsonl": [(238, 286)]}

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"no fixtures at {FIXTURES}")


def _raw_lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if line.strip():
            out.append((number, orjson.loads(line)))
    return out


def _expected_id(raw: dict[str, Any], line_no: int) -> str:
    if raw.get("id") not in (None, ""):
        return str(raw["id"])
    for key in ("_task_hash", "_input_hash"):
        if raw.get(key) is not None:
            return str(raw[key])
    return f"line-{line_no}"


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _cases() -> list[tuple[Path, str, list[str] | None]]:
    cases: list[tuple[Path, str, list[str] | None]] = [(p, "binary", None) for p in TEXTCAT]
    cases += [(p, "binary", None) for p in NER]
    cases.append((HEADLINES, "classify", HEADLINE_LABELS))
    cases.append((HEADLINES, "binary", None))
    # Raw headlines carry no proposed label: a single --labels value proposes one for all.
    cases.append((HEADLINES, "binary", ["TECH"]))
    if "spans" in task_type_names():
        for path in NER:
            labels = sorted(
                {s["label"] for _, raw in _raw_lines(path) for s in raw.get("spans", [])}
            )
            cases.append((path, "spans", labels))
    return cases


CASES = _cases()
CASE_IDS = [f"{p.name}-{t}" for p, t, _ in CASES]


@pytest.fixture(autouse=True)
def _fixtures_untouched() -> Any:
    before = sorted(p.name for p in FIXTURES.iterdir())
    yield
    assert sorted(p.name for p in FIXTURES.iterdir()) == before


def test_fixture_files_are_all_covered() -> None:
    assert len(ALL_FILES) == 6
    covered = {p for p, _, _ in CASES}
    assert covered == set(ALL_FILES)


@pytest.mark.parametrize(("path", "task_type", "labels"), CASES, ids=CASE_IDS)
def test_fixture_opens_and_every_line_parses(
    path: Path, task_type: str, labels: list[str] | None, tmp_path: Path
) -> None:
    batch = Batch.open(path, task_type=task_type, labels=labels, results_dir=tmp_path / "res")
    assert batch.task_type.name == task_type
    assert batch.results_dir == tmp_path / "res"
    problems, invalid = batch.validate_all()
    raw = _raw_lines(path)
    assert len(batch) == len(raw)

    expected_dups = KNOWN_DUPLICATES.get(path.name, [])
    errors = [p for p in problems if p.severity == "error"]
    # Nothing but the known duplicates is an error: every line parses as a task of the type.
    assert len(errors) == len(expected_dups)
    for problem, (first, second) in zip(errors, expected_dups, strict=True):
        assert problem.line == second
        assert problem.field == "id"
        assert f"first on line {first}" in problem.message
    assert {batch.index.line_number(i) for i in invalid} == {s for _, s in expected_dups}

    for index, (line_no, obj) in enumerate(raw):
        item = batch.item(index)
        assert item.line_no == line_no
        assert item.raw == obj
        assert item.task_id == _expected_id(obj, line_no)
        if index not in invalid:
            assert item.task is not None
            assert item.task.id == item.task_id


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_first_item_text_matches_first_line(path: Path, tmp_path: Path) -> None:
    task_type, labels = ("classify", HEADLINE_LABELS) if path == HEADLINES else ("binary", None)
    batch = Batch.open(path, task_type=task_type, labels=labels, results_dir=tmp_path)
    first_line = path.read_bytes().split(b"\n", 1)[0]
    expected = orjson.loads(first_line)
    item = batch.item(0)
    assert item.task is not None
    assert item.task.text == expected["text"]  # type: ignore[attr-defined]
    assert item.line_no == 1
    assert item.task.meta == expected["meta"]


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_ids_come_from_hashes_and_duplicates_are_counted(path: Path, tmp_path: Path) -> None:
    raw = _raw_lines(path)
    has_hash = all("_task_hash" in obj for _, obj in raw)
    batch = Batch.open(path, task_type="binary", results_dir=tmp_path)
    batch.index_rest()
    ids = [batch.task_id_at(i) for i in range(len(batch))]
    if has_hash:
        # The task hash, not the input hash: one text with several proposed spans or labels
        # is several tasks (the PRODUCT file repeats 34 input hashes, all distinct tasks).
        assert ids == [str(obj["_task_hash"]) for _, obj in raw]
    else:
        assert ids == [f"line-{n}" for n, _ in raw]
    counts = Counter(ids)
    duplicates = sum(c - 1 for c in counts.values() if c > 1)
    assert duplicates == len(KNOWN_DUPLICATES.get(path.name, []))


def test_textcat_lines_keep_prodigy_fields(tmp_path: Path) -> None:
    for path in TEXTCAT:
        batch = Batch.open(path, task_type="binary", results_dir=tmp_path)
        item = batch.item(0)
        assert item.task is not None
        extra = item.task.model_extra or {}
        assert extra["answer"] in {"accept", "reject", "ignore"}
        assert "_input_hash" in extra and "_task_hash" in extra
        assert item.task.label == orjson.loads(path.read_bytes().split(b"\n", 1)[0])["label"]  # type: ignore[attr-defined]


def test_span_lines_keep_their_spans_as_binary_hints(tmp_path: Path) -> None:
    path = FIXTURES / "bio_events.jsonl"
    batch = Batch.open(path, task_type="binary", results_dir=tmp_path)
    item = batch.item(0)
    assert item.task is not None
    spans = item.task.spans  # type: ignore[attr-defined]
    first = orjson.loads(path.read_bytes().split(b"\n", 1)[0])
    assert [(s.start, s.end, s.label) for s in spans] == [
        (s["start"], s["end"], s["label"]) for s in first["spans"]
    ]
    text = item.task.text  # type: ignore[attr-defined]
    assert text[spans[0].start : spans[0].end] == "bcr"


def test_headlines_without_labels_name_the_missing_labels(tmp_path: Path) -> None:
    # Labels may come from each task's `options`, so the file opens; each task then says why
    # it cannot be labeled.
    batch = Batch.open(HEADLINES, task_type="classify", results_dir=tmp_path)
    item = batch.item(0)
    assert not item.valid
    [problem] = item.problems
    assert problem.line == 1
    assert problem.field == "options"
    assert "--labels" in problem.message
    assert Path(problem.file).name == "news_headlines.jsonl"


def _labeldesk() -> list[str]:
    exe = shutil.which("labeldesk")
    return [exe] if exe else [sys.executable, "-m", "tui.cli"]


@pytest.mark.parametrize(
    ("name", "args", "code"),
    [
        ("news_headlines.jsonl", ["--task-type", "classify", "--labels", "tech,other"], 0),
        ("annotated_github-issues-DOCUMENTATION-textcat.jsonl", ["--task-type", "binary"], 0),
        ("bio_events.jsonl", ["--task-type", "binary"], 0),
        ("annotated_reddit-INSULT-textcat.jsonl", ["--task-type", "binary"], 1),
    ],
)
def test_validate_command_on_fixtures(name: str, args: list[str], code: int) -> None:
    proc = subprocess.run(
        [*_labeldesk(), "validate", str(FIXTURES / name), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    if code == 1:
        assert f"{name}:286: [id] duplicate task id '165431966' (first on line 238)" in proc.stdout


def test_a_single_label_on_the_command_line_is_the_proposed_binary_label(tmp_path: Path) -> None:
    batch = Batch.open(HEADLINES, task_type="binary", labels=["TECH"], results_dir=tmp_path)
    options = batch.options
    assert options.default_label == "TECH"  # type: ignore[attr-defined]
