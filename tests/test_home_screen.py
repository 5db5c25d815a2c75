"""The home screen (Pilot): rows at once and figures after, open a batch and come back with
fresh figures, the audit key, live changes, repaint only what changed, keys from the keymap."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.batch_factory import make_batch, read_results, texts
from tests.screen_text import screen_text
from tests.test_home_core import DAY, answer, write_lines
from tui.core.home.listing import list_batches
from tui.core.home.roots import Roots
from tui.core.keymap import Keymap
from tui.core.session import LabelingSession
from tui.home_app import HomeApp
from tui.launch import prepare
from tui.screens.audit_review import AuditReviewScreen
from tui.screens.home import HomeScreen
from tui.screens.labeling import LabelingScreen


def opener(folder: Path) -> tuple[LabelingSession, Keymap]:
    prepared = prepare(folder, annotator="anna")
    return prepared.session, prepared.keymap


def home_app(root: Path, *, live: bool = True) -> HomeApp:
    roots = Roots([root], "config")
    return HomeApp(
        roots, list_batches([root]), annotator="anna", opener=opener, day=lambda: DAY, live=live
    )


async def wait_until(pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; the screen was:\n{screen_text(pilot.app)}")
        await pilot.pause(0.05)


def home(app: HomeApp) -> HomeScreen:
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    return screen


def showing(app: HomeApp, *words: str) -> Callable[[], bool]:
    return lambda: all(word in screen_text(app) for word in words)


async def test_open_a_batch_answer_and_come_back_with_fresh_figures(tmp_path: Path) -> None:
    root = tmp_path / "root"
    make_batch(root / "a", texts(3), id="a", title="First batch")
    make_batch(root / "b", texts(2), id="b", title="Second batch")
    app = home_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, showing(app, "First batch", "me 0/3", "me 0/2"))
        assert "2 batches under 1 root of config.toml" in screen_text(app)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LabelingScreen))
        await pilot.press("1")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.session is None  # the results file was released
        await wait_until(pilot, showing(app, "me 1/2 50%"))
        await pilot.press("ctrl+q")
    assert [x["task_id"] for x in read_results(root / "b" / "results" / "anna.jsonl")] == ["t0"]


async def test_figures_of_others_audits_and_pace(tmp_path: Path) -> None:
    root = tmp_path / "root"
    folder = make_batch(root / "a", texts(10), id="b1", title="Busy", target_per_hour=300)
    write_lines(
        folder / "results" / "anna.jsonl",
        [answer(f"t{i}", "anna", active_ms=6000) for i in range(3)],
    )
    write_lines(folder / "results" / "bram.jsonl", [answer(f"t{i}", "bram") for i in range(5)])
    from tests.test_home_core import audit

    write_lines(
        folder / "audits" / "ruud.jsonl", [audit("t0", "anna", "pass"), audit("t1", "anna", "fail")]
    )
    app = home_app(root, live=False)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_until(pilot, showing(app, "me 3/10 30%"))
        text = screen_text(app)
        assert "bram 5" in text
        assert "today 3 at 600/h (200% of 300/h)" in text
        assert "my work passed 1/2" in text


async def test_audit_key_opens_the_review_and_comes_back(tmp_path: Path) -> None:
    from tui.core.audit import SampleSpec, assign_audit

    root = tmp_path / "root"
    folder = make_batch(root / "a", texts(6), id="b1", title="To audit")
    make_batch(root / "b", texts(2), id="b2", title="Nothing planned")
    write_lines(folder / "results" / "bram.jsonl", [answer(f"t{i}", "bram") for i in range(6)])
    assign_audit(folder, "anna", SampleSpec(rate=None, per_annotator=3), seed="s", mode="new")
    app = home_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, showing(app, "to audit 3 of 3"))
        await pilot.press("down", "a")  # no plan for me in the second batch: said, stays home
        await wait_until(
            pilot, lambda: any("anna.plan.json" in n.message for n in app._notifications)
        )
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("up", "a")
        await wait_until(pilot, lambda: isinstance(app.screen, AuditReviewScreen))
        await pilot.press("p")  # pass
        await wait_until(
            pilot, lambda: app.audit_session is not None and bool(app.audit_session.recorded)
        )
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.audit_session is None and len(app.finished_audits) == 1
        await wait_until(pilot, showing(app, "to audit 2 of 3"))
    assert (folder / "audits" / "anna.jsonl").read_text(encoding="utf-8").count("\n") == 1


async def test_live_new_batch_new_tasks_and_new_guidelines(tmp_path: Path) -> None:
    import hashlib

    root = tmp_path / "root"
    folder = make_batch(root / "a", texts(2), id="a", title="First batch")
    sha = hashlib.sha256((folder / "guidelines.md").read_bytes()).hexdigest()
    write_lines(folder / "results" / "anna.jsonl", [answer("t0", "anna", guidelines_sha256=sha)])
    app = home_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, showing(app, "me 1/2"))
        await wait_until(pilot, lambda: any(w.group == "home-watch" for w in app.screen.workers))
        await pilot.pause(0.5)  # the watcher has started watching
        make_batch(root / "project" / "c", texts(4), id="c", title="Arrived later")
        await wait_until(pilot, showing(app, "Arrived later", "me 0/4"))
        assert "2 batches under" in screen_text(app)
        with (folder / "tasks.jsonl").open("a", encoding="utf-8") as fh:
            fh.write('{"id": "t9", "text": "one more"}\n')
        await wait_until(pilot, showing(app, "me 1/3"))
        (folder / "guidelines.md").write_text("# New rules\n", encoding="utf-8")
        await wait_until(pilot, showing(app, "guidelines changed"))


async def test_only_changed_rows_are_repainted(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name in "abcd":
        make_batch(root / name, texts(2), id=name, title=f"Batch {name}")
    app = home_app(root, live=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = home(app)
        await wait_until(pilot, lambda: screen.reads_done == 1)
        assert screen.rows_painted == 4
        write_lines(root / "c" / "results" / "anna.jsonl", [answer("t0", "anna")])
        await pilot.press("f5")  # read again
        await wait_until(pilot, lambda: screen.reads_done == 2)
        assert screen.rows_painted == 5
        assert "me 1/2" in screen_text(app)


async def test_keys_come_from_the_keymap(tmp_path: Path) -> None:
    config = Path(os.environ["LABELDESK_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "keymap.toml").write_text('[home]\nopen = "o"\n', encoding="utf-8")
    root = tmp_path / "root"
    make_batch(root / "a", texts(2), id="a", title="First batch")
    app = home_app(root, live=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: home(app).home_keymap is not None)
        assert "o label" in screen_text(app)
        await pilot.press("enter")  # no longer bound
        await pilot.pause(0.2)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, LabelingScreen))
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        ids = {b.binding.id for b in app.screen.active_bindings.values()}
        assert {"home.open", "home.audit", "home.quit", "home.down"} <= ids


async def test_text_from_files_is_shown_literally(tmp_path: Path) -> None:
    root = tmp_path / "root"
    make_batch(root / "a", texts(2), id="a", title="Reviews [/] 2024 [bold]x\x1b[31m")
    (root / "b").mkdir()
    (root / "b" / "batch.toml").write_text('id = "b"\ntitle = [\n', encoding="utf-8")
    app = home_app(root, live=False)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_until(pilot, lambda: home(app).reads_done == 1)
        text = screen_text(app)
        assert "Reviews [/] 2024 [bold]x" in text and "\x1b" not in text
        assert "batch.toml unreadable" in text


async def test_no_batches_says_where_it_looks(tmp_path: Path) -> None:
    root = tmp_path / "empty-root"
    root.mkdir()
    app = home_app(root)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_until(pilot, showing(app, "No batches", str(root)))
        await wait_until(pilot, lambda: any(w.group == "home-watch" for w in app.screen.workers))
        await pilot.pause(0.5)
        make_batch(root / "new", texts(1), id="new", title="Brand new")
        await wait_until(pilot, showing(app, "Brand new", "me 0/1"))
        assert "No batches" not in screen_text(app)


async def test_many_batches_scroll_with_the_cursor(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for n in range(30):
        make_batch(root / f"b{n:02d}", texts(1), id=f"b{n:02d}", title=f"Batch number {n:02d}")
    app = home_app(root, live=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: home(app).home_keymap is not None)
        assert "Batch number 00" in screen_text(app)
        assert "Batch number 29" not in screen_text(app)
        await pilot.press("end")
        await wait_until(pilot, showing(app, "Batch number 29"))
        assert "Batch number 00" not in screen_text(app)
        screen = home(app)

        def chosen() -> str:
            entry = screen._chosen()
            assert entry is not None
            return entry.id

        assert chosen() == "b29"  # the cursor moved, not only the view
        await pilot.press("home", "pagedown")
        assert chosen() not in ("b00", "b01")
        await pilot.press("home", "j", "j", "k")  # down, down, up (vim-style keys)
        assert chosen() == "b01"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LabelingScreen))
        assert app.session is not None and app.session.batch.id == "b01"


async def test_the_last_batch_gone_says_so_and_a_new_one_replaces_the_message(
    tmp_path: Path,
) -> None:
    import shutil

    root = tmp_path / "root"
    make_batch(root / "a", texts(1), id="a", title="Only batch")
    app = home_app(root, live=False)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = home(app)
        await wait_until(pilot, lambda: screen.reads_done == 1)
        assert not screen.query("#home-empty")  # nothing to say: not even built
        shutil.rmtree(root / "a")
        await pilot.press("f5")
        await wait_until(pilot, showing(app, "No batches", str(root)))
        make_batch(root / "b", texts(2), id="b", title="Brand new")
        await pilot.press("f5")
        await wait_until(pilot, showing(app, "Brand new", "me 0/2"))
        assert "No batches" not in screen_text(app) and not screen.query("#home-empty")
