"""Snapshot tests (pytest-textual-snapshot): every screen and every task type, at 80×24 and
120×40, built from copies of the demo batches in samples/ (without results).

What makes them repeatable:
- the batch is copied under its own name into a fresh folder that is the working directory,
  and opened by that relative name, so no temporary path can reach the screen;
- the annotator is "anna" and the active-time clock is frozen (the KPI line, the summary and
  every saved answer's active_ms come from it);
- `settled()` waits, in `run_before`, until every worker has finished (indexing, validation,
  media previews, statistics, audit lookups) and the state asked for holds: never a fixed
  sleep;
- text cursors do not blink (`cursor_blink = False`) so the frame never catches half a blink.

Update with `pytest tests/test_snapshots.py --snapshot-update` and look at the SVGs in
tests/__snapshots__/test_snapshots/ before committing them.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Awaitable, Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy import SnapshotAssertion
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.screen_text import screen_text
from tests.svg_colours import cell_colours, char_at, contrast, downgrade_svg
from tests.test_audit_support import audit, result, write_audits, write_results
from tui.app import LabelDeskApp
from tui.core.active_clock import ActiveClock
from tui.core.audit import SampleSpec, assign_audit
from tui.core.keymap import Keymap
from tui.core.session import LabelingSession
from tui.launch import prepare

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
TASK_TYPES = [
    "binary-en",
    "classify-en",
    "compare-en",
    "rate-en",
    "spans-en",
    "write-en",
    "image-en",
    "audio-nl",
    "video-en",
]
ANNOTATOR = "anna"
FROZEN = 1000.0  # the monotonic time every clock of these tests reads

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


# -- batches ---------------------------------------------------------------------------------
@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory: batches are opened by relative names inside it. Colour as
    full as Textual draws it, whatever the terminal running the tests says (NO_COLOR is
    read when an App is made; the screenshot itself is always truecolour)."""
    root = tmp_path / "work"
    root.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root


def copy_sample(name: str, lines: int | None = None) -> Path:
    """A copy of samples/<name> as ./<name>, without results or audits; `lines` keeps only
    the first tasks."""
    target = Path(name)
    shutil.copytree(SAMPLES / name, target, ignore=shutil.ignore_patterns("results", "audits"))
    if lines is not None:
        tasks = target / "tasks.jsonl"
        kept = tasks.read_text(encoding="utf-8").splitlines(keepends=True)[:lines]
        tasks.write_text("".join(kept), encoding="utf-8")
    return target


def frozen_clock() -> ActiveClock:
    return ActiveClock(30.0, now=lambda: FROZEN)


def open_session(folder: Path) -> tuple[LabelingSession, Keymap]:
    prepared = prepare(folder, annotator=ANNOTATOR)
    session = prepared.session
    session.clock = frozen_clock()
    session.resume()  # focus the frozen clock on the current item
    return session, prepared.keymap


def labeling_app(folder: Path) -> LabelDeskApp:
    session, keymap = open_session(folder)
    return LabelDeskApp(session, keymap)


# -- waiting for a state -----------------------------------------------------------------------
def busy_workers(app: App[Any]) -> list[str]:
    # The tasks-file watcher runs as long as the screen does; everything else finishes.
    return [w.name or w.group for w in app.workers if w.group != "watch" and not w.is_finished]


async def settled(
    pilot: Pilot[Any], until: Callable[[], bool] | None = None, timeout: float = 30.0
) -> None:
    """Wait until no worker is busy and `until` holds; then still text cursors."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    # Keys are taken once the screen is painted: its item's view is mounted and has started
    # its workers (a media preview), so "no busy worker" means they are done.
    while (
        not getattr(app.screen, "keys_ready", True)
        or busy_workers(app)
        or (until is not None and not until())
    ):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the screen never settled (busy: {busy_workers(app)}):\n{screen_text(app)}"
            )
        await pilot.pause(0.02)
    for widget in app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False
    await pilot.pause()


def shows(pilot: Pilot[Any], *words: str) -> Callable[[], bool]:
    def check() -> bool:
        text = screen_text(pilot.app)
        return all(word in text for word in words)

    return check


def run(*keys: str, until: tuple[str, ...] = ()) -> RunBefore:
    """run_before: wait for the first screen, press `keys`, wait until `until` is shown."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        if keys:
            await pilot.press(*keys)
        await settled(pilot, shows(pilot, *until) if until else None)

    return run_before


def snap(
    snap_compare: SnapCompare, app: App[Any], size: tuple[int, int], run_before: RunBefore
) -> None:
    assert snap_compare(app, terminal_size=size, run_before=run_before)


# -- the labeling screen, one per task type ---------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("sample", TASK_TYPES)
def test_labeling_screen(
    snap_compare: SnapCompare, here: Path, sample: str, size: tuple[int, int]
) -> None:
    """The first item of each task type's demo batch (media: once its preview is painted)."""
    app = labeling_app(copy_sample(sample))

    def preview_painted() -> bool:
        # Media views set preview_ready_s once the preview (or its error) is on screen.
        view = getattr(app.screen, "view", None)
        return getattr(view, "preview_ready_s", 0.0) is not None

    async def run_before(pilot: Pilot[Any]) -> None:
        await settled(pilot, preview_painted)

    snap(snap_compare, app, size, run_before)


# -- overlays over the labeling screen -----------------------------------------------------------
OVERLAYS = {
    "help": (("f1",), ()),
    # The Markdown widget mounts all its blocks at once, so the heading means the whole text.
    "guidelines": (("ctrl+g",), ("Guidelines: is this model response a refusal?",)),
    "flag": (("exclamation_mark",), ()),
    "summary": (("a", "x", "f5"), ("This session",)),
    "stats": (("a", "x", "f6"), ("med/p90",)),  # the footnote under the computed table
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("overlay", list(OVERLAYS))
def test_overlay(
    snap_compare: SnapCompare, here: Path, overlay: str, size: tuple[int, int]
) -> None:
    keys, until = OVERLAYS[overlay]
    app = labeling_app(copy_sample("binary-en"))
    snap(snap_compare, app, size, run(*keys, until=until))


@pytest.mark.parametrize("size", SIZES)
def test_rescue_dialog(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    """F8 after the results file was deleted under the app: two answers to write elsewhere."""
    folder = copy_sample("binary-en")
    app = labeling_app(folder)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        await pilot.press("a")
        await settled(pilot, shows(pilot, "saved"))
        (folder / "results" / f"{ANNOTATOR}.jsonl").unlink()
        await pilot.press("x")
        await settled(pilot, shows(pilot, "NOT SAVED"))
        await pilot.press("f8")
        await settled(pilot, shows(pilot, "Save the unsaved answers"))
        # The default name holds the time of day: a fixed one for the picture.
        app.screen.query_one("#path", Input).value = "rescued/binary-anna.jsonl"
        await settled(pilot)

    snap(snap_compare, app, size, run_before)


def audited_batch() -> Path:
    """classify-en with answers by anna and bob, and an audit plan for qa."""
    folder = copy_sample("classify-en")
    batch_id = "prompt-topics-en-0007"
    answers = [
        ("anna", "topic-en-0001", ["coding"]),
        ("anna", "topic-en-0002", ["writing"]),
        ("anna", "topic-en-0003", ["math", "other"]),
        ("bob", "topic-en-0004", ["advice"]),
        ("bob", "topic-en-0005", ["trivia"]),
    ]
    write_results(
        folder,
        [
            result(who, task, {"labels": labels}).model_copy(update={"batch_id": batch_id})
            for who, task, labels in answers
        ],
    )
    return folder


@pytest.mark.parametrize("size", SIZES)
def test_my_audits(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    """F7: how anna's own work fared in audits (a pass, a correction, a fail)."""
    folder = audited_batch()
    batch_id = "prompt-topics-en-0007"
    records = [
        audit("qa", ANNOTATOR, "topic-en-0001", "pass", original={"labels": ["coding"]}),
        audit(
            "qa",
            ANNOTATOR,
            "topic-en-0002",
            "corrected",
            errors=("missing_tag",),
            original={"labels": ["writing"]},
            corrected={"labels": ["writing", "other"]},
            comment="a limerick is writing; the cat makes it other too",
            minute=2,
        ),
        audit(
            "qa",
            ANNOTATOR,
            "topic-en-0003",
            "fail",
            errors=("extra_tag",),
            original={"labels": ["math", "other"]},
            minute=3,
        ),
    ]
    write_audits(
        folder,
        [r.model_copy(update={"batch_id": batch_id, "task_type": "classify"}) for r in records],
    )
    app = labeling_app(folder)
    snap(snap_compare, app, size, run("f7", until=("topic-en-0003",)))


# -- item states -----------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
def test_invalid_item(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    """The first line of binary-en lacks its text: the item says so and offers skip."""
    folder = copy_sample("binary-en")
    tasks = folder / "tasks.jsonl"
    lines = tasks.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = '{"id": "refusal-en-0001", "label": "REFUSAL"}\n'
    tasks.write_text("".join(lines), encoding="utf-8")
    app = labeling_app(folder)
    snap(snap_compare, app, size, run(until=("invalid",)))


@pytest.mark.parametrize("size", SIZES)
def test_sensitive_item_hidden(
    snap_compare: SnapCompare, here: Path, size: tuple[int, int]
) -> None:
    folder = copy_sample("binary-en")
    config = folder / "batch.toml"
    config.write_text("sensitive = true\n" + config.read_text(encoding="utf-8"), "utf-8")
    app = labeling_app(folder)
    snap(snap_compare, app, size, run(until=("Sensitive content hidden",)))


@pytest.mark.parametrize("size", SIZES)
def test_all_answered(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    app = labeling_app(copy_sample("binary-en", lines=3))
    snap(snap_compare, app, size, run("a", "x", "a", until=("All 3 items are answered",)))


@pytest.mark.parametrize("size", SIZES)
def test_write_editor_typing(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    """The write view with the editor open and a few words typed (the live check caught up)."""
    app = labeling_app(copy_sample("write-en"))
    words = "Short answer here"
    keys = [{" ": "space"}.get(c, c) for c in words]  # the editor has the keys at once
    # The live check may run on a part of the text while keys still arrive: wait for the one
    # that counts every character.
    snap(snap_compare, app, size, run(*keys, until=("3 words", f"{len(words)} chars")))


@pytest.mark.parametrize("size", SIZES)
def test_image_zoom(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    """The image task's zoom: the picture filling the terminal, and how to close it."""
    app = labeling_app(copy_sample("image-en"))
    snap(snap_compare, app, size, run("f", until=("any key closes",)))


@pytest.mark.parametrize("size", SIZES)
def test_compare_reason_open(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    app = labeling_app(copy_sample("compare-en"))
    snap(snap_compare, app, size, run("r", *"clearer", until=("clearer",)))


# -- the audit review --------------------------------------------------------------------------------
def audit_app() -> App[Any]:
    from tui.app_launch import make_audit_app

    folder = audited_batch()
    assign_audit(folder, "qa", SampleSpec(per_annotator=2), seed="1")
    app = make_audit_app(folder, "qa")
    app.session.clock = frozen_clock()
    return app


AUDIT_STATES = {
    "review": ((), ("item 1 of",)),
    "correct": (("c",), ()),
    "error_categories": (("f",), ("missing_tag",)),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("state", list(AUDIT_STATES))
def test_audit_review(
    snap_compare: SnapCompare, here: Path, state: str, size: tuple[int, int]
) -> None:
    keys, until = AUDIT_STATES[state]
    snap(snap_compare, audit_app(), size, run(*keys, until=until))


# -- colour systems: 256 colours and NO_COLOR ---------------------------------------------------
# Textual's screenshot is always truecolour (App.export_screenshot draws through a truecolor
# Console), so COLORTERM and TEXTUAL_COLOR_SYSTEM (read once, when textual.constants is
# imported) change what reaches a real terminal but not the SVG. NO_COLOR does reach it: the
# App adds a Monochrome line filter when NO_COLOR is set at App() time. The 256-colour
# rendering is the truecolour screenshot downgraded the way Rich downgrades what Textual
# writes to a 256-colour terminal (tests/svg_colours.py).
async def screenshot(app: App[Any], size: tuple[int, int] = (80, 24)) -> str:
    async with app.run_test(size=size) as pilot:
        await settled(pilot)
        return app.export_screenshot()


def test_binary_no_color(
    snap_compare: SnapCompare, here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = labeling_app(copy_sample("binary-en"))
    snap(snap_compare, app, (80, 24), run())


async def test_binary_256_colours(snapshot: SnapshotAssertion, here: Path) -> None:
    svg = await screenshot(labeling_app(copy_sample("binary-en")))
    assert snapshot.use_extension(SVGImageExtension) == downgrade_svg(svg)


def frame_corner(svg: str, height: int) -> tuple[int, int]:
    for row in range(height):
        if char_at(svg, row, 0) == "╭":
            return row, 0
    raise AssertionError("no item frame on the screen")


@pytest.mark.xfail(
    find_spec("tui.terminal") is None,  # where the term branch's frame colour lives
    strict=True,
    reason="issue 10 item 6: the item frame ($panel) is 1.4:1 in truecolour, 1.0:1 in 256 "
    "colours (17 on 233) and 1.2:1 under NO_COLOR until the term branch's FRAME is merged",
)
@pytest.mark.parametrize("system", ["truecolor", "256", "no_color"])
async def test_item_frame_stands_out(
    here: Path, monkeypatch: pytest.MonkeyPatch, system: str
) -> None:
    """The frame around the item keeps at least 3:1 against the background (WCAG's figure
    for the parts of a user interface that must be seen)."""
    if system == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    svg = await screenshot(labeling_app(copy_sample("binary-en")))
    if system == "256":
        svg = downgrade_svg(svg)
    row, column = frame_corner(svg, 24)
    foreground, background = cell_colours(svg, row, column)
    assert foreground and background
    assert contrast(foreground, background) >= 3.0, (foreground, background)


@pytest.mark.parametrize("size", SIZES)
def test_history(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    """F3 over binary-en with three earlier answers (fixed times): one skipped, one flagged."""
    from datetime import timedelta

    from tui.core.records import Flag

    folder = copy_sample("binary-en")
    records = [
        result("anna", "ref-en-0001", None, task_type="binary"),
        result("anna", "ref-en-0002", None, answer="skip", task_type="binary"),
        result("anna", "ref-en-0003", None, answer="reject", task_type="binary"),
    ]
    records = [
        r.model_copy(
            update={
                "batch_id": "refusal-en-0001",
                "submitted_at": r.submitted_at + timedelta(minutes=n),
                "flag": Flag(reason="ambiguous") if n == 2 else None,
            }
        )
        for n, r in enumerate(records)
    ]
    write_results(folder, records)
    app = labeling_app(folder)
    snap(snap_compare, app, size, run("f3", until=("skipped 1",)))


@pytest.mark.parametrize("size", SIZES)
def test_gold_feedback(snap_compare: SnapCompare, here: Path, size: tuple[int, int]) -> None:
    """binary-nl in gold training: its first item is gold (accept), answered with reject."""
    folder = copy_sample("binary-nl")
    toml = folder / "batch.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[gold]\nfeedback = true\n", "utf-8")
    app = labeling_app(folder)
    snap(snap_compare, app, size, run("x", until=("not as expected",)))
