"""The home screen's rows read after the first paint (Pilot): only the first screen's
batch.toml files are read before it paints; a row not read yet shows its folder, every key
works on it, and it is repainted alone when its entry arrives, the cursor and the view left
where they are.

The worker's reads are held at a gate here, so keys are pressed on rows that are surely not
read yet; the gate opens before the app closes (a blocked worker thread would hold it)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

import tui.screens.home
from tests.batch_factory import make_batch, texts
from tests.screen_text import screen_text
from tests.test_home_core import answer, write_lines
from tests.test_home_screen import home, opener, showing, wait_until
from tui.core.home.listing import HomeEntry, list_batches, read_entry
from tui.core.home.roots import Roots
from tui.home_app import HomeApp
from tui.screens.audit_review import AuditReviewScreen
from tui.screens.home import HomeScreen
from tui.screens.labeling import LabelingScreen
from tui.widgets.batch_rows import BatchRows

BATCHES = 40
READ_FIRST = 3
GATE_TIMEOUT_S = 60.0


class GatedReader:
    """read_entry, each call waiting until the gate opens; remembers the order of reads."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.waiting = threading.Event()  # a worker has asked for an entry
        self.order: list[str] = []

    def __call__(self, folder: Path, root: Path) -> HomeEntry:
        self.waiting.set()
        if not self.gate.wait(GATE_TIMEOUT_S):
            raise AssertionError("the test never opened the gate")
        self.order.append(folder.name)
        return read_entry(folder, root)


@pytest.fixture
def reader(monkeypatch: pytest.MonkeyPatch) -> Iterator[GatedReader]:
    gated = GatedReader()
    monkeypatch.setattr(tui.screens.home, "read_entry", gated)
    try:
        yield gated
    finally:
        gated.gate.set()


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    for n in range(BATCHES):
        make_batch(root / f"b{n:02d}", texts(2), id=f"id{n:02d}", title=f"Batch number {n:02d}")
    return root


@contextmanager
def opened_gate(reader: GatedReader) -> Iterator[None]:
    try:
        yield
    finally:
        reader.gate.set()


@asynccontextmanager
async def started(root: Path, reader: GatedReader) -> AsyncIterator[tuple[HomeApp, Pilot[None]]]:
    """The home app at 80x24 over `root`, the first READ_FIRST rows read, its worker waiting
    at the gate for the next."""
    entries = list_batches([root], read_first=READ_FIRST)
    assert [e.read for e in entries] == [n < READ_FIRST for n in range(BATCHES)]
    app = HomeApp(Roots([root], "config"), entries, annotator="anna", opener=opener, live=False)
    async with app.run_test(size=(80, 24)) as pilot:
        with opened_gate(reader):
            await wait_until(pilot, lambda: home(app).home_keymap is not None)
            await wait_until(pilot, reader.waiting.is_set)
            yield app, pilot


def chosen(app: HomeApp) -> HomeEntry:
    entry = home(app)._chosen()
    assert entry is not None
    return entry


async def test_rows_not_read_yet_show_their_folder_and_every_key_works_on_them(
    tmp_path: Path, reader: GatedReader
) -> None:
    from tui.core.audit import SampleSpec, assign_audit

    root = make_root(tmp_path)
    last = root / f"b{BATCHES - 1:02d}"
    write_lines(
        last / "results" / "bram.jsonl",
        [answer(f"t{i}", "bram", batch_id=f"id{BATCHES - 1:02d}") for i in range(2)],
    )
    assign_audit(last, "anna", SampleSpec(rate=None, per_annotator=2), seed="s", mode="new")
    async with started(root, reader) as (app, pilot):
        text = screen_text(app)
        assert "Batch number 00" in text and "Batch number 02" in text
        assert "Batch number 03" not in text and " b03" in text  # the folder, until read
        await pilot.press("end")
        await wait_until(pilot, showing(app, f"b{BATCHES - 1:02d}"))
        assert chosen(app).folder == last and not chosen(app).read
        await pilot.press("a")  # audit: needs only the folder
        await wait_until(pilot, lambda: isinstance(app.screen, AuditReviewScreen))
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("enter")  # open: the same
        await wait_until(pilot, lambda: isinstance(app.screen, LabelingScreen))
        assert app.session is not None and app.session.batch.id == f"id{BATCHES - 1:02d}"
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        reader.gate.set()
        await wait_until(pilot, lambda: all(e.read for e in home(app).entries))
        await wait_until(pilot, showing(app, f"Batch number {BATCHES - 1:02d}", "me 0/2"))
        assert chosen(app).folder == last  # the cursor stayed on the batch it was on


async def test_rows_arrive_on_screen_first_and_repaint_alone_with_the_cursor_kept(
    tmp_path: Path, reader: GatedReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path)
    async with started(root, reader) as (app, pilot):
        screen = home(app)
        listing = screen.query_one(BatchRows)
        folders = [e.folder for e in screen.entries]
        redrawn: list[int] = []
        whole: list[int] = []
        redraw_row, set_rows = listing.redraw_row, listing.set_rows
        monkeypatch.setattr(listing, "redraw_row", lambda i: (redrawn.append(i), redraw_row(i)))
        monkeypatch.setattr(listing, "set_rows", lambda *a: (whole.append(1), set_rows(*a)))
        # The worker's first batch of reads was chosen from the top of the list; End now
        # makes the last rows the ones on screen, so they come next, before the middle.
        await pilot.press("end", "up")
        await wait_until(pilot, showing(app, f"b{BATCHES - 1:02d}"))
        cursor, top = listing.cursor, listing.scroll_offset.y
        reader.gate.set()
        await wait_until(pilot, lambda: all(e.read for e in screen.entries))
        await wait_until(pilot, showing(app, f"Batch number {BATCHES - 1:02d}"))
        assert [e.folder for e in screen.entries] == folders  # the order is kept
        assert (listing.cursor, listing.scroll_offset.y) == (cursor, top)
        assert chosen(app).folder.name == f"b{BATCHES - 2:02d}"
        order = reader.order
        middle = f"b{BATCHES // 2 + 5:02d}"  # below the first batch of reads, not on screen
        assert order.index(f"b{BATCHES - 1:02d}") < order.index(middle), order
        assert sorted(order) == [f"b{n:02d}" for n in range(READ_FIRST, BATCHES)]  # each once
        # Each row read was repainted alone (then again with its figures), never the list.
        assert set(range(READ_FIRST, BATCHES)) <= set(redrawn) and not whole
        text = screen_text(app)
        assert f"Batch number {BATCHES - 2:02d}" in text and f" b{BATCHES - 2:02d}" not in text


async def test_a_batch_toml_that_fails_to_read_late_is_said_on_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path)
    odd = root / "b05"

    def failing(folder: Path, folder_root: Path) -> HomeEntry:
        if folder == odd:
            raise RuntimeError("a reader failure nobody expected")
        return read_entry(folder, folder_root)

    monkeypatch.setattr(tui.screens.home, "read_entry", failing)
    entries = list_batches([root], read_first=READ_FIRST)
    app = HomeApp(Roots([root], "config"), entries, annotator="anna", opener=opener, live=False)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = home(app)
        await wait_until(pilot, lambda: screen.reads_done == 1)  # the figures came after it
        text = screen_text(app)
        assert "batch.toml unreadable" in text and "a reader failure nobody expected" in text
        assert "Batch number 04" in text and "Batch number 06" in text
        assert all(e.read for e in screen.entries)
