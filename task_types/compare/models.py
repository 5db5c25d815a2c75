"""compare: pick the better of two responses (A/B), or rank three or more."""

from __future__ import annotations

import hashlib
import random
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from task_types.base import AnswerValue, TaskContent, TaskOptions
from tui.core.i18n import _

Outcome = Literal["win", "tie", "both_bad"]


class CompareOptions(TaskOptions):
    reason: Literal["optional", "required", "none"] = "optional"


class Response(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    text: str

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        # Ids are often numbers in exported data; the answer names them as strings.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class CompareTask(TaskContent):
    prompt: str
    responses: list[Response]


class CompareAnswer(AnswerValue):
    winner: str | None = None
    outcome: Outcome | None = None
    ranking: list[str] | None = None
    shown_order: list[str] = Field(min_length=2)
    seed: int
    reason: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> CompareAnswer:
        shown = set(self.shown_order)
        if len(shown) != len(self.shown_order):
            raise ValueError(_("shown_order repeats a response id"))
        if self.ranking is not None:
            if self.outcome is not None or self.winner is not None:
                raise ValueError(_("a ranking has no winner or outcome"))
            if sorted(self.ranking) != sorted(self.shown_order):
                raise ValueError(_("ranking must order exactly the shown responses"))
            return self
        if self.outcome is None:
            raise ValueError(_("give an outcome (win, tie, both_bad) or a ranking"))
        if (self.outcome == "win") != (self.winner is not None):
            raise ValueError(_("a win names its winner; a tie or both_bad has none"))
        if self.winner is not None and self.winner not in shown:
            raise ValueError(
                _("winner {winner!r} is not one of the shown responses").format(winner=self.winner)
            )
        return self

    @model_serializer(mode="wrap")
    def _only_own_kind(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A/B answers and rankings share one model; each result line keeps only its own keys.
        data: dict[str, Any] = handler(self)
        drop = ("winner", "outcome") if self.ranking is not None else ("ranking",)
        return {k: v for k, v in data.items() if k not in drop}


def seed_for(task_id: str, annotator: str) -> int:
    """A stable per-(task, annotator) seed: the same person sees the same order again, and
    different people see independent orders, so position bias can be measured."""
    digest = hashlib.sha256(f"{task_id}\0{annotator}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def shuffled(ids: list[str], seed: int) -> list[str]:
    order = list(ids)
    random.Random(seed).shuffle(order)
    return order
