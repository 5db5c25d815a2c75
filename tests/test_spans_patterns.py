"""Span suggestions from an EntityRuler pattern file (issue 15, part 5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from task_types.spans.patterns import load_patterns, parse_patterns, suggest
from task_types.spans.tokens import tokenize
from tests.demo_app import running
from tests.test_spans_view import make_batch, results, triples, view_of

LABELS = ["PER", "LOC", "ORG"]
TEXT = "De Nederlandsche Bank in Amsterdam en DNB in Den Haag; den haag niet."


def lines(*patterns: object) -> bytes:
    return b"".join(orjson.dumps(p) + b"\n" for p in patterns)


def test_phrases_and_token_patterns_match_on_token_boundaries_longest_first() -> None:
    found = parse_patterns(
        lines(
            {"label": "ORG", "pattern": "De Nederlandsche Bank"},
            {"label": "ORG", "pattern": "Bank"},  # inside the longer match: dropped
            {"label": "LOC", "pattern": [{"ORTH": "Den"}, {"LOWER": "haag"}]},
            {"label": "LOC", "pattern": [{"IS_TITLE": True, "TEXT": "Amsterdam"}]},
            {"label": "ORG", "pattern": "DN"},  # not on a token boundary
        ),
        "p.jsonl",
        LABELS,
    )
    assert found.problems == []
    spans = suggest(TEXT, tokenize(TEXT, language="nl"), found)
    assert [(TEXT[s:e], label) for s, e, label in spans] == [
        ("De Nederlandsche Bank", "ORG"),
        ("Amsterdam", "LOC"),
        ("Den Haag", "LOC"),
    ]


def test_every_bad_line_is_named_with_line_and_field() -> None:
    found = parse_patterns(
        b'{"label": "ORG", "pattern": "X"}\n'
        b"not json\n"
        b'["a list"]\n'
        b'{"label": "MISC", "pattern": "Y"}\n'
        b'{"label": "LOC", "pattern": [{"LOWER": "a", "OP": "+"}]}\n'
        b'{"label": "LOC", "pattern": [{"IS_TITLE": "yes"}]}\n'
        b'{"label": "LOC", "pattern": ""}\n'
        b"\n",
        "p.jsonl",
        LABELS,
    )
    assert len(found.patterns) == 1
    assert [p.split(":")[0] for p in found.problems] == [
        f"p.jsonl line {n}" for n in (2, 3, 4, 5, 6, 7)
    ]
    assert "label 'MISC' is not one of the labels (PER, LOC, ORG)" in found.problems[2]
    assert "pattern.0.OP: not supported here" in found.problems[3]
    assert "pattern.0.IS_TITLE: expected true or false" in found.problems[4]
    assert "expected a phrase or a list of token objects" in found.problems[5]


def test_a_symlinked_pattern_file_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jsonl"
    secret.write_bytes(lines({"label": "ORG", "pattern": "X"}))
    (tmp_path / "p.jsonl").symlink_to(secret)
    found = load_patterns(tmp_path / "p.jsonl", LABELS)
    assert found.patterns == [] and "cannot read" in found.problems[0]


def test_the_options_refuse_a_pattern_file_outside_the_batch() -> None:
    from task_types.spans import TASK_TYPE

    for bad in ("/etc/passwd", "../p.jsonl", "~/p.jsonl"):
        with pytest.raises(ValueError, match="batch folder"):
            TASK_TYPE.parse_options({"labels": LABELS, "patterns": bad})


def _batch(tmp_path: Path, tasks: list[dict[str, object]], patterns: bytes) -> Path:
    batch = make_batch(tmp_path, tasks)
    toml = batch / "batch.toml"
    toml.write_text(toml.read_text() + 'patterns = "patterns.jsonl"\n', encoding="utf-8")
    (batch / "patterns.jsonl").write_bytes(patterns)
    return batch


async def test_suggestions_are_preset_spans_to_confirm_change_or_delete(tmp_path: Path) -> None:
    patterns = lines(
        {"label": "ORG", "pattern": "De Nederlandsche Bank"},
        {"label": "PER", "pattern": "Amsterdam"},  # a wrong suggestion the annotator fixes
    )
    tasks: list[dict[str, object]] = [{"id": "a", "text": TEXT}, {"id": "b", "text": TEXT}]
    batch = _batch(tmp_path, tasks, patterns)
    async with running(batch, (80, 24)) as (app, pilot):
        view = view_of(app)
        assert view.suggested == 2
        assert "2 spans suggested: check them" in str(view._legend.render())
        await pilot.press("full_stop", "2", "enter")  # next span: Amsterdam, PER -> LOC
        await pilot.pause()
        await pilot.press("enter")  # b: confirmed as suggested
        await pilot.pause()
    first, second = (triples(r) for r in results(batch))
    assert [(TEXT[s[0] : s[1]], s[2]) for s in first] == [
        ("De Nederlandsche Bank", "ORG"),
        ("Amsterdam", "LOC"),
    ]
    assert [(TEXT[s[0] : s[1]], s[2]) for s in second] == [
        ("De Nederlandsche Bank", "ORG"),
        ("Amsterdam", "PER"),
    ]


async def test_a_saved_answer_is_shown_not_the_suggestions(tmp_path: Path) -> None:
    batch = _batch(tmp_path, [{"id": "a", "text": TEXT}], lines({"label": "ORG", "pattern": "DNB"}))
    async with running(batch, (80, 24)) as (app, pilot):
        await pilot.press("delete", "enter")  # nothing under the cursor; saves the suggestion
        await pilot.pause()
        await pilot.press("pageup")
        await pilot.pause()
        view = view_of(app)
        assert view.suggested == 0 and len(view.editor.spans) == 1


def test_validate_lists_pattern_problems(tmp_path: Path) -> None:
    batch = _batch(tmp_path, [{"id": "a", "text": TEXT}], b'{"label": "MISC", "pattern": "X"}\n')
    run = subprocess.run(
        [sys.executable, "-m", "tui.cli", "validate", str(batch)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        check=False,
    )
    assert "patterns.jsonl line 1: label 'MISC' is not one of the labels" in run.stdout
    assert run.returncode == 1
