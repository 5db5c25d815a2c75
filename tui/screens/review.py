"""The base of the review screens (audit review, adjudication): one entry of a ReviewQueue
at a time, what the reviewer judges in the info line above the task type's own view, and a
decision on one key — or a correction made in that view (correct mode).

What both share lives here once: the review/correct modes and their bindings (audit.correct
opens the task's view in correct mode, app.submit saves the correction, audit.cancel leaves
it; while correcting only CORRECTING_IDS act), finding the task lines in a worker, when the
view can be shown (sensitive content stays hidden until revealed), navigation, and saving a
decision (a refusal or a disk error is said on the status line; the next entry is shown only
once the line is appended and fsynced). The subclasses say what is judged and how it is
decided (tui/screens/audit_review.py, tui/screens/adjudicate.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Generic, Literal, NamedTuple, TypeVar

from pydantic import ValidationError
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from tui.core.i18n import _
from tui.core.review_queue import REVIEW_APP_IDS, Decidable, ReviewQueue
from tui.screens.item_screen import ItemScreen
from tui.task_view import Refusal, TaskView, ViewContext
from tui.widgets.line import Line
from tui.widgets.task_text import literal_text

ReviewMode = Literal["review", "correct"]
EntryT = TypeVar("EntryT", bound=Decidable)
RecordT = TypeVar("RecordT")


class NavWords(NamedTuple):
    """What navigation says where it cannot go, and after a skip (in the screen's words)."""

    first: str
    last: str
    skipped: str
    nothing_to_skip: str


class ShownAnswer(NamedTuple):
    """The answer a view starts from: its value, whose it is, and its kind."""

    previous: dict[str, Any] | None
    annotator: str = ""
    previous_answer: str | None = None


class ReviewScreen(ItemScreen, Generic[EntryT, RecordT]):
    # The keymap contexts of the screen's own keys, before the task type's and app's.
    SCREEN_CONTEXTS: ClassVar[tuple[str, ...]] = ("audit",)
    # Bindings of those contexts that do not apply on this screen.
    NOT_HERE: ClassVar[frozenset[str]] = frozenset()
    # The id of the info line above the item (what is judged).
    INFO_ID: ClassVar[str] = "answer"
    # The key bar while reviewing (correct mode shows the view's keys).
    REVIEW_HINTS: ClassVar[tuple[str, ...]] = ()
    # While correcting, only these leave or look; other decision and navigation keys say so.
    CORRECTING_IDS = frozenset(
        {"app.submit", "audit.cancel", "app.help", "app.guidelines", "app.quit"}
        | {"audit.scroll_up", "audit.scroll_down", "app.interrupt"}
    )

    def __init__(self, session: ReviewQueue[EntryT, RecordT, Any]) -> None:
        super().__init__(session.keymap)
        self.session = session
        self.mode: ReviewMode = "review"
        self.revealed: set[int] = set()
        self._bind_mode()

    # -- what a review says (the subclasses) -------------------------------------------------
    def header_words(self) -> tuple[str, str]:
        """The header's badge, and what follows the batch title (task type, reviewer)."""
        raise NotImplementedError

    def progress_text(self) -> str:
        raise NotImplementedError

    def info_text(self, entry: EntryT) -> Text:
        """The info line: what is judged on this entry."""
        raise NotImplementedError

    def finished_text(self) -> str:
        """What stands in the item's place past the last entry."""
        raise NotImplementedError

    def back_and_quit_keys(self) -> dict[str, str]:
        """{key} and {key2} of the texts past the last entry: back, and quit."""
        return {"key": self.keymap.display("app.back"), "key2": self.keymap.display("app.quit")}

    def no_answer_text(self, entry: EntryT) -> str | None:
        """Why there is nothing to judge on this entry (before the task is looked at)."""
        return None

    def task_missing_text(self, entry: EntryT) -> str:
        """What to do when the entry's task is not in the tasks file."""
        raise NotImplementedError

    def shown_answer(self, entry: EntryT) -> ShownAnswer:
        """The answer the entry's view shows."""
        raise NotImplementedError

    def submit_refusal(self) -> str:
        """What app.submit says while not correcting (how to decide here)."""
        raise NotImplementedError

    def corrected(self, answer: str, value: dict[str, Any] | None) -> None:
        """The view gave the corrected answer: decide with it (or say why not)."""
        raise NotImplementedError

    def saved_text(self, record: RecordT) -> str:
        raise NotImplementedError

    def nav_words(self) -> NavWords:
        raise NotImplementedError

    # -- keys ------------------------------------------------------------------------------
    @property
    def _screen_prefixes(self) -> tuple[str, ...]:
        return (*(f"{context}." for context in self.SCREEN_CONTEXTS), "app.")

    def _bind_mode(self) -> None:
        """Review: decisions, navigation, and the view's keys that only look (scroll, cursor,
        zoom, play). Correcting: the view's keys and label keys first, then what leaves it."""
        task_type = self.session.batch.task_type
        if self.mode == "correct":
            label = ("label",) if task_type.uses_label_keys else ()
            self.bind_keys((task_type.name, *label, "audit", "app"), self._in_screen)
        else:
            looking = task_type.review_ids()
            prefixes = self._screen_prefixes
            self.bind_keys(
                (*self.SCREEN_CONTEXTS, task_type.name, "app"),
                lambda b: self._in_screen(b) and (b.startswith(prefixes) or b in looking),
            )

    def _in_screen(self, binding_id: str) -> bool:
        if binding_id.startswith("app."):
            return binding_id in REVIEW_APP_IDS
        return binding_id not in self.NOT_HERE

    def action_for(self, binding_id: str) -> str | None:
        leaves = binding_id.startswith(self._screen_prefixes)
        if self.mode == "correct" and leaves and binding_id not in self.CORRECTING_IDS:
            return "finish_correction"
        return self.review_action(binding_id)

    def review_action(self, binding_id: str) -> str | None:
        """The action of a binding that does not leave a correction."""
        return super().action_for(binding_id)

    def action_finish_correction(self) -> None:
        self.set_status(
            _("finish the correction ({key}) or {key2} to leave it").format(
                key=self.keymap.display("app.submit", 1),
                key2=self.keymap.display("audit.cancel", 1),
            ),
            error=True,
        )

    def no_view_reason(self) -> str:
        return _("no item to act on here")

    def guidelines_file(self) -> Path | None:
        return self.session.batch.guidelines_path

    def hint_ids(self) -> list[str]:
        if self.mode == "correct":
            view = [b for b in super().hint_ids() if b != "app.submit"]
            return ["app.submit", "audit.cancel", *view, "app.help"]
        return list(self.REVIEW_HINTS)

    # -- layout ----------------------------------------------------------------------------
    def compose_info(self) -> ComposeResult:
        yield Static(id=self.INFO_ID)

    def on_mount(self) -> None:
        self.show_current()
        if not self.session.located_all:
            self._locate_rest()

    @work(thread=True, exclusive=True, group="locate")
    def _locate_rest(self) -> None:
        self.session.locate_rest()
        self.app.call_from_thread(self._located)

    def _located(self) -> None:
        if self.mode == "review":
            self.show_current(keep_status=True)

    # -- rendering -------------------------------------------------------------------------
    def refresh_progress(self) -> None:
        batch = self.session.batch
        badge, about = self.header_words()
        header = Text()
        header.append(badge, style="bold reverse")
        header.append(" ")
        header.append(literal_text(batch.config.title or batch.id, style="bold"))
        header.append(about)
        self.query_one("#header", Line).set(header)
        self.query_one("#progress", Line).set(Text(self.progress_text()))

    def where(self, all_decided: str, at_the_end: str) -> str:
        """Where the reviewer is, for the progress line."""
        s = self.session
        if s.finished:
            return all_decided if s.done == s.total else at_the_end
        return _("item {position} of {total}").format(position=s.position + 1, total=s.total)

    def _hidden(self, raw: dict[str, Any] | None) -> bool:
        if self.session.position in self.revealed:
            return False
        if self.session.batch.config.sensitive:
            return True
        meta = raw.get("meta") if raw else None
        return isinstance(meta, dict) and bool(meta.get("sensitive"))

    def _make_view(self, entry: EntryT, mode: ReviewMode) -> TaskView:
        item = self.session.item_of(entry)
        assert item is not None and item.task is not None
        shown = self.shown_answer(entry)
        batch = self.session.batch
        ctx = ViewContext(
            task_type=batch.task_type,
            options=batch.options,
            task=item.task,
            previous=shown.previous,
            keymap=self.keymap,
            batch_dir=batch.folder,
            mode=mode,
            annotator=shown.annotator,
            previous_answer=shown.previous_answer,
        )
        view: TaskView = batch.task_type.view_class()(ctx)
        return view

    def _can_show_view(self, entry: EntryT) -> str | None:
        """Why the entry's view cannot be shown, or None."""
        s = self.session
        no_answer = self.no_answer_text(entry)
        if no_answer is not None:
            return no_answer
        item = s.item_of(entry)
        if item is None:
            if not s.located_all:
                return _("finding the task in tasks.jsonl…")
            return self.task_missing_text(entry)
        if item.task is None:
            found = "; ".join(str(p) for p in item.problems) or _("invalid task line")
            return _("The task line is invalid, so it cannot be shown: {found}").format(found=found)
        if self._hidden(item.raw):
            return _("Sensitive content hidden. Press {key} to reveal it.").format(
                key=self.keymap.display("app.reveal")
            )
        return None

    def show_current(self, keep_status: bool = False) -> None:
        self.view = None
        if self.mode != "review":
            self.mode = "review"
            self._bind_mode()
        s = self.session
        entry = s.current()
        info = self.query_one(f"#{self.INFO_ID}", Static)
        widget: Widget
        if entry is None:
            info.update("")
            widget = Static(self.finished_text(), classes="notice")
        else:
            info.update(self.info_text(entry))
            why_not = self._can_show_view(entry)
            if why_not is not None:
                widget = Static(literal_text(why_not), classes="notice")
            else:
                self.view = self._make_view(entry, "review")
                widget = self.view
                self.call_after_refresh(self._unfocus)
        s.show()
        if not keep_status:
            self._status = Text("")
        self.query_one("#status", Line).set(self._status)
        self.refresh_progress()
        shown_id = s.entry_task_id(entry) if entry is not None and self.view else None
        self.put_item(widget, shown_id)
        self.render_keys()

    def _unfocus(self) -> None:
        """A view that focuses one of its widgets on mount must not eat the decision keys."""
        if self.mode == "review":
            self.set_focus(None)

    # -- deciding --------------------------------------------------------------------------
    def decidable(self) -> EntryT | None:
        """The current entry, or None (said) when there is nothing here to decide."""
        entry = self.session.current()
        if entry is None:
            self.set_status(_("no item here: go back to revisit one"), error=True)
        return entry

    def action_audit_correct(self) -> None:
        entry = self.decidable()
        if entry is None:
            return
        why_not = self._can_show_view(entry)
        if why_not is not None:
            self.set_status(_("cannot correct here: ") + why_not.split(":")[0], error=True)
            return
        self.view = self._make_view(entry, "correct")
        self.mode = "correct"
        self._bind_mode()
        self.put_item(self.view, self.session.entry_task_id(entry))
        self.set_status(
            _("correcting: change the answer, {key} saves it, {key2} cancels").format(
                key=self.keymap.display("app.submit", 1),
                key2=self.keymap.display("audit.cancel", 1),
            )
        )
        self.render_keys()

    def action_audit_cancel(self) -> None:
        if self.mode == "correct":
            self.show_current()
            self.set_status(_("correction cancelled"))

    def action_submit(self) -> None:
        if self.mode != "correct" or self.view is None:
            self.set_status(self.submit_refusal(), error=True)
            return
        result = self.view.submit_value()
        if isinstance(result, Refusal):
            self.set_status(str(result), error=True)
            return
        self.corrected(*result)

    def receive_answer(self, task_id: str, answer: str, value: dict[str, Any] | None) -> None:
        if self.mode == "correct":
            self.corrected(answer, value)
        else:
            self.set_status(
                _("to change the answer press {key}").format(
                    key=self.keymap.display("audit.correct", 1)
                ),
                error=True,
            )

    def decide(self, act: Callable[[], RecordT], refused: type[ValueError] = ValueError) -> None:
        """Save a decision (`act` returns once its line is on disk), then show the next
        entry. What `act` refuses (`refused`), or a disk error, is said and nothing moves."""
        try:
            record = act()
        except refused as exc:
            if isinstance(exc, ValidationError):
                from tui.core.pydantic_text import error_message

                self.set_status(
                    _("not a valid answer: {msg}").format(msg=error_message(exc.errors()[0])),
                    error=True,
                )
            else:
                self.set_status(_("not recorded: {exc}").format(exc=exc), error=True)
            return
        except OSError as exc:
            self.set_status(
                _("NOT SAVED ({exc}): fix the disk and press again").format(
                    exc=exc.strerror or exc
                ),
                error=True,
            )
            return
        self.set_status(self.saved_text(record))
        self.show_current(keep_status=True)

    # -- navigation and overlays -----------------------------------------------------------
    def action_back(self) -> None:
        if self.session.back():
            self.show_current()
        else:
            self.set_status(self.nav_words().first, error=True)

    def action_forward(self) -> None:
        if self.session.forward():
            self.show_current()
        else:
            self.set_status(self.nav_words().last, error=True)

    def action_skip(self) -> None:
        if self.session.skip():
            self.show_current()
            self.set_status(self.nav_words().skipped)
        else:
            self.set_status(self.nav_words().nothing_to_skip, error=True)

    def action_reveal(self) -> None:
        if self.session.current() is not None:
            self.revealed.add(self.session.position)
            self.show_current()

    def action_audit_scroll_up(self) -> None:
        self.body.scroll_up(animate=False)

    def action_audit_scroll_down(self) -> None:
        self.body.scroll_down(animate=False)
