"""The adjudication screen at 80×24 (the smallest full layout), as an SVG snapshot: the
distinct answers with who gave them, a flag, the task in its own view, the key bar.

Helpers come from tests/test_snapshots.py (a fresh working directory, frozen clocks, and
run_before waiting for a settled screen, never a fixed sleep)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from textual.app import App

from tests.test_audit_support import result, write_results
from tests.test_snapshots import SIZES, SnapCompare, copy_sample, frozen_clock, here, run, snap

__all__ = ["here"]  # the fixture, used by name

BATCH_ID = "prompt-topics-en-0007"


def adjudicate_app() -> App[Any]:
    from tui.adjudicate_launch import make_adjudicate_app

    folder = copy_sample("classify-en", lines=3)
    answers = [
        ("anna", "topic-en-0001", ["coding"]),
        ("bob", "topic-en-0001", ["coding", "writing"]),
        ("carl", "topic-en-0001", ["writing"]),
        ("anna", "topic-en-0002", ["writing"]),
        ("bob", "topic-en-0002", ["writing"]),
    ]
    write_results(
        folder,
        [
            result(who, task, {"labels": labels}).model_copy(update={"batch_id": BATCH_ID})
            for who, task, labels in answers
        ],
    )
    flagged = result("dora", "topic-en-0001", None, answer="flag").model_copy(
        update={"batch_id": BATCH_ID}
    )
    line = flagged.to_json_dict()
    line["flag"] = {"reason": "ambiguous", "note": "asks for code and a poem"}
    with (folder / "results" / "dora.jsonl").open("ab") as fh:
        fh.write(orjson.dumps(line) + b"\n")
    app = make_adjudicate_app(folder, "lead")
    app.session.clock = frozen_clock()
    return app


@pytest.mark.parametrize("size", SIZES)
def test_adjudication_screen(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    snap(snap_compare, adjudicate_app(), size, run(until=("item 1 of 1", "carl")))
