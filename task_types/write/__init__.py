"""write: write, rewrite or translate a text (nl <-> en), checked live against the batch's rules."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

from task_types.base import BindingSpec, TaskContent, TaskOptions, TaskType, TaskTypeError
from task_types.write.models import WriteAnswer, WriteOptions, WriteTask
from tui.core.i18n import N_, _


class WriteType(TaskType):
    def check(self, task: TaskContent, options: TaskOptions) -> None:
        assert isinstance(task, WriteTask) and isinstance(options, WriteOptions)
        if not (task.source or "").strip() and not (task.prompt or "").strip():
            raise TaskTypeError(
                _(
                    "a write task needs a `source` (text to rewrite or translate) "
                    "or a `prompt` (what to write); this one has neither"
                ),
                "source",
            )

    def labels_of(self, value: Mapping[str, Any] | None) -> list[str]:
        return []

    def summarize(self, value: Mapping[str, Any] | None) -> str:
        if not value or not isinstance(value.get("text"), str):
            return "—"
        text = " ".join(str(value["text"]).split())
        short = text if len(text) <= 60 else text[:59] + "…"
        extra = _(", overridden") if value.get("override") else ""
        return _("{words} words{extra}: {short}").format(
            words=value.get("words", "?"), extra=extra, short=short
        )

    def answer_key(self, value: Mapping[str, Any] | None) -> Hashable:
        """The text with its whitespace normalised (as gold_matches compares it); counts,
        the detected language and the checks follow from the text."""
        text = value.get("text") if value else None
        return " ".join(text.split()) if isinstance(text, str) else ()

    def gold_matches(self, value: Mapping[str, Any] | None, gold: Mapping[str, Any]) -> bool:
        """Free text matches gold only when it is the same text, whitespace aside."""
        if value is None:
            return False
        mine, theirs = value.get("text"), gold.get("text")
        if not isinstance(mine, str) or not isinstance(theirs, str):
            return False
        return mine.split() == theirs.split()


TASK_TYPE = WriteType(
    name="write",
    title="Write, rewrite or translate a text",
    options_model=WriteOptions,
    task_model=WriteTask,
    answer_model=WriteAnswer,
    view_path="task_types.write.view:WriteView",
    bindings=(
        BindingSpec("edit", N_("type in the built-in editor (⏎ saves the item, Ctrl+j new line)")),
        BindingSpec("leave", N_("leave the editor, keeping the text")),
        BindingSpec("external", N_("edit the text in $EDITOR")),
        BindingSpec("override", N_("submit despite broken rules, with a reason")),
    ),
    package_dir=Path(__file__).parent,
)
