"""audio: transcribe a recording while it plays, mark its quality, and mark labelled time
segments on its waveform."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from task_types.audio.models import AudioAnswer, AudioOptions, AudioTask
from task_types.base import BindingSpec, TaskContent, TaskOptions, TaskType
from task_types.media_common import check_media_path
from task_types.video import TIMED_BINDINGS
from tui.core.i18n import N_, ngettext


class AudioType(TaskType):
    def check(self, task: TaskContent, options: TaskOptions) -> None:
        assert isinstance(task, AudioTask)
        check_media_path(task.audio, "audio")

    def summarize(self, value: Mapping[str, Any] | None) -> str:
        if not value:
            return "—"
        parts = []
        if value.get("transcript"):
            parts.append(repr(str(value["transcript"])[:60]))
        if value.get("quality"):
            parts.append(", ".join(str(q) for q in value["quality"]))
        if value.get("segments"):
            count = len(value["segments"])
            parts.append(ngettext("{count} segment", "{count} segments", count).format(count=count))
        return " · ".join(parts) or "—"

    def labels_of(self, value: Mapping[str, Any] | None) -> list[str]:
        if not value:
            return []
        found = [str(x) for x in value.get("quality") or []]
        found += [str(s.get("label")) for s in value.get("segments") or [] if isinstance(s, dict)]
        return found


TASK_TYPE = AudioType(
    name="audio",
    title="Transcribe and mark an audio recording",
    options_model=AudioOptions,
    task_model=AudioTask,
    answer_model=AudioAnswer,
    view_path="task_types.audio.view:AudioView",
    bindings=(
        BindingSpec("play", N_("play / stop from the cursor (also while typing)"), review=True),
        BindingSpec("edit", N_("type the transcript (⏎ saves the item, Esc leaves)")),
        BindingSpec("noise", N_("toggle quality: background noise")),
        BindingSpec("overlap", N_("toggle quality: overlapping speech")),
        BindingSpec("unintelligible", N_("toggle quality: unintelligible")),
        BindingSpec("other_language", N_("toggle quality: another language")),
        *TIMED_BINDINGS,
    ),
    package_dir=Path(__file__).parent,
    uses_label_keys=True,
)
