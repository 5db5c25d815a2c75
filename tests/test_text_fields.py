"""One convention for free text in every task type, on the demo batches at 80x24 (issue 9).

Enter saves the item (a refusal is shown and the keys stay in the field); Ctrl+j (and
Shift+Enter where the terminal tells it apart) is a newline in multi-line fields; Esc leaves
the field keeping its text; Ctrl+s saves from anywhere. Views say when a draft would be lost
(`draft_changed`) and where typed keys go (`editing_label`).
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget

from tests.batch_factory import make_batch, read_results, texts
from tests.screen_text import screen_text
from tui.app import LabelDeskApp
from tui.launch import prepare
from tui.screens.labeling import LabelingScreen
from tui.task_view import TaskView

REPO = Path(__file__).resolve().parent.parent
SIZE = (80, 24)


def sample(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(
        REPO / "samples" / name, folder, ignore=shutil.ignore_patterns("results", "audits")
    )
    return folder


@asynccontextmanager
async def running(
    folder: Path, size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[LabelDeskApp, Pilot[None]]]:
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield app, pilot
    finally:
        p.session.store.close()


def screen(app: LabelDeskApp) -> LabelingScreen:
    s = app.screen
    assert isinstance(s, LabelingScreen)
    return s


def view(app: LabelDeskApp) -> Any:
    v = screen(app).view
    assert isinstance(v, TaskView)
    return v


def status(app: LabelDeskApp) -> str:
    return str(screen(app)._status)


def shown(app: LabelDeskApp) -> str:
    return screen_text(app)  # type: ignore[arg-type]


def results(folder: Path) -> list[dict[str, Any]]:
    path = folder / "results" / "anna.jsonl"
    return read_results(path) if path.exists() else []


async def type_in(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space", "?": "question_mark"}.get(c, c) for c in text])
    await pilot.pause()


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


def focus_is_sane(app: LabelDeskApp) -> None:
    """No view leaves the keys on a hidden or removed widget."""
    focused = app.focused
    if focused is None:
        return
    assert isinstance(focused, Widget)
    assert focused.is_attached and focused.screen is app.screen
    node: Any = focused
    while node is not None and node is not app.screen:
        assert node.display, f"focus on a hidden widget: {focused!r}"
        node = node.parent


# -- classify, spans, binary -------------------------------------------------------------------


async def test_classify_unbound_letter_names_the_label_keys(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    async with running(folder) as (app, pilot):
        await press(pilot, "z")
        assert "z is not a label key here: labels are 1–3" in status(app)
        assert not view(app).draft_changed


async def test_classify_multi_draft(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2), task={"labels": ["a", "b"], "multi": True})
    async with running(folder) as (app, pilot):
        v = view(app)
        assert not v.draft_changed
        await press(pilot, "1")
        assert v.draft_changed
        await press(pilot, "1")
        assert not v.draft_changed


async def test_spans_draft(tmp_path: Path) -> None:
    tasks = [{"id": "s1", "text": "Anna lives in Paris."}, {"id": "s2", "text": "Bob too."}]
    folder = make_batch(tmp_path / "b", tasks, task_type="spans", task={"labels": ["PER", "LOC"]})
    async with running(folder) as (app, pilot):
        v = view(app)
        assert not v.draft_changed
        await press(pilot, "1")
        assert v.draft_changed
        await press(pilot, "space")  # asks before the marks are thrown away
        assert results(folder) == []
        await press(pilot, "9")
        assert "9 is not a label key here: labels are 1, 2" in status(app)


async def test_going_back_to_a_skipped_item_says_so(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3))
    async with running(folder) as (app, pilot):
        await press(pilot, "space", "pageup")
        assert view(app).ctx.task.id == "t0"
        assert "you skipped this item" in shown(app)
