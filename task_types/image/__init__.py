"""image: classify (labels from [task] labels, single or multi) and/or describe an image."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from task_types.base import BindingSpec, TaskContent, TaskOptions, TaskType
from task_types.image.models import ImageAnswer, ImageOptions, ImageTask
from task_types.media_common import check_media_path
from tui.core.i18n import N_


class ImageType(TaskType):
    def check(self, task: TaskContent, options: TaskOptions) -> None:
        assert isinstance(task, ImageTask)
        check_media_path(task.image, "image")

    def summarize(self, value: Mapping[str, Any] | None) -> str:
        if not value:
            return "—"
        parts = [", ".join(str(x) for x in value.get("labels") or [])]
        if value.get("description"):
            parts.append(repr(str(value["description"])[:60]))
        return " · ".join(p for p in parts if p) or "—"


TASK_TYPE = ImageType(
    name="image",
    title="Classify or describe an image",
    options_model=ImageOptions,
    task_model=ImageTask,
    answer_model=ImageAnswer,
    view_path="task_types.image.view:ImageView",
    bindings=(
        BindingSpec("zoom", N_("show the picture filling the screen"), review=True),
        BindingSpec("external", N_("open the picture in an external viewer"), review=True),
        BindingSpec("edit", N_("type the description (⏎ saves the item, Esc leaves)")),
        BindingSpec("leave", N_("leave the description, keeping its text")),
        BindingSpec("clear", N_("clear the chosen labels")),
    ),
    package_dir=Path(__file__).parent,
    uses_label_keys=True,
)
