"""audio view: metadata, the waveform with a cursor that follows playback, the segment
timeline, the transcript field and the quality labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Static

from task_types.audio.models import QUALITIES, AudioAnswer, AudioOptions, AudioTask, Quality
from task_types.media_common.view import FieldInput, TimedMediaView, focus_now, legend
from tui.core.i18n import N_, _
from tui.core.media.errors import MediaError
from tui.core.media.probe import MediaInfo, format_time
from tui.core.media.waveform import Waveform
from tui.task_view import Refusal, ViewContext

QUALITY_BINDINGS: dict[str, Quality] = {
    "audio.noise": "noise",
    "audio.overlap": "overlapping_speech",
    "audio.unintelligible": "unintelligible",
    "audio.other_language": "other_language",
}
QUALITY_WORDS: dict[Quality, str] = {
    "noise": N_("noise"),
    "overlapping_speech": N_("overlap"),
    "unintelligible": N_("unintelligible"),
    "other_language": N_("other lang."),
}
TICK_S = 0.1


class AudioView(TimedMediaView[AudioTask, AudioOptions, AudioAnswer]):
    DEFAULT_CSS = """
    AudioView { height: auto; }
    AudioView > Static { padding: 0 1; height: auto; }
    AudioView > FieldInput { margin: 0 1; }
    """
    kind = "audio"

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        options = self.options
        previous = self.previous
        saved = previous.quality if previous is not None else []
        self.quality: list[Quality] = [q for q in QUALITIES if q in saved]
        self.wave: Waveform | None = None
        self.wave_box = Static(classes="wave")
        self.state = Static(classes="state")
        self.quality_line = Static(classes="quality")
        self.legend_line = Static(classes="legend")
        self.play_keys = ctx.keymap.keys_for("audio.play")
        self.leave_keys = ctx.keymap.keys_for("audio.cancel") or ["escape"]
        self.field: FieldInput | None = None
        if options.transcribe:
            self.field = FieldInput(
                previous.transcript if previous is not None else "",
                _("type what is said"),
                "transcript",
                on_enter=self.submit_current,  # Enter saves the item, as app.submit does
            )
        self._initial = self._state()
        self.field_title = Static(classes="field-title")
        self.player: Any = None  # tui.core.media.playback.AudioPlayer, made on first play
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        question = self.question()
        if question is not None:
            yield question
        yield self.meta
        yield self.wave_box
        yield self.timeline
        yield self.state
        if self.field is not None:
            yield self.field_title
            yield self.field
        yield self.quality_line
        yield self.segment_list
        if self.segment_labels:
            yield self.legend_line

    def on_mount(self) -> None:
        super().on_mount()
        if self.field is not None and self.ctx.mode != "review":
            # A transcription batch: typing starts at once (Esc leaves the transcript).
            focus_now(self.field)
        else:
            focus_now(self)
        self.cursor_moved()

    def on_unmount(self) -> None:
        super().on_unmount()
        self._stop_playback()

    def on_resize(self, event: events.Resize) -> None:
        self.cursor_moved()

    def segment_rows(self) -> int:
        return 2 if self.app.size.height < 40 else 8

    # -- loading (thread) ------------------------------------------------------------------
    def load(self, path: Path) -> Any:
        from tui.core.media.probe import probe
        from tui.core.media.tools import FFMPEG_NOTICE, ffmpeg_available
        from tui.core.media.waveform import waveform

        if not ffmpeg_available():
            raise MediaError(path, FFMPEG_NOTICE)
        info = probe(path, expected="audio")
        self.app.call_from_thread(self._probed, info)
        return waveform(path, buckets=1024)

    def _probed(self, info: MediaInfo) -> None:
        if not self.is_attached:
            return
        self.info = info
        self.refresh_meta()
        self.set_duration(info.duration_s)

    def loaded(self, payload: Any) -> None:
        self.wave = payload
        if not self.editor.known:
            self.set_duration(payload.duration_s)
        self.cursor_moved()

    def media_failed(self) -> None:
        self.cursor_moved()

    # -- drawing ---------------------------------------------------------------------------
    def cursor_moved(self) -> None:
        from tui.core.media.waveform import render_waveform

        self.refresh_timeline()
        width = max(10, self.size.width - 2) if self.size.width else 76
        height = 4 if self.app.size.height < 40 else 8
        if self.wave is not None:
            self.wave_box.update(
                Group(*render_waveform(self.wave, width, height, cursor_s=self.editor.cursor_s))
            )
        elif self.media_error is not None:
            self.wave_box.update(
                Text(_("no waveform (see above); typing still works"), style="dim")
            )
        else:
            self.wave_box.update(Text(_("drawing the waveform…"), style="dim italic"))
        self.state.update(self._state_text())
        self.quality_line.update(self._quality_text())
        if self.field is not None:
            self.field_title.update(self._field_title())
        if self.segment_labels:
            self.legend_line.update(legend(self.ctx, self.segment_labels))

    def _state_text(self) -> Text:
        playing = self.player is not None and self.player.is_playing
        out = Text()
        out.append(_(" ▶ playing ") if playing else _(" ■ stopped "), style="reverse bold")
        out.append(_("  {play} play/stop  ").format(play=self.key_of("audio.play")), style="dim")
        out.append_text(self._marks_brief())
        return out

    def _marks_brief(self) -> Text:
        ed = self.editor
        out = Text()
        if ed.mark_in is not None or ed.mark_out is not None:
            a = format_time(ed.mark_in) if ed.mark_in is not None else "—"
            b = format_time(ed.mark_out) if ed.mark_out is not None else "—"
            out.append(_("in {a} out {b}").format(a=a, b=b), style="yellow")
        return out

    def _field_title(self) -> Text:
        title = Text(_("Transcript"), style="bold")
        if self.field is not None and self.field.has_focus:
            title.append(
                _("  typing · {submit} saves · {play} play/stop · {cancel} leaves").format(
                    submit=self.key_of("app.submit"),
                    play=self.key_of("audio.play"),
                    cancel=self.key_of("audio.cancel"),
                ),
                style="green",
            )
        else:
            title.append(_("  {edit} types").format(edit=self.key_of("audio.edit")), style="dim")
        return title

    def _quality_text(self) -> Text:
        out = Text(_("Quality: "), style="bold")
        for binding_id, quality in QUALITY_BINDINGS.items():
            if quality not in self.options.quality:
                continue
            on_ = quality in self.quality
            out.append(f" {self.key_of(binding_id)} ", style="reverse bold")
            out.append("■ " if on_ else "□ ", style="green" if on_ else "")
            out.append(_(QUALITY_WORDS[quality]) + " ", style="bold red" if on_ else "")
        return out

    # -- playback --------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.player is not None and self.player.is_playing:
            self._stop_playback()
            self.post_message(
                self.Notice(
                    _("stopped at {cursor_s}").format(cursor_s=format_time(self.editor.cursor_s))
                )
            )
            self.cursor_moved()
            return
        if self.path is None or self.media_error is not None:
            self.tell(
                _("cannot play this file: see the message above"),
                _("cannot play: {media_error}").format(media_error=self.media_error),
            )
            return
        from tui.core.media.playback import NO_PLAYER_NOTICE, AudioPlayer

        if self.player is None:
            self.player = AudioPlayer()
        start = self.editor.cursor_s
        if self.editor.known and start >= (self.editor.duration_s or 0.0) - 0.05:
            start = self.editor.move_to(0.0)
        try:
            name = self.player.start(self.path, start, self.editor.duration_s)
        except MediaError as exc:
            whole = self.short(exc.message)
            short = _("cannot play: see the message above")
            if NO_PLAYER_NOTICE in whole:
                short = _("no audio player here: install ffmpeg (ffplay) or mpv (see above)")
            self.tell(short, whole)
            return
        self.post_message(
            self.Notice(
                _("playing from {start} with {name}").format(start=format_time(start), name=name)
            )
        )
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_interval(TICK_S, self._tick)
        self.cursor_moved()

    def _tick(self) -> None:
        player = self.player
        if player is None:
            return
        position = player.position_s()
        if position is not None and self.editor.known:
            self.editor.move_to(position)
        if not player.is_playing:
            failure = player.failure()
            self._stop_playback()
            if failure:
                self.post_message(self.Notice(failure, error=True))
        self.cursor_moved()

    def _stop_playback(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.player is not None:
            self.player.stop()
            position = self.player.position_s()
            if position is not None and self.editor.known:
                self.editor.move_to(position)

    def before_suspend(self) -> None:
        self._stop_playback()

    # -- keys ------------------------------------------------------------------------------
    @property
    def editing(self) -> bool:
        return self.field is not None and self.field.has_focus

    @property
    def editing_label(self) -> str:
        return _("the transcript")

    def _state(self) -> tuple[str, list[str], list[dict[str, Any]]]:
        transcript = " ".join(self.field.value.split()) if self.field is not None else ""
        return transcript, sorted(self.quality), self.editor.values()

    @property
    def draft_changed(self) -> bool:
        return self._state() != self._initial

    def on_key(self, event: events.Key) -> None:
        if not self.editing:
            return
        if event.key in self.play_keys:
            event.stop()
            event.prevent_default()
            self.toggle_play()
        elif event.key in self.leave_keys:
            event.stop()
            event.prevent_default()
            focus_now(self)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.field is not None:
            self.field_title.update(self._field_title())

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if self.field is not None:
            self.field_title.update(self._field_title())

    def act_label(self, n: int) -> None:
        self.apply_segment_label(n)

    def _toggle_quality(self, quality: Quality) -> None:
        if quality not in self.options.quality:
            self.post_message(self.Notice(_("this batch does not ask for that"), error=True))
        elif quality in self.quality:
            self.quality.remove(quality)
        else:
            self.quality.append(quality)
        self.cursor_moved()

    def act_noise(self) -> None:
        self._toggle_quality(QUALITY_BINDINGS["audio.noise"])

    def act_overlap(self) -> None:
        self._toggle_quality(QUALITY_BINDINGS["audio.overlap"])

    def act_unintelligible(self) -> None:
        self._toggle_quality(QUALITY_BINDINGS["audio.unintelligible"])

    def act_other_language(self) -> None:
        self._toggle_quality(QUALITY_BINDINGS["audio.other_language"])

    def act_play(self) -> None:
        self.toggle_play()

    def act_edit(self) -> None:
        if self.field is None:
            self.post_message(self.Notice(_("this batch asks for no transcript"), error=True))
        else:
            focus_now(self.field)

    def act_external(self) -> None:
        self._stop_playback()
        self.open_external(self.editor.cursor_s)

    def build_answer(self) -> tuple[str, AudioAnswer | None] | Refusal:
        pending = self.pending_marks()
        if pending is not None:
            return pending
        transcript = " ".join(self.field.value.split()) if self.field is not None else ""
        quality = [q for q in QUALITIES if q in self.quality]
        if self.field is not None and not transcript and not quality:
            if self.editing:
                return Refusal(_("type what is said first"))
            return Refusal(
                _(
                    "type the transcript ({edit}) or mark why not (e.g. {unintelligible} unintelligible)"
                ).format(
                    edit=self.key_of("audio.edit"),
                    unintelligible=self.key_of("audio.unintelligible"),
                )
            )
        if self.field is None and not quality and not self.editor.segments:
            return Refusal(_("mark a segment or a quality label, or skip the item"))
        segments = list(self.editor.segments)
        return "accept", AudioAnswer(transcript=transcript, quality=quality, segments=segments)

    def hint_ids(self) -> list[str]:
        ids = ["app.submit", "audio.play", "audio.edit", "audio.mark_in", "audio.mark_out"]
        return ids if self.field is not None else [i for i in ids if i != "audio.edit"]
