"""rate: score one assistant turn of a dialogue on several criteria, with a justification."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

from task_types.base import BindingSpec, TaskContent, TaskOptions, TaskType, TaskTypeError
from task_types.rate.models import RateAnswer, RateOptions, RateTask
from tui.core.i18n import N_, _


class RateType(TaskType):
    def check(self, task: TaskContent, options: TaskOptions) -> None:
        assert isinstance(task, RateTask) and isinstance(options, RateOptions)
        if task.messages is None:
            if task.prompt is None and task.response is None:
                raise TaskTypeError(
                    _("no dialogue: give messages [{role, content}, ...] or prompt and response"),
                    "messages",
                )
            if task.response is None:
                raise TaskTypeError(_("prompt without response: nothing to rate"), "response")
            if task.prompt is None:
                raise TaskTypeError(_("response without prompt: give the prompt too"), "prompt")
        elif not task.messages:
            raise TaskTypeError(_("the dialogue has no messages"), "messages")
        turns = task.dialogue()
        target = task.target_index()
        if target is None:
            raise TaskTypeError(
                _("the dialogue has no assistant message to rate; set target"), "messages"
            )
        if target >= len(turns):
            raise TaskTypeError(
                _(
                    "target {target} is out of range: the dialogue has {count} message(s), "
                    "indexed 0-{last}"
                ).format(target=target, count=len(turns), last=len(turns) - 1),
                "target",
            )
        if turns[target].role != "assistant":
            raise TaskTypeError(
                _("target {target} is a {role} message; only assistant messages are rated").format(
                    target=target, role=turns[target].role
                ),
                "target",
            )

    def labels_of(self, value: Mapping[str, Any] | None) -> list[str]:
        ratings = value.get("ratings") if value else None
        if not isinstance(ratings, Mapping):
            return []
        return [f"{name}={score}" for name, score in ratings.items()]

    def summarize(self, value: Mapping[str, Any] | None) -> str:
        labels = self.labels_of(value)
        if not value or not labels:
            return "—"
        text = ", ".join(labels)
        note = str(value.get("note") or "").strip()
        if note:
            first = note.splitlines()[0]
            text += f" · {first[:40]}…" if len(first) > 40 else f" · {first}"
        return text

    def answer_key(self, value: Mapping[str, Any] | None) -> Hashable:
        """The scores per criterion of the rated message; the free-text note does not count."""
        ratings = value.get("ratings") if value else None
        if not isinstance(ratings, Mapping):
            return ()
        scores = tuple(sorted((str(k), repr(v)) for k, v in ratings.items()))
        return (value.get("target") if value else None, scores)

    def gold_matches(self, value: Mapping[str, Any] | None, gold: Mapping[str, Any]) -> bool:
        # Gold may cover only some criteria (the unambiguous ones); those must match exactly.
        if value is None:
            return False
        mine, expected = value.get("ratings"), gold.get("ratings")
        if not isinstance(mine, Mapping) or not isinstance(expected, Mapping):
            return False
        return all(mine.get(name) == score for name, score in expected.items())


_DIGITS = tuple(BindingSpec(f"score_{d}", N_("give the selected criterion {n}")) for d in range(10))

TASK_TYPE = RateType(
    name="rate",
    title="Rate a response on several criteria",
    options_model=RateOptions,
    task_model=RateTask,
    answer_model=RateAnswer,
    view_path="task_types.rate.view:RateView",
    bindings=(
        BindingSpec("up", N_("select the criterion above")),
        BindingSpec("down", N_("select the criterion below")),
        *_DIGITS,
        BindingSpec("clear", N_("clear the selected criterion's score")),
        BindingSpec("note", N_("write the note (⏎ saves the item, Ctrl+j new line, Esc leaves)")),
        BindingSpec("leave", N_("leave the note, keeping its text")),
        BindingSpec("scroll_up", N_("scroll the dialogue up"), review=True),
        BindingSpec("scroll_down", N_("scroll the dialogue down"), review=True),
    ),
    package_dir=Path(__file__).parent,
)
