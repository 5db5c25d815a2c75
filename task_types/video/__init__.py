"""video: mark labelled time segments (in/out points) on a thumbnail strip, and optionally
label the whole video."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from task_types.base import BindingSpec, TaskContent, TaskOptions, TaskType
from task_types.media_common import check_media_path
from task_types.video.models import VideoAnswer, VideoOptions, VideoTask
from tui.core.i18n import N_, ngettext

TIMED_BINDINGS = (
    BindingSpec("back", N_("move the time cursor back a small step"), review=True),
    BindingSpec("forward", N_("move the time cursor forward a small step"), review=True),
    BindingSpec("back_big", N_("move the time cursor back a large step"), review=True),
    BindingSpec("forward_big", N_("move the time cursor forward a large step"), review=True),
    BindingSpec("start", N_("move the time cursor to the start"), review=True),
    BindingSpec("end", N_("move the time cursor to the end"), review=True),
    BindingSpec("mark_in", N_("mark the in point (segment start) at the cursor")),
    BindingSpec("mark_out", N_("mark the out point (segment end) at the cursor")),
    BindingSpec("delete", N_("delete the segment under the cursor")),
    BindingSpec("cancel", N_("drop the in/out marks")),
    BindingSpec("external", N_("open the external player at the cursor's time"), review=True),
)


def summarize_segments(value: Mapping[str, Any] | None) -> str:
    if not value:
        return "—"
    segments = value.get("segments") or []
    parts = [
        ngettext("{count} segment", "{count} segments", len(segments)).format(count=len(segments))
    ]
    labels = value.get("labels") or []
    if labels:
        parts.append(", ".join(str(x) for x in labels))
    return " · ".join(parts)


class VideoType(TaskType):
    def check(self, task: TaskContent, options: TaskOptions) -> None:
        assert isinstance(task, VideoTask)
        check_media_path(task.video, "video")

    def summarize(self, value: Mapping[str, Any] | None) -> str:
        return summarize_segments(value)

    def labels_of(self, value: Mapping[str, Any] | None) -> list[str]:
        if not value:
            return []
        found = [str(x) for x in value.get("labels") or []]
        found += [str(s.get("label")) for s in value.get("segments") or [] if isinstance(s, dict)]
        return found


TASK_TYPE = VideoType(
    name="video",
    title="Mark labelled segments in a video",
    options_model=VideoOptions,
    task_model=VideoTask,
    answer_model=VideoAnswer,
    view_path="task_types.video.view:VideoView",
    bindings=(
        *TIMED_BINDINGS,
        BindingSpec(
            "prev_thumb", N_("move the cursor to the previous thumbnail's time"), review=True
        ),
        BindingSpec("next_thumb", N_("move the cursor to the next thumbnail's time"), review=True),
        BindingSpec("mode", N_("switch label keys between segment labels and item labels")),
    ),
    package_dir=Path(__file__).parent,
    uses_label_keys=True,
)
