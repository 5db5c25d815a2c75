"""classify: one label (single) or several (multi) from the batch's list or the task's options."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from task_types.base import (
    MAX_LABEL_KEYS,
    BindingSpec,
    TaskContent,
    TaskOptions,
    TaskType,
    TaskTypeError,
)
from task_types.classify.models import ClassifyAnswer, ClassifyOptions, ClassifyTask
from tui.core.i18n import N_, _


def choices_for(task: ClassifyTask, options: ClassifyOptions) -> list[tuple[str, str]]:
    """(stored label, shown text) for every choice of a task."""
    if task.options:
        return [(str(o.id), o.text) for o in task.options]
    return [(label, label) for label in options.labels or []]


class ClassifyType(TaskType):
    def summarize(self, value: Mapping[str, Any] | None) -> str:
        labels = self.labels_of(value)
        return ", ".join(labels) if labels else "—"

    def check(self, task: TaskContent, options: TaskOptions) -> None:
        assert isinstance(task, ClassifyTask) and isinstance(options, ClassifyOptions)
        choices = choices_for(task, options)
        if not choices:
            raise TaskTypeError(
                _(
                    "no labels to choose from: give [task] labels in batch.toml (or --labels), "
                    "or options in the task"
                ),
                "options",
            )
        ids = [c[0] for c in choices]
        if len(set(ids)) != len(ids):
            raise TaskTypeError(_("the task's options repeat an id"), "options")
        if len(choices) > MAX_LABEL_KEYS:
            raise TaskTypeError(
                _("{count} labels, but only {keys} label keys exist").format(
                    count=len(choices), keys=MAX_LABEL_KEYS
                ),
                "options",
            )


TASK_TYPE = ClassifyType(
    name="classify",
    title="Choose one or more labels",
    options_model=ClassifyOptions,
    task_model=ClassifyTask,
    answer_model=ClassifyAnswer,
    view_path="task_types.classify.view:ClassifyView",
    bindings=(BindingSpec("clear", N_("clear the chosen labels")),),
    package_dir=Path(__file__).parent,
    uses_label_keys=True,
)
