"""The home screen (`labeldesk` with no argument, or a folder): every batch under the roots,
with my progress, colleagues' progress, my pace today, audits waiting for me and audits of
my work.

It paints first and reads later: the rows of the first screen (titles from batch.toml, read
with tomllib) are on screen at once; the other rows' batch.toml, the keymap, the figures and
the file watcher are read after the first paint, in workers, and each row is repainted alone
when its batch.toml or its figures arrive (tui/core/home). A row not read yet is named after
its folder, which is all that opening or auditing it needs, so every key works on it. Keys
wait (tui/key_gate.py) until the effective keymap is in place, so a key typed during start-up
does what the annotator's keymap says.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from tui.core.home.listing import HomeEntry, list_batches, read_entry, utc_day
from tui.core.home.roots import Roots
from tui.core.i18n import _, ngettext
from tui.core.resources import data_dir
from tui.core.safe_text import visible, visible_aligned
from tui.key_gate import PaintedGate
from tui.widgets.batch_rows import BatchRows

if TYPE_CHECKING:  # loaded in the workers, after the first paint
    from textual.worker import Worker

    from tui.core.home.figures import BatchFigures, FigureCache
    from tui.core.keymap import Keymap

READ_CHUNK = 20  # batch.toml files read in the worker per hop to the UI thread

# binding id (home.X) -> the screen's action
ACTIONS = {
    "open": "open",
    "audit": "audit",
    "up": "cursor('cursor_up')",
    "down": "cursor('cursor_down')",
    "page_up": "cursor('page_up')",
    "page_down": "cursor('page_down')",
    "first": "cursor('first')",
    "last": "cursor('last')",
    "refresh": "refresh_figures",
    "quit": "app.quit",
}


def _home_table(path: Path) -> dict[str, str]:
    try:
        with path.open("rb") as fh:
            table = tomllib.load(fh).get("home", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # the full keymap, read after the first paint, reports it
    keys: dict[str, str] = {}
    for name, value in table.items() if isinstance(table, dict) else ():
        if name in ACTIONS and isinstance(value, str):
            keys[f"home.{name}"] = value
        elif name in ACTIONS and isinstance(value, list):
            keys[f"home.{name}"] = ",".join(str(v) for v in value)
    return keys


class WorkerCancelled:
    """watchfiles' stop event for a thread worker: set once the worker is cancelled (the
    screen removed, the app closing); watchfiles asks every 50 ms."""

    def __init__(self, worker: Worker[None]) -> None:
        self.worker = worker

    def is_set(self) -> bool:
        return self.worker.is_cancelled


def home_keys(keymap_name: str | None = None) -> dict[str, str]:
    """home.X -> "keys": the [home] tables of the keymap layers (keymaps/default.toml, the
    chosen keymap, the user's keymap.toml), read with tomllib so the keys work from the first
    paint. The full keymap (tui/core/keymap.py) is built after it, for `labeldesk keys`'s
    view of the same layers, the hint line and any problem in them."""
    from tui.core.resources import config_dir

    keys = _home_table(data_dir("keymaps") / "default.toml")
    if keymap_name:
        keys.update(_home_table(data_dir("keymaps") / f"{keymap_name}.toml"))
    keys.update(_home_table(config_dir() / "keymap.toml"))
    return keys


def literal_text(value: str, style: str = "") -> Text:
    """Text from a file, through the one sanitizer, never parsed as markup (as
    tui/widgets/task_text.py's; not imported from there: its module costs ~2 ms of start-up,
    before the first paint, for what the rows do not use)."""
    return Text(visible_aligned(value), style=style)


def row_lines(entry: HomeEntry, figures: BatchFigures | None) -> list[Text]:
    """A row's two lines: the title (and, once read, the audit figures), then the progress
    figures (… until they are read). Everything that came from files passes the sanitizer
    (literal_text). A row whose batch.toml is not read yet shows its folder's name, dim."""
    if not entry.read:
        return [literal_text(entry.title, style="dim"), Text("  …", style="dim")]
    title = literal_text(entry.title, style="bold")
    kind = (
        _("batch.toml unreadable")
        if entry.error
        else " · ".join(part for part in (entry.task_type, entry.language) if part)
    )
    title.append("  ")
    title.append(literal_text(kind, style="dim"))
    second = Text("  ")
    if entry.error:
        second.append(literal_text(entry.error, style="red"))
    elif figures is None:
        second.append("…", style="dim")
    else:
        from tui.core.home.render import audit_line, progress_line  # loaded by the worker

        audits = audit_line(figures)
        if audits:
            title.append("  ")
            title.append(literal_text(audits, style="yellow"))
        second.append(literal_text(progress_line(figures)))
        if figures.problems:
            second.append("  ⚠ ", style="yellow")
            second.append(literal_text(figures.problems[0], style="yellow"))
    return [title, second]


class HomeScreen(PaintedGate, Screen[None]):
    DEFAULT_CSS = """
    HomeScreen > #home-head { padding: 0 1; height: auto; text-style: bold; }
    HomeScreen > #home-keys { padding: 0 1; height: auto; color: $text-muted; }
    HomeScreen > #home-empty { padding: 1 2; height: auto; }
    """

    def __init__(
        self,
        roots: Roots,
        annotator: str,
        entries: list[HomeEntry],
        *,
        keymap_name: str | None = None,
        day: Callable[[], str] = utc_day,
        live: bool = True,
    ) -> None:
        super().__init__()
        self.roots = roots
        self.annotator = annotator
        self.entries = entries
        self._index = {entry.folder: i for i, entry in enumerate(entries)}
        self.keymap_name = keymap_name
        self._bindings_from_keymap()
        self.day = day
        self.live = live
        self.home_keymap: Keymap | None = None
        self.figures: dict[Path, BatchFigures] = {}
        self._cache: FigureCache | None = None
        self._stale = False  # files changed while a batch was open on top of this screen
        self.rows_painted = 0  # row repaints (tests check that unchanged rows are left alone)
        self.reads_done = 0  # completed figure passes
        self._listing: BatchRows | None = None  # the rows, for the worker's question

    def _bindings_from_keymap(self) -> None:
        from textual.binding import BindingsMap

        self._keys = home_keys(self.keymap_name)
        self._bindings = BindingsMap(
            [
                Binding(keys, ACTIONS[binding_id.split(".", 1)[1]], show=False, id=binding_id)
                for binding_id, keys in self._keys.items()
            ]
        )

    # -- keys ------------------------------------------------------------------------------
    def keys_hint(self) -> str:
        def shown(binding_id: str) -> str:
            if self.home_keymap is not None:
                return self.home_keymap.display(binding_id, 1)
            from tui.core.keymap import key_display

            keys = self._keys.get(binding_id, "").split(",")
            return key_display(keys[0]) if keys[0] else "?"

        return _("{open} label  ·  {audit} audit  ·  {refresh} read again  ·  {quit} quit").format(
            open=shown("home.open"),
            audit=shown("home.audit"),
            refresh=shown("home.refresh"),
            quit=shown("home.quit"),
        )

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self._head(), id="home-head", markup=False)
        yield Static(visible(self._static_hint()), id="home-keys", markup=False)
        if not self.entries:  # built only when there is nothing to list (a widget less)
            yield Static(self._empty_text(), id="home-empty", markup=False)
        yield BatchRows(len(self.entries), self._row)

    def _static_hint(self) -> str:
        keys = self._keys

        def first(binding_id: str) -> str:
            return keys.get(binding_id, "?").split(",")[0]

        # Plain names before the keymap module loads (it is not needed for the first paint).
        return _("{open} label  ·  {audit} audit  ·  {refresh} read again  ·  {quit} quit").format(
            open=first("home.open"),
            audit=first("home.audit"),
            refresh=first("home.refresh"),
            quit=first("home.quit"),
        )

    def _head(self) -> str:
        count = len(self.entries)
        folders = len(self.roots.folders)
        where = {
            "config": ngettext(
                "{folders} root of config.toml", "{folders} roots of config.toml", folders
            ).format(folders=folders),
            "opened": ngettext(
                "{folders} folder opened before", "{folders} folders opened before", folders
            ).format(folders=folders),
            "argument": _("the folder given"),
        }
        return visible(
            ngettext(
                "labeldesk · {annotator} · {count} batch under {source}",
                "labeldesk · {annotator} · {count} batches under {source}",
                count,
            ).format(annotator=self.annotator, count=count, source=where[self.roots.source])
        )

    def _empty_text(self) -> str:
        if self.entries:
            return ""
        if not self.roots.folders:
            return visible(
                _(
                    'No folders to look in yet: set roots = ["/path/to/batches"] in config.toml, '
                    "or open a folder once with `labeldesk FOLDER`."
                )
            )
        listed = "\n".join(f"  {folder}" for folder in self.roots.folders)
        return visible(
            _(
                "No batches (folders with a batch.toml) under:\n{listed}\nNew batches appear here as they are made."
            ).format(listed=listed)
        )

    def _row(self, index: int) -> list[Text]:
        """Row `index`'s lines, asked by the list when it draws the row (only rows on screen
        are ever built)."""
        entry = self.entries[index]
        return row_lines(entry, self.figures.get(entry.folder))

    def on_mount(self) -> None:
        self._listing = self.query_one(BatchRows)
        self._listing.focus()
        # Nothing slow before the first paint: the keymap module, the figures and the
        # watcher are started once the rows are on screen.
        self.call_after_refresh(self._start_workers)

    def _start_workers(self) -> None:
        self._load_keymap()
        self.refresh_figures()
        if self.live:
            self._watch_roots()

    def on_screen_resume(self) -> None:
        if self.home_keymap is not None:
            # A batch's keymap (its [keymap] layer) was in force while it was open.
            self.app.set_keymap(self.home_keymap.textual_keymap())
        if self._cache is not None:
            relist, self._stale = self._stale, False
            self.refresh_figures(relist)

    # -- workers ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="home-keymap", exit_on_error=False)
    def _load_keymap(self) -> None:
        from tui.core.keymap import build_keymap
        from tui.core.user_config import user_keymap_file

        keymap = build_keymap(None, chosen=self.keymap_name, user_file=user_keymap_file())
        self.app.call_from_thread(self._keymap_loaded, keymap)

    def _keymap_loaded(self, keymap: Keymap) -> None:
        self.home_keymap = keymap
        if self.app.screen is self:
            self.app.set_keymap(keymap.textual_keymap())
        self.query_one("#home-keys", Static).update(visible(self.keys_hint()))
        for problem in keymap.problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)
        pump = getattr(self.app, "pump_keys", None)
        if pump is not None:
            pump()

    def action_refresh_figures(self) -> None:
        self.refresh_figures(relist=True)

    @work(thread=True, exclusive=True, group="home-figures", exit_on_error=False)
    def refresh_figures(self, relist: bool = False) -> None:
        from textual.worker import get_current_worker

        import tui.core.home.render  # noqa: F401  # here, not in the UI thread's first row
        from tui.core.home.figures import FigureCache

        worker = get_current_worker()
        if self._cache is None:
            self._cache = FigureCache(self.annotator)
        entries = self.entries
        if relist:
            found = list_batches(self.roots.folders)
            if found != entries:
                self.app.call_from_thread(self._set_entries, found)
                entries = found
        read = self._read_entries(entries)
        if read is None:
            return  # cancelled: a newer pass reads them
        entries = read
        day = self.day()
        pending = list(range(len(entries)))
        while pending:
            if worker.is_cancelled:
                return
            # The rows on screen first (after End, the last ones), then the rest in order.
            shown = self._visible_rows()
            index = next((i for i in pending if i in shown), pending[0])
            pending.remove(index)
            entry = entries[index]
            try:
                figures = self._cache.refresh(entry, day)
            except Exception as exc:  # one unreadable batch must not stop the others' rows
                self.app.call_from_thread(
                    self.notify, f"{entry.folder}: {exc}", severity="warning", markup=False
                )
                continue
            if figures is not None:
                self.app.call_from_thread(self._set_row, entry, figures)
        self.app.call_from_thread(self._pass_done)

    def _read_entries(self, entries: list[HomeEntry]) -> list[HomeEntry] | None:
        """`entries` with every batch.toml read (in the worker): the rows on screen first
        (after End, the last ones), handed to the screen READ_CHUNK at a time (one hop to the
        UI thread per row would cost more than reading it). None when the worker was
        cancelled meanwhile."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        pending = [i for i, entry in enumerate(entries) if not entry.read]
        read = list(entries)
        while pending:
            if worker.is_cancelled:
                return None
            shown = self._visible_rows()
            chunk = [i for i in pending if i in shown][:READ_CHUNK]
            chunk += [i for i in pending if i not in shown][: READ_CHUNK - len(chunk)]
            taken = set(chunk)
            pending = [i for i in pending if i not in taken]
            for i in chunk:
                try:
                    read[i] = read_entry(entries[i].folder, entries[i].root)
                except Exception as exc:  # one odd batch.toml must not stop the other rows
                    read[i] = entries[i]._replace(read=True, task_type="?", error=str(exc))
            self.app.call_from_thread(self._entries_read, [read[i] for i in chunk])
        return read

    def _entries_read(self, entries: list[HomeEntry]) -> None:
        """Rows whose batch.toml was read: each repainted alone, the cursor where it is."""
        listing = self.query_one(BatchRows)
        for entry in entries:
            index = self._index.get(entry.folder)
            if index is None or self.entries[index].read:
                continue  # a new listing meanwhile (read in full) has this row already
            self.entries[index] = entry
            listing.redraw_row(index)

    def _visible_rows(self) -> range:
        """Rows on screen now (read from the worker: two ints, a stale value costs nothing
        but the order of reading)."""
        from tui.widgets.batch_rows import ROW_LINES

        listing = self._listing
        if listing is None:
            return range(0)
        top = listing.scroll_offset.y // ROW_LINES
        return range(top, top + listing.size.height // ROW_LINES + 1)

    def _pass_done(self) -> None:
        self.reads_done += 1

    def _set_entries(self, entries: list[HomeEntry]) -> None:
        """The batches under the roots changed (one made, removed or renamed): rebuild the
        rows, keeping the cursor on the same batch."""
        listing = self.query_one(BatchRows)
        chosen = self._chosen()
        self.entries = entries
        self._index = {entry.folder: i for i, entry in enumerate(entries)}
        cursor = self._index.get(chosen.folder, 0) if chosen is not None else 0
        listing.set_rows(len(entries), cursor)
        self.query_one("#home-head", Static).update(self._head())
        empty = self.query("#home-empty")
        if entries:
            empty.remove()
        elif empty:
            empty.first(Static).update(self._empty_text())
        else:
            self.mount(Static(self._empty_text(), id="home-empty", markup=False), before=listing)

    def _set_row(self, entry: HomeEntry, figures: BatchFigures) -> None:
        self.figures[entry.folder] = figures
        index = self._index.get(entry.folder)
        if index is None or self.entries[index] != entry:
            return  # the row went away with a new listing meanwhile
        self.query_one(BatchRows).redraw_row(index)
        self.rows_painted += 1

    @work(thread=True, exclusive=True, group="home-watch", exit_on_error=False)
    def _watch_roots(self) -> None:
        """New batches, new tasks, answers and changed guidelines, as they happen. In a
        thread: setting up the watches (~20-30 ms for 200 batches) ran in the event loop with
        watchfiles.awatch and held up the keys typed right after the first paint."""
        from textual.worker import get_current_worker
        from watchfiles import watch

        worker = get_current_worker()
        folders = [f for f in self.roots.folders if f.is_dir()]
        if not folders:
            return
        try:
            for _changes in watch(
                *folders, debounce=300, recursive=True, stop_event=WorkerCancelled(worker)
            ):
                self.app.call_from_thread(self._roots_changed)
        except (OSError, RuntimeError) as exc:
            if not worker.is_cancelled:  # (the app closing is not news)
                self.app.call_from_thread(self._watch_failed, exc)

    def _roots_changed(self) -> None:
        if self.app.screen is self:
            self.refresh_figures(relist=True)
        else:
            self._stale = True

    def _watch_failed(self, exc: Exception) -> None:
        # Too many folders for the system's watch limit, a root gone: the list stays usable
        # and F5 still reads everything again.
        key = self._keys.get("home.refresh", "f5").split(",")[0]
        self.notify(
            _("live updates are off ({exc}); {key} reads every batch again").format(
                exc=exc, key=key
            ),
            severity="warning",
            timeout=15,
            markup=False,
        )

    # -- actions ---------------------------------------------------------------------------
    def _chosen(self) -> HomeEntry | None:
        listing = self.query_one(BatchRows)
        if not 0 <= listing.cursor < len(self.entries):
            return None
        return self.entries[listing.cursor]

    def action_cursor(self, action: str) -> None:
        getattr(self.query_one(BatchRows), f"action_{action}")()

    def action_open(self) -> None:
        entry = self._chosen()
        opener: Any = getattr(self.app, "open_batch", None)
        if entry is not None and opener is not None:
            opener(entry.folder)

    def action_audit(self) -> None:
        entry = self._chosen()
        opener: Any = getattr(self.app, "open_audit", None)
        if entry is not None and opener is not None:
            opener(entry.folder)
