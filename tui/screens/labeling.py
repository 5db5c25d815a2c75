"""The labeling screen: one item, its labels and keys, position, and saving.

Keys are Textual bindings built from the effective keymap (ItemScreen): this screen's
actions are the app.* ids, the task type's ids go to its view. Saving goes through
LabelingSession, which fsyncs every answer before the next item is shown.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Static

from tui.core.jsonl_store import StoreGoneError
from tui.core.keymap import Keymap
from tui.core.problems import BatchError
from tui.core.records import Flag
from tui.core.session import LabelingSession, SubmitRefusedError
from tui.screens.flag import FlagScreen
from tui.screens.item_screen import ItemScreen
from tui.task_view import Refusal, ViewContext
from tui.widgets.line import Line
from tui.widgets.task_text import literal_text

APP_HINTS = (
    "app.skip",
    "app.undo",
    "app.back",
    "app.flag",
    "app.guidelines",
    "app.help",
    "app.quit",
)


class LabelingScreen(ItemScreen):
    DEFAULT_CSS = """
    LabelingScreen > #kpi { height: 1; margin: 0 1; color: $text-muted; }
    """

    def __init__(
        self,
        session: LabelingSession,
        keymap: Keymap,
        from_picker: bool = False,
        viewer_commands: dict[str, str] | None = None,
    ) -> None:
        super().__init__(keymap)
        self.viewer_commands = viewer_commands or {}
        self.from_picker = from_picker
        self.session = session
        self.bind_keys(keymap.contexts)
        self.revealed: set[int] = set()
        self._discard_armed: tuple[str, int] | None = None
        self._tasks_change_said = ""
        self._guidelines_seen = session.batch.guidelines_sha256
        # A flag given before the answer: (item position, flag), saved with the answer.
        self._pending_flag: tuple[int, Flag] | None = None
        self.validation_summary = ""
        self._showing_done = False
        self.audit_text = ""
        self._ticker: Timer | None = None

    # -- layout ----------------------------------------------------------------------------
    def compose_info(self) -> ComposeResult:
        yield Line(id="kpi")

    def on_mount(self) -> None:
        self.show_current()
        # The first item is painted before the workers start: their imports (watchfiles,
        # anyio, the audit reader) and threads would hold it back.
        self.call_after_refresh(self._start_workers)

    def _start_workers(self) -> None:
        self._complete_index()
        self._watch_tasks()
        self._load_own_audits()
        # The live figures show idle/paused and a moving ETA even when no key is pressed.
        self._ticker = self.set_interval(1.0, self._tick)
        if not self.is_active:
            self._ticker.pause()
        # Guidelines rendered once, in a thread, after the first item is up (Ctrl+g: at once).
        self.set_timer(0.5, self._warm_guidelines)

    def on_screen_suspend(self) -> None:
        # Under an overlay nothing here is seen, and any message this screen handles then
        # makes Textual repaint the whole overlay (~11 KB at 80x24 each second, measured):
        # the clock stops until the screen is back on top.
        if self._ticker is not None:
            self._ticker.pause()

    def on_screen_resume(self) -> None:
        if self._ticker is not None:
            self._ticker.resume()
        self.refresh_around_item()

    def _tick(self) -> None:
        if self.is_active:
            self.refresh_progress()
        batch = self.session.batch
        batch.refresh_guidelines()  # a stat; the file is hashed only when it changed
        if batch.guidelines_sha256 != self._guidelines_seen:
            self._guidelines_seen = batch.guidelines_sha256
            keys = self.keymap.display("app.guidelines", 1)
            self.notify(
                f"the guidelines changed while you work: {keys} shows them; answers from now "
                "on record the new version",
                severity="warning",
                timeout=20,
                markup=False,
            )

    def _warm_guidelines(self) -> None:
        from tui.screens.guidelines import warm_guidelines

        warm_guidelines(self, self.session.batch.guidelines_path)

    # -- workers ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _complete_index(self) -> None:
        batch = self.session.batch
        try:
            batch.index_rest()
            self.app.call_from_thread(self._indexed)
            problems, invalid = batch.validate_all()
        except OSError as exc:
            # The tasks file went away or became unreadable: labeling what is indexed goes on.
            message = f"cannot read {batch.tasks_path}: {exc.strerror or exc}"
            self.app.call_from_thread(
                self.notify, message, severity="error", timeout=15, markup=False
            )
            return
        errors = [p for p in problems if p.severity == "error"]
        self.app.call_from_thread(self._validated, invalid, len(errors))

    @work(thread=True, exclusive=True, group="own-audits", exit_on_error=False)
    def _load_own_audits(self) -> None:
        """The audit pass rate of one's own work, for the KPI line (audits/ may be big)."""
        from tui.core.audit import own_audit_summary

        s = self.session
        if not s.batch.audits_dir.is_dir():
            return
        try:
            summary = own_audit_summary(s.batch.folder, s.store.annotator)
        except (BatchError, OSError, ValueError):
            return  # the KPI line simply shows no audit figure; F7 says why
        if summary.counts.audited:
            rate = summary.pass_rate
            shown = "n/a" if rate is None else f"{rate * 100:.0f}%"
            text = f"audits {shown} pass ({summary.counts.audited})"
            self.app.call_from_thread(self._set_audit_text, text)

    def _set_audit_text(self, text: str) -> None:
        self.audit_text = text
        self.refresh_progress()

    def _indexed(self) -> None:
        if self._showing_done and not self.session.done:
            # Lines indexed since the "all answered" screen was drawn: go on labeling.
            self.session.resume()
            self.show_current()
        self.refresh_progress()

    def _validated(self, invalid: set[int], errors: int) -> None:
        self.session.invalid = invalid
        if errors:
            self.validation_summary = f"{errors} invalid line(s): labeldesk validate lists them"
            self.notify(self.validation_summary, severity="warning", timeout=6, markup=False)
        if not self.session.done and self.session.position in invalid:
            self.show_current(keep_status=True)
        self.refresh_progress()

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def _watch_tasks(self) -> None:
        """tasks.jsonl may grow while open: index new lines as they arrive."""
        from watchfiles import awatch

        batch = self.session.batch
        async for _changes in awatch(batch.tasks_path, debounce=200, recursive=False):
            was_done = self.session.done
            await asyncio.to_thread(batch.index.scan)
            change = batch.tasks_changed()
            if change is not None and str(change) != self._tasks_change_said:
                # Replaced or rewritten, not grown: said once, and it stays on screen a while.
                self._tasks_change_said = str(change)
                self.notify(str(change), severity="warning", timeout=30, markup=False)
            if was_done and not self.session.done:
                self.session.resume()
                self.show_current()
            self.refresh_progress()

    # -- rendering -------------------------------------------------------------------------
    def refresh_progress(self) -> None:
        s = self.session
        batch = s.batch
        title = batch.config.title or batch.id
        header = Text()
        header.append(literal_text(title, style="bold"))
        header.append(f"  ·  {batch.task_type.name}  ·  {s.store.annotator}", style="")
        self.query_one("#header", Line).set(header)
        total = f"{s.total}" if batch.fully_indexed else f"{s.total}+ (indexing…)"
        where = "all done" if s.done else f"item {s.position + 1} of {total}"
        line = f"{where}  ·  {s.remaining()} remaining"
        if self.validation_summary:
            line += f"  ·  {self.validation_summary}"
        self.query_one("#progress", Line).set(Text(line))
        from tui.core.kpi.live import format_live  # after the first item (start-up)

        figures = s.live_figures()
        width = max(20, self.size.width - 2)
        live = format_live(figures, width - (len(self.audit_text) + 3 if self.audit_text else 0))
        kpi = Text(live + (f" · {self.audit_text}" if self.audit_text else ""))
        if figures.state != "active":
            kpi.stylize("bold yellow")
        self.query_one("#kpi", Line).set(kpi)

    def fit_info_lines(self) -> None:
        self.refresh_progress()

    def _may_leave(self, action: str) -> bool:
        """A changed draft is never thrown away by one key: the first press says so, the
        same key again on this item goes on."""
        view = self.view
        if (
            view is None
            or not view.draft_changed
            or self._discard_armed == (action, self._shown_seq)
        ):
            return True
        self._discard_armed = (action, self._shown_seq)
        again = self.keymap.display(f"app.{action}", 1)
        save = self.keymap.display("app.submit", 1)
        self.set_status(
            f"your changes to this item are not saved: {again} again throws them away, "
            f"{save} saves",
            error=True,
        )
        return False

    def _hide_sensitive(self, index: int) -> bool:
        s = self.session
        if index in self.revealed:
            return False
        if s.batch.config.sensitive:
            return True
        item = s.current()
        meta = item.raw.get("meta") if item.raw else None
        return isinstance(meta, dict) and bool(meta.get("sensitive"))

    def show_current(self, keep_status: bool = False) -> None:
        s = self.session
        placeholder: Static | None = None
        ctx: ViewContext | None = None
        if s.done:
            msg = (
                f"All {s.total} items are answered.\n\n"
                f"{self.keymap.display('app.back')} goes back to change an answer; "
                f"{self.keymap.display('app.quit')} quits — every answer is saved."
            )
            placeholder = Static(msg, classes="notice")
        else:
            item = s.current()
            if not s.current_valid():
                lines = Text("This item is invalid and cannot be labeled:\n", style="bold red")
                folder = f"{s.batch.folder}/"
                for p in item.problems or []:
                    lines.append(literal_text(str(p).replace(folder, "", 1)) + "\n")
                if not item.problems:
                    lines.append("its task id repeats an earlier one (see labeldesk validate)\n")
                lines.append(f"\nPress {self.keymap.display('app.skip')} to skip it.", style="bold")
                placeholder = Static(lines, classes="problem")
            elif self._hide_sensitive(s.position):
                placeholder = Static(
                    f"Sensitive content hidden. Press {self.keymap.display('app.reveal')} "
                    "to reveal it.",
                    classes="notice",
                )
            else:
                assert item.task is not None
                ctx = ViewContext(
                    task_type=s.batch.task_type,
                    options=s.batch.options,
                    task=item.task,
                    previous=s.previous_value(),
                    keymap=self.keymap,
                    batch_dir=s.batch.folder,
                    annotator=s.store.annotator,
                    viewer_commands=self.viewer_commands,
                    previous_answer=s.previous_answer(),
                )
        self._showing_done = s.done
        if not keep_status:
            self.query_one("#status", Line).set(self._status)
        # Reusing the view avoids a remove-and-mount, which costs frames on every answer.
        if ctx is not None and self.view is not None and self.view.reload(ctx):
            self.put_item(None, ctx.task.id)
        else:
            self.view = None
            if ctx is not None:
                self.view = self.session.batch.task_type.view_class()(ctx)
            self.put_item(self.view or placeholder, ctx.task.id if ctx is not None else None)
        # The position, KPI and key lines follow the item (they never hold back its paint).
        self.refresh_around_item()

    def hint_ids(self) -> list[str]:
        s = self.session
        if self.view is None and not s.done and s.current_valid():
            # A hidden sensitive item: the key that shows it comes first.
            return ["app.reveal", *APP_HINTS]
        return super().hint_ids() + list(APP_HINTS)

    def no_view_reason(self) -> str:
        s = self.session
        if s.done:
            return f"every item is answered: {self.keymap.display('app.back', 1)} goes back"
        if not s.current_valid():
            return f"this item is invalid: {self.keymap.display('app.skip', 1)} skips it"
        return f"the item is hidden: {self.keymap.display('app.reveal', 1)} reveals it first"

    def action_submit(self) -> None:
        if self.view is None:
            self.set_status("nothing to submit here", error=True)
            return
        result = self.view.submit_value()
        if isinstance(result, Refusal):
            self.set_status(str(result), error=True)
            return
        answer, value = result
        self.save(answer, value)

    def receive_answer(self, task_id: str, answer: str, value: dict[str, Any] | None) -> None:
        # An answer built for another item than the one now current is never saved there.
        s = self.session
        if task_id and (s.done or s.current().task_id != task_id):
            self.set_status("that key was meant for the previous item: not saved", error=True)
            return
        self.save(answer, value)

    def save(
        self, answer: str, value: dict[str, Any] | None = None, flag: Flag | None = None
    ) -> None:
        s = self.session
        if s.done:
            self.set_status("every item is answered", error=True)
            return
        task_id = s.current().task_id
        pending = self._take_pending_flag()
        if flag is None and pending is not None:
            flag = pending
            if answer == "skip":
                answer = "flag"  # a flag with no answer
        shown_ms = None
        if self.keys_ready and self.painted_task_id == task_id:
            shown_ms = round((time.monotonic() - self.painted_at) * 1000)
        try:
            record = s.submit(answer, value, flag, shown_ms)  # type: ignore[arg-type]
        except SubmitRefusedError as exc:
            self._pending_flag = (s.position, pending) if pending is not None else None
            self.set_status(f"not saved: {exc}", error=True)
            return
        except StoreGoneError as exc:
            self._pending_flag = (s.position, pending) if pending is not None else None
            # The results file was removed or replaced: pressing again cannot help; the
            # answers are kept in memory and written to the rescue folder on quit.
            self.set_status(f"{exc} · quit: your answers are rescued", error=True)
            return
        except OSError as exc:
            self._pending_flag = (s.position, pending) if pending is not None else None
            self.set_status(
                f"NOT SAVED ({exc.strerror or exc}): fix the disk and press again", error=True
            )
            return
        flagged = f", ⚑ {record.flag.reason}" if record.flag is not None else ""
        self.set_status(f"✓ saved {task_id} ({record.answer}{flagged}, revision {record.revision})")
        self.show_current(keep_status=True)

    def action_skip(self) -> None:
        if self._may_leave("skip"):
            self.save("skip")

    def action_undo(self) -> None:
        if not self._may_leave("undo"):
            return
        try:
            record = self.session.undo()
        except StoreGoneError as exc:
            self.set_status(f"undo {exc}", error=True)
            return
        except OSError as exc:
            self.set_status(f"undo NOT saved ({exc.strerror or exc})", error=True)
            return
        if record is None:
            self.set_status("nothing to undo in this session", error=True)
            return
        if record.answer == "undone":
            self.set_status(f"↶ undone {record.task_id}: answer it again")
        else:
            self.set_status(f"↶ {record.task_id} is back to your earlier answer ({record.answer})")
        self.show_current(keep_status=True)

    def action_back(self) -> None:
        if not self._may_leave("back"):
            return
        if self.session.back():
            self.show_current()
        else:
            self.set_status("this is the first item", error=True)

    def action_forward(self) -> None:
        if not self._may_leave("forward"):
            return
        if self.session.forward():
            self.show_current()
        else:
            self.set_status("answer this item first (or skip it)", error=True)

    def action_flag(self) -> None:
        """A flag goes with an answer (Prodigy keeps both): on an answered item it is added
        to that answer at once; before answering it waits for the answer, and Space then
        saves it alone."""
        if self.session.done:
            self.set_status("every item is answered: go back to the item to flag", error=True)
            return
        position = self.session.position

        def flagged(flag: Flag | None) -> None:
            s = self.session
            if flag is None or s.done or s.position != position:
                return
            latest = s.store.latest.get(s.current().task_id)
            answer = latest.get("answer") if latest else None
            if latest is not None and answer in ("accept", "reject"):
                value = latest.get("value")
                self.save(answer, value if isinstance(value, dict) else None, flag)
                return
            self._pending_flag = (position, flag)
            skip = self.keymap.display("app.skip", 1)
            self.set_status(
                f"⚑ {flag.reason} noted: answer as usual to save both, or {skip} to save the flag alone"
            )

        self.app.push_screen(FlagScreen(self.keymap), flagged)

    def _take_pending_flag(self) -> Flag | None:
        pending, self._pending_flag = self._pending_flag, None
        if pending is not None and pending[0] == self.session.position:
            return pending[1]
        return None

    def guidelines_file(self) -> Path | None:
        return self.session.batch.guidelines_path

    def action_summary(self) -> None:
        from tui.screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.session))

    def action_stats(self) -> None:
        from tui.screens.summary import StatsScreen

        batch = self.session.batch
        self.app.push_screen(StatsScreen(batch.folder, batch.config.min_seconds))

    def action_my_audits(self) -> None:
        from tui.screens.my_audits import MyAuditsScreen

        s = self.session
        self.app.push_screen(MyAuditsScreen(s.batch.folder, s.store.annotator))

    def action_reveal(self) -> None:
        if not self.session.done:
            self.revealed.add(self.session.position)
            self.show_current()

    def action_quit(self) -> None:
        if self.from_picker:
            # Back to the list of batches: this batch's results file is released.
            self.workers.cancel_all()
            close = getattr(self.app, "close_session", None)
            if close is not None:
                close()
            self.app.pop_screen()
            return
        self.app.exit()
