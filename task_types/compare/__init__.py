"""compare: pick the better of two responses or rank several; placement is shuffled."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

from task_types.base import BindingSpec, TaskContent, TaskOptions, TaskType, TaskTypeError
from task_types.compare.models import CompareAnswer, CompareOptions, CompareTask
from tui.core.i18n import N_, _

# Letters name the shown positions; past Z a ranking would have no way to point at a row.
MAX_RESPONSES = 26


class CompareType(TaskType):
    def check(self, task: TaskContent, options: TaskOptions) -> None:
        assert isinstance(task, CompareTask)
        count = len(task.responses)
        if count < 2:
            raise TaskTypeError(
                _("a comparison needs at least two responses; this task has {count}").format(
                    count=count
                ),
                "responses",
            )
        if count > MAX_RESPONSES:
            raise TaskTypeError(
                _("{count} responses; at most {most} can be ranked").format(
                    count=count, most=MAX_RESPONSES
                ),
                "responses",
            )
        seen: dict[str, int] = {}
        for index, response in enumerate(task.responses):
            if response.id in seen:
                raise TaskTypeError(
                    _(
                        "response id {id!r} is used twice (responses.{first} and responses.{index})"
                    ).format(id=response.id, first=seen[response.id], index=index),
                    f"responses.{index}.id",
                )
            seen[response.id] = index

    def labels_of(self, value: Mapping[str, Any] | None) -> list[str]:
        if not value:
            return []
        ranking = value.get("ranking")
        if isinstance(ranking, list):
            return [">".join(str(r) for r in ranking)]
        outcome = value.get("outcome")
        if outcome == "win":
            return [str(value.get("winner"))]
        return [str(outcome)] if outcome else []

    def answer_key(self, value: Mapping[str, Any] | None) -> Hashable:
        """The response chosen (by id: each annotator saw the sides in their own shuffled
        order), the outcome of a tie or both-bad, or the ranking; the reason does not count."""
        if not value:
            return ()
        ranking = value.get("ranking")
        if isinstance(ranking, list):
            return ("ranking", tuple(str(r) for r in ranking))
        return ("outcome", str(value.get("outcome")), str(value.get("winner")))

    def summarize(self, value: Mapping[str, Any] | None) -> str:
        labels = self.labels_of(value)
        if not value or not labels:
            return "—"
        if value.get("outcome") == "win":
            shown = list(value.get("shown_order") or [])
            winner = value.get("winner")
            side = chr(ord("A") + shown.index(winner)) if winner in shown else "?"
            return _("winner {winner} (shown as {side})").format(winner=winner, side=side)
        if value.get("ranking") is not None:
            return _("ranking {labels}").format(labels=labels[0])
        return labels[0].replace("_", " ")


TASK_TYPE = CompareType(
    name="compare",
    title="Compare responses: pick the better one or rank them",
    options_model=CompareOptions,
    task_model=CompareTask,
    answer_model=CompareAnswer,
    view_path="task_types.compare.view:CompareView",
    bindings=(
        BindingSpec("pick_a", N_("A is better")),
        BindingSpec("pick_b", N_("B is better")),
        BindingSpec("tie", N_("tie: both equally good")),
        BindingSpec("both_bad", N_("both bad: neither is acceptable")),
        BindingSpec("reason", N_("write the reason (⏎ saves the item, Esc leaves the reason)")),
        BindingSpec("leave", N_("leave the reason, keeping its text")),
        BindingSpec("up", N_("ranking: select the response above")),
        BindingSpec("down", N_("ranking: select the response below")),
        BindingSpec("move_up", N_("ranking: move the selected response up")),
        BindingSpec("move_down", N_("ranking: move the selected response down")),
        BindingSpec("scroll_up", N_("scroll the responses up"), review=True),
        BindingSpec("scroll_down", N_("scroll the responses down"), review=True),
    ),
    package_dir=Path(__file__).parent,
    # Ranking: the digits type each response's rank (1 = best), A first.
    uses_label_keys=True,
    label_key_count=9,
)
