"""Textual parts shared by the image, video and audio views, and the text fields every
view uses (FieldInput, TextField: one convention for free text).

MediaView resolves the item's path (refusing escapes), loads previews in a thread worker
(ffmpeg never runs on the UI thread), shows bad media as a message in the view, and opens
the external viewer. TimedMediaView adds the time cursor, in/out marks and segments.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rich.console import Group
from rich.text import Text
from textual import events
from textual.app import ComposeResult, RenderResult, SuspendNotSupported
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from task_types.media_common.models import Segment, SegmentEditor, WithSegments, steps_for
from task_types.view_notes import SKIPPED_NOTE, not_a_label, was_skipped
from tui.core.i18n import _
from tui.core.keymap import key_display
from tui.core.media.errors import MediaError, MediaKind
from tui.core.media.paths import resolve_media_path
from tui.core.media.probe import MediaInfo, format_time
from tui.core.media.tools import cancelled_by
from tui.task_view import AnswerT, OptionsT, Refusal, TaskT, TaskView, ViewContext
from tui.widgets.task_text import SPAN_STYLES, literal_text

if TYPE_CHECKING:
    from PIL.Image import Image

# The status line's width at 80 columns (inside its padding): messages must fit it.
STATUS_WIDTH = 78

LABEL_COLOURS = ("#8fbcbb", "#ebcb8b", "#b48ead", "#a3be8c", "#d08770", "#81a1c1", "#bf616a")


def label_colour(n: int) -> str:
    return LABEL_COLOURS[n % len(LABEL_COLOURS)]


class Picture(Widget):
    """One or more PIL pictures drawn with half blocks, refitted whenever the size changes."""

    DEFAULT_CSS = "Picture { height: 8; width: 1fr; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.images: list[Image] = []
        self.message: Text | None = Text(_("loading preview…"), style="dim italic")
        self._cache: tuple[tuple[int, int], list[Text]] | None = None

    def show(self, images: Sequence[Image]) -> None:
        self.images = list(images)
        self.message = None
        self._cache = None
        self.refresh()

    def say(self, message: Text) -> None:
        self.images = []
        self.message = message
        self._cache = None
        self.refresh()

    def lines(self) -> list[Text]:
        from tui.core.media.halfblock import image_lines, row_lines

        size = (self.size.width, self.size.height)
        if self._cache is not None and self._cache[0] == size:
            return self._cache[1]
        cols, rows = size
        if cols < 2 or rows < 1:
            return []
        if len(self.images) == 1:
            lines = image_lines(self.images[0], cols, rows)
        else:
            gap = 1 if cols >= 3 * len(self.images) else 0
            lines = row_lines(self.images, cols, rows, gap) if cols >= len(self.images) else []
        self._cache = (size, lines)
        return lines

    def render(self) -> RenderResult:
        if self.message is not None:
            return self.message
        return Group(*self.lines())


class ZoomScreen(ModalScreen[None]):
    """The picture filling the whole terminal; any key closes it."""

    DEFAULT_CSS = """
    ZoomScreen { background: $background; }
    ZoomScreen > Picture { height: 1fr; width: 1fr; }
    ZoomScreen > #zoom-hint { height: 1; dock: bottom; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, image: Image, title: str) -> None:
        super().__init__()
        self.image = image
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield Picture(id="zoom")
        yield Static(
            literal_text(_("{title_text} — any key closes").format(title_text=self.title_text)),
            id="zoom-hint",
        )

    def on_mount(self) -> None:
        self.query_one(Picture).show([self.image])

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(None)


class MediaView(TaskView[TaskT, OptionsT, AnswerT]):
    """Base of the media views: path, loading in a worker, errors, external viewer."""

    kind: MediaKind = "image"

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        raw = getattr(ctx.task, self.kind)
        self.path: Path | None = None
        self.info: MediaInfo | None = None
        self.media_error: str | None = None
        self.shown_at = time.perf_counter()
        self._cancel = threading.Event()
        self.preview_ready_s: float | None = None  # item shown -> preview painted, measured
        # A message too long for the status line, shown whole (wrapped) under the metadata.
        self.detail: str | None = None
        try:
            self.path = resolve_media_path(ctx.batch_dir, raw, self.kind)
        except MediaError as exc:
            self.media_error = self.short(str(exc))
        self.meta = Static(self._meta_text(), classes="meta")

    # -- text helpers ----------------------------------------------------------------------
    def short(self, message: str) -> str:
        """A message with the batch folder left out of paths (they are long and known)."""
        root = f"{self.ctx.batch_dir.resolve()}/"
        return message.replace(root, "").replace(f"{self.ctx.batch_dir}/", "")

    def question(self) -> Static | None:
        text = getattr(self.ctx.task, "text", None)
        if isinstance(text, str) and text.strip():
            return Static(literal_text(text, style="bold"), classes="question")
        return None

    def _meta_text(self) -> Text:
        raw = getattr(self.ctx.task, self.kind)
        out = Text()
        out.append(literal_text(str(raw), style="bold"))
        if self.media_error is not None:
            out.append("\n✗ ", style="bold red")
            out.append(literal_text(self.media_error, style="red"))
            out.append(
                _("\n  {skip} skips, {flag} flags it").format(
                    skip=self.key_of("app.skip"), flag=self.key_of("app.flag")
                ),
                style="italic",
            )
        elif self.info is not None:
            out.append("  " + self.info.describe(), style="")
        else:
            out.append(_("  probing…"), style="dim italic")
        if self.detail:
            out.append("\n")
            out.append(literal_text(self.detail, style="yellow"))
        if was_skipped(self):
            out.append("\n" + _(SKIPPED_NOTE), style="italic yellow")
        return out

    def tell(self, short: str, whole: str, error: bool = True) -> None:
        """A status line that fits 80 columns (`short`), and `whole` under the metadata when
        it would not fit there."""
        if len(whole) <= STATUS_WIDTH:
            self.post_message(self.Notice(whole, error=error))
            return
        if not (self.media_error and self.media_error in whole):  # else it is shown already
            self.detail = whole
            self.refresh_meta()
        self.post_message(self.Notice(short, error=error))

    def refresh_meta(self) -> None:
        self.meta.update(self._meta_text())

    def hint(self, binding_id: str, word: str, out: Text) -> None:
        keys = self.key_of(binding_id)
        if keys:
            out.append(f" {keys} ", style="reverse")
            out.append(f" {word}  ")

    # -- loading ---------------------------------------------------------------------------
    def on_unmount(self) -> None:
        # Nobody will see this preview any more: stop its ffmpeg runs and free the thread.
        self._cancel.set()

    def on_mount(self) -> None:
        self.shown_at = time.perf_counter()
        if self.path is not None:
            path = self.path
            self.run_worker(
                lambda: self._load_thread(path),
                thread=True,
                exclusive=True,
                group="media-load",
                exit_on_error=False,
            )
        else:
            self.media_failed()
            self.preview_ready_s = 0.0

    def _load_thread(self, path: Path) -> None:
        try:
            with cancelled_by(self._cancel):
                payload = self.load(path)
        except MediaError as exc:
            self.app.call_from_thread(self._failed, str(exc))
        except Exception as exc:  # never crash on a media file
            self.app.call_from_thread(
                self._failed, _("{path}: cannot be previewed ({exc!r})").format(path=path, exc=exc)
            )
        else:
            self.app.call_from_thread(self._loaded, payload)

    def _failed(self, message: str) -> None:
        if not self.is_attached:
            return
        if self.media_error is None:
            self.media_error = self.short(message)
        self.refresh_meta()
        self.media_failed()
        self.preview_ready_s = time.perf_counter() - self.shown_at

    def _loaded(self, payload: Any) -> None:
        if not self.is_attached:
            return
        self.refresh_meta()
        self.loaded(payload)
        self.preview_ready_s = time.perf_counter() - self.shown_at

    def load(self, path: Path) -> Any:
        """In a thread: probe and build the previews; raise MediaError when it cannot.
        This base reads the metadata only; each kind adds its previews."""
        from tui.core.media.probe import probe

        self.info = probe(path, expected=self.kind)
        return self.info

    def loaded(self, payload: Any) -> None:
        """On the UI thread: show what load() returned."""

    def media_failed(self) -> None:
        """On the UI thread: the media cannot be shown (self.media_error says why)."""

    # -- external viewer -------------------------------------------------------------------
    def open_external(self, start_s: float | None = None) -> None:
        from tui.core.media.viewer import launch_detached, plan_viewer

        if self.path is None or not self.path.is_file():
            self.post_message(
                self.Notice(
                    _("cannot open it: {why}").format(why=self.media_error or _("file not found")),
                    error=True,
                )
            )
            return
        templates = self.ctx.viewer_commands or None
        plan = plan_viewer(self.path, self.kind, templates=templates, start_s=start_s)
        if not plan.ok:
            kind = self.kind
            if plan.candidates:
                short = _(
                    "no {kind} viewer here: install {candidates}, or set [viewers] {kind} in config.toml"
                ).format(kind=kind, candidates=plan.candidates[0])
                if len(short) > STATUS_WIDTH:
                    short = _("no {kind} viewer here: see the remedy above").format(kind=kind)
            else:
                short = _("the configured {kind} viewer cannot run: see above").format(kind=kind)
            self.tell(short, self.short(plan.message))
            return
        if plan.detached:
            try:
                launch_detached(plan.argv)
            except OSError as exc:
                self.post_message(
                    self.Notice(
                        _("cannot start {program}: {exc}").format(program=plan.program, exc=exc),
                        error=True,
                    )
                )
                return
            self.post_message(self.Notice(plan.message))
            return
        self.before_suspend()
        failed: str | None = None
        try:
            with self.app.suspend():
                try:
                    subprocess.run(list(plan.argv), check=False)
                except OSError as exc:
                    failed = _("cannot start {program}: {exc}").format(
                        program=plan.program, exc=exc
                    )
        except SuspendNotSupported:
            failed = _("this terminal cannot hand over to {program}: {name}").format(
                program=plan.program, name=self.path.name
            )
        self.post_message(
            self.Notice(
                failed or _("back from {program}").format(program=plan.program), error=bool(failed)
            )
        )

    def before_suspend(self) -> None:
        """Stop anything that must not run while another program has the terminal."""


def timeline_lines(editor: SegmentEditor, labels: Sequence[str], width: int) -> list[Text]:
    """Two lines: the segments as coloured bars with the marked range and the cursor, and a
    ruler with the cursor's time."""
    width = max(10, width)
    duration = editor.duration_s or 0.0
    bar = Text(no_wrap=True, overflow="crop")
    if duration <= 0:
        bar.append("·" * width, style="dim")
        return [bar, Text(_("duration unknown: segments cannot be marked"), style="dim")]
    cursor_col = min(width - 1, int(editor.cursor_s / duration * width))
    rng = editor.marked_range()
    for col in range(width):
        t = (col + 0.5) / width * duration
        char, style = "─", "grey35"
        for seg in editor.segments:
            if seg.start_s <= t < seg.end_s:
                idx = labels.index(seg.label) if seg.label in labels else 0
                char, style = "━", f"bold {label_colour(idx)}"
        marks = (editor.mark_in, editor.mark_out)
        if rng is not None and rng[0] <= t < rng[1]:
            style = f"{style} on #4c566a"
        if any(m is not None and min(width - 1, int(m / duration * width)) == col for m in marks):
            char = "┃"
            style = "bold yellow"
        if col == cursor_col:
            char, style = "▼", "bold black on bright_yellow"
        bar.append(char, style)
    ruler = Text(no_wrap=True, overflow="crop")
    left, right = format_time(0.0), format_time(duration)
    here = f"▲ {format_time(editor.cursor_s)}"
    pad = max(1, width - len(left) - len(right))
    middle = here.center(pad) if len(here) < pad else " " * pad
    ruler.append(left, style="dim")
    ruler.append(middle, style="bold")
    ruler.append(right, style="dim")
    return [bar, ruler]


def marks_text(editor: SegmentEditor) -> Text:
    out = Text()
    out.append(_("in") + " ", style="dim")
    out.append(format_time(editor.mark_in) if editor.mark_in is not None else "—", style="yellow")
    out.append("  " + _("out") + " ", style="dim")
    out.append(format_time(editor.mark_out) if editor.mark_out is not None else "—", style="yellow")
    small, large = steps_for(editor.duration_s or 0.0)
    out.append(_("  steps {small:g} s / {large:g} s").format(small=small, large=large), style="dim")
    return out


def segments_text(editor: SegmentEditor, labels: Sequence[str], limit: int) -> Text:
    out = Text()
    if not editor.segments:
        out.append(_("no segments yet"), style="dim italic")
        return out
    here = editor.at_cursor()
    for i, seg in enumerate(editor.segments[:limit]):
        if i:
            out.append("\n")
        idx = labels.index(seg.label) if seg.label in labels else 0
        out.append("▶ " if i == here else "  ", style="bold yellow")
        out.append(f"{i + 1}. ", style="dim")
        out.append(literal_text(seg.label, style=f"bold {label_colour(idx)}"))
        out.append(f"  {format_time(seg.start_s)}–{format_time(seg.end_s)}")
    if len(editor.segments) > limit:
        out.append(_("\n  … {limit} more").format(limit=len(editor.segments) - limit), style="dim")
    return out


def legend(
    ctx: ViewContext, labels: Sequence[str], chosen: Sequence[str] | None = None, first: int = 1
) -> Text:
    """Labels with their keys in one line; `chosen` ones ticked (no boxes when None)."""
    out = Text()
    for n, label in enumerate(labels, start=first):
        key = ctx.keymap.label_key(n)
        badge = f" {key_display(key)} " if key else " · "
        out.append(badge, style="reverse bold")
        on = chosen is not None and label in chosen
        mark = ("■ " if on else "□ ") if chosen is not None else ""
        out.append(" " + mark, style="green" if on else "")
        style = f"bold {label_colour(n - 1)}"
        out.append(literal_text(label, style=style))
        out.append("  ")
    out.rstrip()
    return out


class TimedMediaView(MediaView[TaskT, OptionsT, AnswerT]):
    """Video and audio: a time cursor, in/out marks and labelled segments."""

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        previous = self.previous  # the saved answer, as the type's answer model
        saved: list[Segment] = list(previous.segments) if isinstance(previous, WithSegments) else []
        self.editor = SegmentEditor(segments=saved)
        self.initial_segments = self.editor.values()
        self.timeline = Static(classes="timeline")
        self.marks = Static(classes="marks")
        self.segment_list = Static(classes="segments")

    @property
    def draft_changed(self) -> bool:
        return self.editor.values() != self.initial_segments

    @property
    def segment_labels(self) -> list[str]:
        labels = getattr(self.ctx.options, "labels", None)
        return list(labels or [])

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_timeline()

    def segment_rows(self) -> int:
        return 3 if self.app.size.height < 40 else 8

    def refresh_timeline(self) -> None:
        width = max(10, self.size.width - 2) if self.size.width else 76
        self.timeline.update(Group(*timeline_lines(self.editor, self.segment_labels, width)))
        self.marks.update(marks_text(self.editor))
        self.segment_list.update(
            segments_text(self.editor, self.segment_labels, self.segment_rows())
        )

    def set_duration(self, duration_s: float | None) -> None:
        self.editor.duration_s = duration_s
        # Segments of a saved answer may outlive a re-encoded file; the cursor stays inside.
        self.editor.move_to(self.editor.cursor_s)
        self.refresh_timeline()

    def cursor_moved(self) -> None:
        """Hook: the cursor moved (audio redraws the waveform's cursor)."""
        self.refresh_timeline()

    # -- keys shared by video and audio: the time cursor and the segments --------------------
    def _has_time(self) -> bool:
        """Whether the cursor can move; says why not when it cannot."""
        if self.editor.known:
            return True
        why = self.media_error or _("the duration is not known yet (still probing)")
        self.tell(
            _("no time cursor: the file cannot be read (see above)"),
            _("no time cursor: {why}").format(why=why),
        )
        return False

    def _step(self, small: int = 0, large: int = 0) -> None:
        if self._has_time():
            self.editor.step(small, large)
            self.cursor_moved()

    def act_back(self) -> None:
        self._step(small=-1)

    def act_forward(self) -> None:
        self._step(small=1)

    def act_back_big(self) -> None:
        self._step(large=-1)

    def act_forward_big(self) -> None:
        self._step(large=1)

    def act_start(self) -> None:
        if self._has_time():
            self.editor.move_to(0.0)
            self.cursor_moved()

    def act_end(self) -> None:
        if self._has_time():
            self.editor.move_to(self.editor.duration_s or 0.0)
            self.cursor_moved()

    def act_mark_in(self) -> None:
        if self._has_time():
            ed = self.editor
            ed.set_in()
            self.post_message(
                self.Notice(
                    _("in at {cursor_s}: {then}").format(
                        cursor_s=format_time(ed.cursor_s), then=self._then()
                    )
                )
            )
            self.cursor_moved()

    def act_mark_out(self) -> None:
        if self._has_time():
            ed = self.editor
            ed.set_out()
            self.post_message(
                self.Notice(
                    _("out at {cursor_s}: {then}").format(
                        cursor_s=format_time(ed.cursor_s), then=self._then()
                    )
                )
            )
            self.cursor_moved()

    def act_delete(self) -> None:
        seg = self.editor.delete_at_cursor()
        if seg is None:
            self.post_message(self.Notice(_("no segment under the cursor to delete"), True))
        else:
            self.post_message(
                self.Notice(
                    _("deleted {label} {start_s}–{end_s}").format(
                        label=seg.label,
                        start_s=format_time(seg.start_s),
                        end_s=format_time(seg.end_s),
                    )
                )
            )
        self.cursor_moved()

    def act_cancel(self) -> bool:
        if self.editor.clear_marks():
            self.post_message(self.Notice(_("in/out marks cleared")))
            self.cursor_moved()
            return True
        return self.cancel_other()

    def cancel_other(self) -> bool:
        return False

    def _then(self) -> str:
        rng = self.editor.marked_range()
        if rng is None:
            return _("now move and mark the other end")
        return _("{start}–{end}; a label key labels it").format(
            start=format_time(rng[0]), end=format_time(rng[1])
        )

    def apply_segment_label(self, n: int) -> None:
        labels = self.segment_labels
        if not labels:
            self.post_message(self.Notice(_("this batch has no segment labels"), error=True))
            return
        if n > len(labels):
            self.post_message(self.Notice(not_a_label(self.ctx.keymap, n, len(labels)), True))
            return
        if not self.editor.known:
            self.post_message(self.Notice(_("no time cursor: the duration is unknown"), True))
            return
        what, seg = self.editor.apply_label(labels[n - 1])
        if what == "empty range":
            self.post_message(
                self.Notice(_("the marked range is empty: move the cursor, then mark"), error=True)
            )
            return
        if seg is None:
            prefix = self.ctx.task_type.name
            self.post_message(
                self.Notice(
                    _(
                        "mark in ({mark_in}) and out ({mark_out}) first, or put the cursor on a segment to relabel it"
                    ).format(
                        mark_in=self.key_of(f"{prefix}.mark_in"),
                        mark_out=self.key_of(f"{prefix}.mark_out"),
                    ),
                    error=True,
                )
            )
        else:
            self.post_message(
                self.Notice(
                    f"{what} {seg.label} {format_time(seg.start_s)}–{format_time(seg.end_s)}"
                )
            )
        self.cursor_moved()

    def pending_marks(self) -> Refusal | None:
        if self.editor.mark_in is None and self.editor.mark_out is None:
            return None
        return Refusal(
            _(
                "an in/out mark has no segment: a label key makes one, {cancel} drops the marks"
            ).format(cancel=self.key_of(self.ctx.task_type.name + ".cancel"))
        )


# -- text fields -------------------------------------------------------------------------------
# One convention for free text in every task type: Enter saves the item (as app.submit does; a
# refusal is shown and the keys stay in the field), Ctrl+j (Shift+Enter where the terminal
# tells it apart) is a newline in a multi-line field, Esc leaves the field keeping its text,
# Ctrl+s saves from anywhere (the screen's app.submit). Enter calls the view at once, inside
# the key's handling, so a key typed next can never reach the item that was just saved.

NEWLINE_KEYS = ("ctrl+j", "shift+enter")


def focus_now(widget: Widget) -> None:
    """Give `widget` the keys at once. Widget.focus() defers the move to the app's queue,
    behind keys that already arrived: in a burst ("b", then a reason typed at once; Esc
    then a label key) the next key would still reach the old focus and be lost or typed."""
    try:
        screen = widget.screen
    except Exception:  # not on a screen (yet): the deferred way is all there is
        widget.focus()
        return
    screen.set_focus(widget)


class FieldInput(Input):
    """A one-line text field: Enter calls `on_enter` (the view saves the item); compact (one
    row, no border) unless told otherwise."""

    DEFAULT_CSS = """
    FieldInput { background: $boost; }
    FieldInput:focus { background: $primary 25%; }
    """

    def __init__(
        self,
        value: str,
        placeholder: str,
        id: str,
        on_enter: Callable[[], None] | None = None,
        compact: bool = True,
    ) -> None:
        # Focus never selects the text: a key typed on coming back must not replace it.
        super().__init__(
            value=value, placeholder=placeholder, id=id, compact=compact, select_on_focus=False
        )
        self.on_enter = on_enter

    async def action_submit(self) -> None:
        if self.on_enter is None:
            await super().action_submit()
        else:
            self.on_enter()


class TextField(TextArea):
    """A multi-line text field: Enter calls `on_enter` (the view saves the item), Ctrl+j or
    Shift+Enter insert a newline, a leave key calls `on_leave` (TextArea would keep it)."""

    def __init__(
        self,
        text: str,
        *,
        on_enter: Callable[[], None],
        on_leave: Callable[[], None],
        leave_keys: Sequence[str] = ("escape",),
        newline_keys: Sequence[str] = NEWLINE_KEYS,
        id: str | None = None,
        tab_behavior: Literal["focus", "indent"] = "focus",
    ) -> None:
        super().__init__(
            text, id=id, soft_wrap=True, show_line_numbers=False, tab_behavior=tab_behavior
        )
        self.on_enter = on_enter
        self.on_leave = on_leave
        self.leave_keys = list(leave_keys)
        self.newline_keys = list(newline_keys)  # the keymap's text.newline

    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual 8.2 (issue #6528, unfixed upstream) lets the compositor render a TextArea
        # whose component styles are not there: just removed (the item moved on while a frame
        # was being built) or not yet styled. TextArea's theme then raises KeyError and the
        # app dies mid-typing. That frame is blank instead; a field still on screen asks for
        # another frame, by which time its styles exist.
        try:
            return super().render_lines(crop)
        except KeyError as error:
            if "COMPONENT_CLASSES" not in str(error):
                raise
            if self.is_attached:
                self.call_later(self.refresh)
            return [Strip.blank(crop.width)] * crop.height

    async def _on_key(self, event: events.Key) -> None:
        # prevent_default keeps TextArea._on_key (next in the MRO) from seeing the key.
        if event.key in self.leave_keys:
            event.stop()
            event.prevent_default()
            self.on_leave()
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            self.on_enter()
        elif event.key in self.newline_keys and not self.read_only:
            event.stop()
            event.prevent_default()
            start, end = self.selection
            self.replace("\n", start, end, maintain_selection_offset=False)


__all__ = [
    "NEWLINE_KEYS",
    "SPAN_STYLES",
    "FieldInput",
    "MediaView",
    "Picture",
    "TextField",
    "TimedMediaView",
    "ZoomScreen",
    "focus_now",
    "legend",
    "marks_text",
    "segments_text",
    "timeline_lines",
]
