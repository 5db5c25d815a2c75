"""binary: accept / reject / skip one proposed label."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from task_types.base import BindingSpec, TaskContent, TaskOptions, TaskType, TaskTypeError
from task_types.binary.models import BinaryAnswer, BinaryOptions, BinaryTask
from tui.core.i18n import N_, _


class BinaryType(TaskType):
    def check(self, task: TaskContent, options: TaskOptions) -> None:
        assert isinstance(task, BinaryTask) and isinstance(options, BinaryOptions)
        for n, span in enumerate(task.spans):
            if span.end < span.start or span.end > len(task.text):
                raise TaskTypeError(
                    _("span {start}-{end} lies outside the text (0-{size})").format(
                        start=span.start, end=span.end, size=len(task.text)
                    ),
                    f"spans.{n}",
                )

    def labels_of(self, value: Mapping[str, Any] | None) -> list[str]:
        if not value:
            return []
        return ["accept" if value.get("accept") else "reject"]

    def summarize(self, value: Mapping[str, Any] | None) -> str:
        if not value:
            return "—"
        verdict = "accepted" if value.get("accept") else "rejected"
        return f"{verdict} {value.get('label') or ''}".strip()

    def gold_matches(self, value: Mapping[str, Any] | None, gold: Mapping[str, Any]) -> bool:
        if value is None:
            return False
        expected = gold.get("accept")
        if expected is None and "answer" in gold:
            expected = gold["answer"] == "accept"
        return bool(value.get("accept")) == bool(expected)


TASK_TYPE = BinaryType(
    name="binary",
    title="Accept or reject a proposed label",
    options_model=BinaryOptions,
    task_model=BinaryTask,
    answer_model=BinaryAnswer,
    view_path="task_types.binary.view:BinaryView",
    bindings=(
        BindingSpec("accept", N_("accept the proposed label")),
        BindingSpec("reject", N_("reject the proposed label")),
    ),
    package_dir=Path(__file__).parent,
    answer_kinds=("accept", "reject"),
)
