"""The labeling screen: one item, its labels and keys, position, and saving.

Keys are Textual bindings built from the effective keymap (ItemScreen): this screen's
actions are the app.* ids, the task type's ids go to its view. Saving goes through
LabelingSession, which fsyncs every answer before the next item is shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from tui.core.i18n import _, ngettext
from tui.core.jsonl_store import StoreGoneError
from tui.core.keymap import Keymap
from tui.core.meta_line import meta_line
from tui.core.problems import BatchError
from tui.core.records import Flag, answer_kind_name, flag_reason_name
from tui.core.safe_text import visible
from tui.core.session import LabelingSession, SubmitRefusedError
from tui.screens.item_screen import ItemScreen
from tui.task_view import Refusal, ViewContext
from tui.widgets.line import Line
from tui.widgets.task_text import literal_text

if TYPE_CHECKING:
    from tui.core.team.link import TeamLink

T = TypeVar("T")


class _UiGone(Exception):
    """The app ended while the team worker waited for the UI thread."""


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
        from_list: bool = False,
        viewer_commands: dict[str, str] | None = None,
    ) -> None:
        super().__init__(keymap)
        self.viewer_commands = viewer_commands or {}
        self.from_list = from_list
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
        # The history panel: the filter last used, and task id -> item position as learnt.
        self._history_filter = "all"
        self._positions: dict[str, int] = {}
        # Team mode (issue 12): the link to the coordinator, made by the team worker.
        self.team: TeamLink | None = None
        self._team_problem = ""
        self._team_record_said = 0  # problems of the record of claims held, notified so far
        self._team_wake = threading.Event()
        self._ticker: Timer | None = None
        self._first_item_id: str | None = None

    # -- layout ----------------------------------------------------------------------------
    def compose_info(self) -> ComposeResult:
        yield Line(id="kpi")

    def on_mount(self) -> None:
        # The first item was composed with the screen (first_item): painted in its first
        # frame, and keys wait for that as for every item.
        self.item_composed(self._first_item_id)
        self.refresh_around_item()
        # The first item is painted before the workers start: their imports (watchfiles,
        # anyio, the audit reader) and threads would hold it back.
        self.call_after_refresh(self._start_workers)

    def _start_workers(self) -> None:
        self._complete_index()
        self._watch_tasks()
        self._load_own_audits()
        if self.session.team_mode:
            self._team_worker()
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
                _(
                    "the guidelines changed while you work: {keys} shows them; answers from now on record the new version"
                ).format(keys=keys),
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
            message = _("cannot read {tasks_path}: {exc}").format(
                tasks_path=batch.tasks_path, exc=exc.strerror or exc
            )
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
            text = _("audits {shown} pass ({audited})").format(
                shown=shown, audited=summary.counts.audited
            )
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
            self.validation_summary = _(
                "{errors} invalid line(s): labeldesk validate lists them"
            ).format(errors=errors)
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
        total = (
            f"{s.total}" if batch.fully_indexed else _("{total}+ (indexing…)").format(total=s.total)
        )
        if s.team_mode:
            line = self._team_progress()
        else:
            where = (
                _("all done")
                if s.done
                else _("item {position} of {total}").format(position=s.position + 1, total=total)
            )
            line = _("{where}  ·  {remaining} remaining").format(
                where=where, remaining=s.remaining()
            )
        if self.validation_summary:
            line += f"  ·  {self.validation_summary}"
        self.query_one("#progress", Line).set(self._with_meta(line))
        from tui.core.kpi.live import format_live  # after the first item (start-up)

        figures = s.live_figures()
        width = max(20, self.size.width - 2)
        shown_after = len(self.audit_text) + 3 if self.audit_text else 0
        live = format_live(figures, width - shown_after - (22 if self._gold_on else 0))
        gold = self.gold_text()
        extra = " · ".join(t for t in (self.audit_text, gold) if t)
        kpi = Text(live + (f" · {extra}" if extra else ""))
        if figures.state != "active":
            kpi.stylize("bold yellow")
        self.query_one("#kpi", Line).set(kpi)

    def _team_progress(self) -> str:
        from tui.core.team.status_text import header_text

        s, link = self.session, self.team
        queue = len(link.queue) if link is not None else 0
        where = _("waiting") if s.done else _("item {position}").format(position=s.position + 1)
        line = f"{where} · {header_text(link.status if link else None, queue)}"
        note = link.note() if link is not None else None
        if note:
            line += f" · {note}"
        if self._team_problem and link is not None:
            line += f" · {self._team_problem}"
        return line

    def _with_meta(self, line: str) -> Text:
        """The progress line with the item's meta at its right end (the card's corner), cut
        to the width; the position always stays whole."""
        progress = Text(line)
        meta = self._meta_text()
        room = self.size.width - 2 - progress.cell_len - 3
        if meta and room >= 8:
            corner = Text(meta, style="dim")
            corner.truncate(room, overflow="ellipsis")
            progress.append(" " * (self.size.width - 2 - progress.cell_len - corner.cell_len))
            progress.append_text(corner)
        return progress

    def _meta_text(self) -> str:
        s = self.session
        if s.done or not s.current_valid() or self._hide_sensitive(s.position):
            return ""
        raw = s.current().raw
        return meta_line(raw.get("meta") if raw else None, s.batch.config.show_meta)

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
            _(
                "your changes to this item are not saved: {again} again throws them away, {save} saves"
            ).format(again=again, save=save),
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

    def _current_item(self) -> tuple[Static | None, ViewContext | None]:
        """What shows the current item: a notice (all done, invalid, hidden, team waiting)
        or the context for the task type's view."""
        s = self.session
        placeholder: Static | None = None
        ctx: ViewContext | None = None
        if s.done and s.team_mode:
            placeholder = Static(self._team_waiting_text(), classes="notice")
        elif s.done:
            msg = _(
                "All {total} items are answered.\n\n{key} goes back to change an answer; {key2} quits — every answer is saved."
            ).format(
                total=s.total,
                key=self.keymap.display("app.back"),
                key2=self.keymap.display("app.quit"),
            )
            placeholder = Static(msg, classes="notice")
        else:
            item = s.current()
            if not s.current_valid():
                lines = Text(_("This item is invalid and cannot be labeled:\n"), style="bold red")
                folder = f"{s.batch.folder}/"
                for p in item.problems or []:
                    lines.append(literal_text(str(p).replace(folder, "", 1)) + "\n")
                if not item.problems:
                    lines.append(_("its task id repeats an earlier one (see labeldesk validate)\n"))
                lines.append(
                    _("\nPress {key} to skip it.").format(key=self.keymap.display("app.skip")),
                    style="bold",
                )
                placeholder = Static(lines, classes="problem")
            elif self._hide_sensitive(s.position):
                placeholder = Static(
                    _("Sensitive content hidden. Press {key} to reveal it.").format(
                        key=self.keymap.display("app.reveal")
                    ),
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
        return placeholder, ctx

    def first_item(self) -> list[Widget]:
        # Composed with the screen: its first frame has the item (no frame of an empty
        # frame, no second layout before the item can show).
        placeholder, ctx = self._current_item()
        self._showing_done = self.session.done
        if ctx is not None:
            self.view = self.session.batch.task_type.view_class()(ctx)
            self.view.submit_handler = self.receive_answer
            self._first_item_id = ctx.task.id
            return [self.view]
        return [placeholder] if placeholder is not None else []

    def show_current(self, keep_status: bool = False) -> None:
        s = self.session
        placeholder, ctx = self._current_item()
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

    # How far ahead an answer's next item is looked for (answered items are skipped).
    PREFETCH_LOOKAHEAD = 64

    def prefetch_next(self) -> None:
        """The item an answer here leads to, as submit() picks it (the next unanswered one
        after this), handed to the view to paint ahead. Nothing changes in the session; only
        items the view would show as they are (valid, not hidden) are worked out."""
        s = self.session
        view = self.view
        if view is None or s.done or s.team_mode or not s.current_valid():
            return
        index, limit = s.position + 1, min(s.total, s.position + 1 + self.PREFETCH_LOOKAHEAD)
        while index < limit and s.is_answered_at(index):
            index += 1
        if index >= limit or index in s.invalid or s.batch.config.sensitive:
            return
        try:
            item = s.batch.item(index)
        except OSError:
            return  # the file cannot be read now: the answer's own read will say so
        if item.task is None or not item.valid:
            return
        meta = item.raw.get("meta") if item.raw else None
        if isinstance(meta, dict) and meta.get("sensitive"):
            return
        view.prefetch(
            ViewContext(
                task_type=s.batch.task_type,
                options=s.batch.options,
                task=item.task,
                previous=None,
                keymap=self.keymap,
                batch_dir=s.batch.folder,
                annotator=s.store.annotator,
                viewer_commands=self.viewer_commands,
                previous_answer=None,
            )
        )

    def hint_ids(self) -> list[str]:
        s = self.session
        if self.view is None and not s.done and s.current_valid():
            # A hidden sensitive item: the key that shows it comes first.
            return ["app.reveal", *APP_HINTS]
        return super().hint_ids() + list(APP_HINTS)

    def no_view_reason(self) -> str:
        s = self.session
        if s.done:
            return _("every item is answered: {key} goes back").format(
                key=self.keymap.display("app.back", 1)
            )
        if not s.current_valid():
            return _("this item is invalid: {key} skips it").format(
                key=self.keymap.display("app.skip", 1)
            )
        return _("the item is hidden: {key} reveals it first").format(
            key=self.keymap.display("app.reveal", 1)
        )

    def action_submit(self) -> None:
        if self.view is None:
            self.set_status(_("nothing to submit here"), error=True)
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
            self.set_status(_("that key was meant for the previous item: not saved"), error=True)
            return
        self.save(answer, value)

    def save(
        self, answer: str, value: dict[str, Any] | None = None, flag: Flag | None = None
    ) -> None:
        s = self.session
        if s.done:
            self.set_status(_("every item is answered"), error=True)
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
            self.set_status(_("not saved: {exc}").format(exc=exc), error=True)
            return
        except StoreGoneError:
            self._pending_flag = (s.position, pending) if pending is not None else None
            # The results file was removed or replaced: pressing again cannot help; the
            # answers are kept in memory, for F8 (a file the annotator names) or, on quit,
            # the rescue folder.
            # The status line keeps the remedy within 80 columns; F8's dialog names the file.
            self.set_status(
                _(
                    "NOT SAVED: the results file is gone · {key} writes your answers to a file"
                ).format(key=self.keymap.display("app.rescue", 1)),
                error=True,
            )
            return
        except OSError as exc:
            self._pending_flag = (s.position, pending) if pending is not None else None
            self.set_status(
                _("NOT SAVED ({exc}): fix the disk and press again").format(
                    exc=exc.strerror or exc
                ),
                error=True,
            )
            return
        if s.team_mode:
            self._team_wake.set()  # the worker refills the queue now, not in half a second
        flagged = f", ⚑ {flag_reason_name(record.flag.reason)}" if record.flag is not None else ""
        self.set_status(
            _("✓ saved {task_id} ({answer}{flagged}, revision {revision})").format(
                task_id=task_id,
                answer=answer_kind_name(record.answer),
                flagged=flagged,
                revision=record.revision,
            )
        )
        if record.gold_correct is not None and self._gold_on:
            self._show_gold_feedback(record.task_id, value, record.gold_correct)
            return
        self.show_current(keep_status=True)

    def _show_gold_feedback(
        self, task_id: str, value: dict[str, Any] | None, correct: bool
    ) -> None:
        """Gold training: the expected answer before the next item (it is saved already)."""
        from tui.core.gold_feedback import gold_feedback
        from tui.screens.gold_feedback import GoldFeedbackScreen

        s = self.session
        item = s.last_answered
        gold = item.task.gold if item is not None and item.task is not None else None
        if gold is None:
            self.show_current(keep_status=True)
            return
        feedback = gold_feedback(s.batch.task_type, task_id, value, gold, correct)
        screen = GoldFeedbackScreen(feedback, self.keymap, self.gold_text())
        self.app.push_screen(screen, lambda _: self.show_current(keep_status=True))

    @property
    def _gold_on(self) -> bool:
        s = self.session
        return s.batch.config.gold.feedback_for(s.store.annotator)

    def gold_text(self) -> str:
        """'gold 4/5 (80%)' over this session's latest answers, when gold training is on."""
        from tui.core.gold_feedback import gold_score

        s = self.session
        if not self._gold_on:
            return ""
        latest = {r.task_id: r.gold_correct for r in s.records}
        return gold_score(latest.values()).text

    def action_skip(self) -> None:
        if self._may_leave("skip"):
            self.save("skip")

    def action_undo(self) -> None:
        if not self._may_leave("undo"):
            return
        try:
            record = self.session.undo()
        except StoreGoneError as exc:
            self.set_status(_("undo {exc}").format(exc=exc), error=True)
            return
        except OSError as exc:
            self.set_status(_("undo NOT saved ({exc})").format(exc=exc.strerror or exc), error=True)
            return
        if record is None:
            self.set_status(_("nothing to undo in this session"), error=True)
            return
        if record.answer == "undone":
            self.set_status(_("↶ undone {task_id}: answer it again").format(task_id=record.task_id))
        else:
            self.set_status(
                _("↶ {task_id} is back to your earlier answer ({answer})").format(
                    task_id=record.task_id, answer=answer_kind_name(record.answer)
                )
            )
        self.show_current(keep_status=True)

    def action_back(self) -> None:
        if not self._may_leave("back"):
            return
        if self.session.back():
            self.show_current()
        else:
            self.set_status(_("this is the first item"), error=True)

    def action_forward(self) -> None:
        if not self._may_leave("forward"):
            return
        if self.session.forward():
            self.show_current()
        else:
            self.set_status(_("answer this item first (or skip it)"), error=True)

    def action_flag(self) -> None:
        """A flag goes with an answer (Prodigy keeps both): on an answered item it is added
        to that answer at once; before answering it waits for the answer, and Space then
        saves it alone."""
        if self.session.done:
            self.set_status(_("every item is answered: go back to the item to flag"), error=True)
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
                _(
                    "⚑ {reason} noted: answer as usual to save both, or {skip} to save the flag alone"
                ).format(reason=flag_reason_name(flag.reason), skip=skip)
            )

        from tui.screens.flag import FlagScreen  # on first use, as the other overlays

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

        self.app.push_screen(SummaryScreen(self.session, self.close_keys_of("overlay.close")))

    def action_stats(self) -> None:
        from tui.screens.summary import StatsScreen

        batch = self.session.batch
        team = self.team.status if self.team is not None else None
        close = self.close_keys_of("overlay.close")
        self.app.push_screen(StatsScreen(batch.folder, batch.config.min_seconds, team, close))

    def action_my_audits(self) -> None:
        from tui.screens.my_audits import MyAuditsScreen

        s = self.session
        close = self.close_keys_of("my_audits.close")
        self.app.push_screen(MyAuditsScreen(s.batch.folder, s.store.annotator, close))

    def action_rescue(self) -> None:
        """Answers that are in no results file: write them to a file the annotator names."""
        from tui.core.rescue import default_rescue_path
        from tui.screens.rescue import RescueScreen

        s = self.session
        if not s.lost_lines():
            self.set_status(
                _("every answer of this session is in the results file: nothing to rescue")
            )
            return

        def written(result: tuple[Path, int] | None) -> None:
            if result is None:
                return
            path, count = result
            self.set_status(
                ngettext(
                    "{count} answer written to {path}: hand that file to whoever runs the batch",
                    "{count} answers written to {path}: hand that file to whoever runs the batch",
                    count,
                ).format(count=count, path=path)
            )

        default = default_rescue_path(s.batch.id, s.store.annotator)
        self.app.push_screen(RescueScreen(s, self.keymap, default), written)

    def action_history(self) -> None:
        from tui.core.history import my_history
        from tui.screens.history import HistoryScreen

        if not self._may_leave("history"):
            return
        s = self.session
        batch = s.batch
        rows = my_history(s.store.latest, batch.task_type.summarize)
        if not s.done:
            self._positions[s.current().task_id] = s.position
        screen = HistoryScreen(
            rows,
            total=s.total,
            current_task=None if s.done else s.current().task_id,
            known_positions=self._positions,
            task_ids=lambda: (batch.task_id_at(i) for i in range(len(batch))),
            audit_failed=self._audit_failed_ids,
            keymap=self.keymap,
            start_filter=self._history_filter,
        )

        def chosen(index: int | None) -> None:
            self._history_filter = screen.filter
            self._positions.update(screen.positions)
            if index is not None and self.session.jump(index):
                self.show_current()

        self.app.push_screen(screen, chosen)

    def _audit_failed_ids(self) -> set[str]:
        """Task ids of my answers an auditor failed or corrected (read in a worker)."""
        from tui.core.audit import own_audit_summary

        s = self.session
        if not s.batch.audits_dir.is_dir():
            return set()
        try:
            summary = own_audit_summary(s.batch.folder, s.store.annotator)
        except (BatchError, OSError, ValueError):
            return set()
        return {finding.task_id for finding in summary.findings}

    def action_reveal(self) -> None:
        if not self.session.done:
            self.revealed.add(self.session.position)
            self.show_current()

    # -- team mode -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="team")
    def _team_worker(self) -> None:
        """Open the team (plan, ledger or database), then keep the queue fed: claims taken
        ahead, renewed while the annotator is active, answers passed on. Never on a key's
        path: the session only reads the queue."""
        from textual.worker import get_current_worker

        from tui.core.team.engine import open_team
        from tui.core.team.link import TeamLink

        s, worker = self.session, get_current_worker()
        me = s.store.annotator
        try:
            link = TeamLink(open_team(s.batch, me), me)
        except Exception as exc:  # any failure is said on screen; the app must not die of it
            problems = getattr(exc, "problems", None) or [exc]
            text = "\n".join(f"  {visible(str(p))}" for p in problems)
            self._on_ui(lambda: self._team_failed(text))
            return
        if not self._on_ui(lambda: self._team_opened(link)):
            link.close()
            return
        while not worker.is_cancelled and not link.closed:
            try:
                shown = self._on_ui(self._shown_task)
                arrived = link.step(self._on_ui, active=not s.clock.idle, shown=shown)
            except _UiGone:
                break
            except Exception as exc:  # said in the header; the app goes on
                # A network or disk hiccup: the queue keeps what it holds; try again soon.
                self._team_problem = _("team: {exc}").format(exc=exc)
                arrived = False
            else:
                self._team_problem = ""
            try:
                self._on_ui(self._claims_in if arrived else self.refresh_progress)
                if len(getattr(link.coordinator, "record_problems", ())) > self._team_record_said:
                    self._on_ui(self._record_problems_said)
            except _UiGone:
                break
            self._team_wake.wait(0.5)
            self._team_wake.clear()

    def _on_ui(self, call: Callable[[], T]) -> T:
        """Run `call` on the UI thread (from the team worker); _UiGone once the app ends."""
        try:
            return self.app.call_from_thread(call)
        except RuntimeError as exc:
            raise _UiGone from exc

    def _shown_task(self) -> str | None:
        return None if self.session.done else self.session.current().task_id

    def _team_opened(self, link: TeamLink) -> bool:
        if not self.is_attached:
            return False
        self.team = link
        self.session.team = link.queue
        self._claims_in()
        self._record_problems_said()
        return True

    def _record_problems_said(self) -> None:
        """The record of claims held (PostgreSQL) could not be read or written: each problem
        said once; the session goes on (only the offline start is lost, never an answer)."""
        problems = list(getattr(self.team.coordinator, "record_problems", [])) if self.team else []
        for problem in problems[self._team_record_said :]:
            self.notify(visible(str(problem)), severity="warning", timeout=30, markup=False)
        self._team_record_said = len(problems)

    def _team_failed(self, text: str) -> None:
        self._team_problem = _("team mode could not start:\n") + text
        self.show_current()

    def _claims_in(self) -> None:
        if self.session.claims_arrived():
            self.show_current()
        elif self.session.done:
            self.show_current(keep_status=True)  # the waiting text changed
        self.refresh_progress()

    def _team_waiting_text(self) -> str:
        quit_key = self.keymap.display("app.quit", 1)
        if self._team_problem and self.team is None:
            return _("{team_problem}\n\n{quit_key} quits.").format(
                team_problem=self._team_problem, quit_key=quit_key
            )
        if self.team is None:
            return _("Opening the team's plan and taking your first items…")
        if self.team.offline():
            return _(
                "The team's server cannot be reached: new items come once it is back, and every answer saved here is sent then.\n\nF3 lists your answers; {quit_key} quits — every answer is saved."
            ).format(quit_key=quit_key)
        status = self.team.status
        if status is not None and status.pool_left == 0:
            held = status.live_claims
            return ngettext(
                "Nothing left for you in this batch right now: every task has its annotators or is held by a colleague ({held} live claim). Items come back here when a colleague's claim runs out.\n\nF3 lists your answers; {quit_key} quits — every answer is saved.",
                "Nothing left for you in this batch right now: every task has its annotators or is held by a colleague ({held} live claims). Items come back here when a colleague's claim runs out.\n\nF3 lists your answers; {quit_key} quits — every answer is saved.",
                held,
            ).format(held=held, quit_key=quit_key)
        return _("Taking claims from the team…")

    def _close_team(self) -> None:
        """Give the claims back (on quit; after a crash they run out by themselves)."""
        link, self.team = self.team, None
        self._team_wake.set()
        if link is not None:
            try:
                link.close(lambda call: call())
            except Exception as exc:  # quitting goes on; the leases run out
                with contextlib.suppress(Exception):  # the app may be closing already
                    self.app.notify(
                        _("team: claims not released ({exc}); they run out by themselves").format(
                            exc=exc
                        )
                    )

    def on_unmount(self) -> None:
        self._close_team()

    def action_quit(self) -> None:
        # Everything answered is saved; a changed draft (typed text, toggled labels, marks)
        # is not an answer yet: the first Ctrl+q says so, the second quits without it.
        if not self._may_leave("quit"):
            return
        self._close_team()
        if self.from_list:
            # Back to the home screen's list of batches: this batch's results file is released.
            self.workers.cancel_all()
            close = getattr(self.app, "close_session", None)
            if close is not None:
                close()
            self.app.pop_screen()
            return
        self.app.exit()
