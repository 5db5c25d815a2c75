"""In review, keys that only look (open externally, zoom, scroll, move a cursor) reach the
task type's view; keys that would change the answer do not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.screen_text import screen_text
from tests.test_audit_support import write_results
from tui.app_launch import make_audit_app
from tui.core.audit import SampleSpec, assign_audit
from tui.core.records import ResultRecord, utc_now


async def test_review_of_an_image_can_open_it_but_not_change_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")  # no viewer at all: a message names the file
    folder = tmp_path / "image-en"
    shutil.copytree(SAMPLES / "image-en", folder, ignore=shutil.ignore_patterns("results"))
    now = utc_now()
    answer = ResultRecord(
        task_id="img-en-001",
        batch_id="image-en-demo",
        annotator="anna",
        task_type="image",
        answer="accept",
        value={"labels": ["test card"], "description": "A test card with colour bars."},
        session_id="s",
        started_at=now,
        submitted_at=now,
        active_ms=4000,
    )
    write_results(folder, [answer])
    assign_audit(folder, "qa", SampleSpec(per_annotator=1), seed="1")
    app = make_audit_app(folder, "qa")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("ctrl+o")  # image.external: looks only
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "no program to show the image" in text and "does nothing here" not in text
        await pilot.press("1")  # a label key would change the answer: not in review
        await pilot.pause()
        assert (
            not (folder / "audits" / "qa.jsonl").exists()
            or not (folder / "audits" / "qa.jsonl").read_text()
        )
    app.session.writer.close()
