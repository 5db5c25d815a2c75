"""video view: metadata, a strip of thumbnails at evenly spaced times, the segment timeline
with the time cursor and in/out marks, the segments, and the label keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import Static

from task_types.media_common.view import Picture, TimedMediaView, focus_now, legend
from task_types.video.models import VideoAnswer, VideoOptions, VideoTask
from task_types.view_notes import not_a_label
from tui.core.i18n import _
from tui.core.media.probe import MediaInfo, format_time
from tui.task_view import Refusal, ViewContext

THUMB_WIDTH_PX = 160


class VideoView(TimedMediaView[VideoTask, VideoOptions, VideoAnswer]):
    DEFAULT_CSS = """
    VideoView { height: auto; }
    VideoView > Static { padding: 0 1; height: auto; }
    VideoView > Picture { margin: 0 1; }
    """
    kind = "video"

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        options = self.options
        self.item_labels = list(options.item_labels or options.labels)
        previous = self.previous
        saved = previous.labels if previous is not None else []
        self.chosen: list[str] = [x for x in self.item_labels if x in saved]
        self.initial_chosen = sorted(self.chosen)
        self.item_mode = False
        self.strip = Picture(classes="thumbs")
        self.thumb_times = Static(classes="thumb-times")
        self.legend_line = Static(classes="legend")
        self.times: list[float] = []

    def compose(self) -> ComposeResult:
        question = self.question()
        if question is not None:
            yield question
        yield self.meta
        yield self.strip
        yield self.thumb_times
        yield self.timeline
        yield self.marks
        yield self.segment_list
        yield self.legend_line

    def on_mount(self) -> None:
        super().on_mount()
        self._fit()
        focus_now(self)
        self.cursor_moved()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()
        self.cursor_moved()

    def _fit(self) -> None:
        self.strip.styles.height = 4 if self.app.size.height < 30 else 10

    # -- loading (thread) ------------------------------------------------------------------
    def load(self, path: Path) -> Any:
        from tui.core.media.errors import MediaError
        from tui.core.media.probe import probe
        from tui.core.media.thumbnails import frame_times, thumbnails
        from tui.core.media.tools import FFMPEG_NOTICE, ffmpeg_available

        if not ffmpeg_available():
            raise MediaError(path, FFMPEG_NOTICE)
        info = probe(path, expected="video")
        self.app.call_from_thread(self._probed, info)
        count = self.options.thumbnails
        images = thumbnails(path, count=count, width=THUMB_WIDTH_PX)
        return images, frame_times(info.duration_s or 0.0, count)

    def _probed(self, info: MediaInfo) -> None:
        if not self.is_attached:
            return
        self.info = info
        self.refresh_meta()
        self.set_duration(info.duration_s)

    def loaded(self, payload: Any) -> None:
        images, times = payload
        self.times = list(times)
        self.strip.show(images)
        self.cursor_moved()

    def media_failed(self) -> None:
        self.strip.styles.height = 1
        self.strip.say(Text(_("no thumbnails (see above); labels still work"), style="dim"))
        self.cursor_moved()

    # -- drawing ---------------------------------------------------------------------------
    def cursor_moved(self) -> None:
        self.refresh_timeline()
        self.thumb_times.update(self._thumb_times_text())
        self.legend_line.update(self._legend_text())

    def _current_thumb(self) -> int | None:
        if not self.times or not self.editor.known:
            return None
        return min(range(len(self.times)), key=lambda i: abs(self.times[i] - self.editor.cursor_s))

    def _thumb_times_text(self) -> Text:
        out = Text(no_wrap=True, overflow="crop")
        if not self.times:
            return out
        width = max(10, self.size.width - 2)
        n = len(self.times)
        gap = 1 if width >= 3 * n else 0
        tile = (width - gap * (n - 1)) // n
        current = self._current_thumb()
        for i, t in enumerate(self.times):
            if i and gap:
                out.append(" ")
            label = format_time(t)[:tile].center(tile)
            out.append(label, style="bold black on bright_yellow" if i == current else "dim")
        return out

    def _legend_text(self) -> Text:
        out = Text()
        if self.item_mode:
            out.append(_("Item labels "), style="bold")
            out.append(
                _("({mode} → segments): ").format(mode=self.key_of("video.mode")), style="dim"
            )
            out.append_text(legend(self.ctx, self.item_labels, self.chosen))
        else:
            out.append(_("Segment labels "), style="bold")
            out.append(
                _("({mode} → item labels): ").format(mode=self.key_of("video.mode")), style="dim"
            )
            out.append_text(legend(self.ctx, self.segment_labels))
            if self.chosen:
                out.append("  " + _("item:") + " " + ", ".join(self.chosen), style="green")
        return out

    @property
    def draft_changed(self) -> bool:
        return super().draft_changed or sorted(self.chosen) != self.initial_chosen

    # -- keys ------------------------------------------------------------------------------
    def act_label(self, n: int) -> None:
        if self.item_mode:
            self._toggle_item_label(n)
        else:
            self.apply_segment_label(n)

    def act_mode(self) -> None:
        self.item_mode = not self.item_mode
        which = _("the whole video") if self.item_mode else _("segments")
        self.post_message(self.Notice(_("label keys now label {which}").format(which=which)))
        self.cursor_moved()

    def act_external(self) -> None:
        self.open_external(self.editor.cursor_s)

    def act_prev_thumb(self) -> None:
        self._jump_thumb(-1)

    def act_next_thumb(self) -> None:
        self._jump_thumb(1)

    def cancel_other(self) -> bool:
        if self.item_mode:
            self.item_mode = False
            self.cursor_moved()
            return True
        return False

    def _jump_thumb(self, direction: int) -> None:
        if not self.times or not self.editor.known:
            self.tell(
                _("no thumbnails: see the message above"),
                self.media_error or _("no thumbnails yet"),
            )
            return
        t = self.editor.cursor_s
        if direction > 0:
            later = [x for x in self.times if x > t + 1e-3]
            target = later[0] if later else self.times[-1]
        else:
            earlier = [x for x in self.times if x < t - 1e-3]
            target = earlier[-1] if earlier else 0.0
        self.editor.move_to(target)
        self.cursor_moved()

    def _toggle_item_label(self, n: int) -> None:
        if n > len(self.item_labels):
            text = not_a_label(self.ctx.keymap, n, len(self.item_labels), item_labels=True)
            self.post_message(self.Notice(text, error=True))
            return
        label = self.item_labels[n - 1]
        if label in self.chosen:
            self.chosen.remove(label)
        else:
            self.chosen.append(label)
        self.cursor_moved()

    def build_answer(self) -> tuple[str, VideoAnswer | None] | Refusal:
        pending = self.pending_marks()
        if pending is not None:
            return pending
        if not self.editor.segments and not self.chosen:
            return Refusal(
                _(
                    "mark a segment ({mark_in} in, {mark_out} out, a label key) or an item label ({mode})"
                ).format(
                    mark_in=self.key_of("video.mark_in"),
                    mark_out=self.key_of("video.mark_out"),
                    mode=self.key_of("video.mode"),
                )
            )
        labels = [x for x in self.item_labels if x in self.chosen]
        return "accept", VideoAnswer(segments=list(self.editor.segments), labels=labels)

    def hint_ids(self) -> list[str]:
        return [
            "app.submit",
            "video.mark_in",
            "video.mark_out",
            "video.delete",
            "video.mode",
            "video.external",
        ]
