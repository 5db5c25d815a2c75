"""rate: score one assistant turn of a dialogue on the batch's criteria (Likert scales)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from task_types.base import AnswerValue, TaskContent, TaskOptions
from tui.core.i18n import _

# Scores are typed with one digit key; a 1-10 scale types 10 as 0.
MIN_POINT, MAX_POINT = 0, 10


class Criterion(BaseModel):
    """One [[task.criteria]] table of batch.toml."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, pattern=r"^[^=\s][^=]*$")
    description: str = ""
    scale: tuple[StrictInt, StrictInt] = (1, 5)
    required: StrictBool = True

    @field_validator("scale")
    @classmethod
    def _typable(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if not MIN_POINT <= low < high <= MAX_POINT:
            raise ValueError(
                _("scale must be [low, high] with {min} <= low < high <= {max}").format(
                    min=MIN_POINT, max=MAX_POINT
                )
            )
        if low == 0 and high == 10:
            raise ValueError(_("scale [0, 10] has 11 points but only 10 digit keys exist"))
        return value

    def score_for_digit(self, digit: int) -> int | None:
        """The score a digit key gives on this scale, or None when it is off the scale."""
        if self.scale[0] <= digit <= self.scale[1]:
            return digit
        if digit == 0 and self.scale[1] == 10:
            return 10
        return None


class RateOptions(TaskOptions):
    criteria: list[Criterion] = Field(min_length=1)
    note_required: StrictBool = False

    @field_validator("criteria")
    @classmethod
    def _distinct(cls, value: list[Criterion]) -> list[Criterion]:
        seen: set[str] = set()
        for criterion in value:
            if criterion.name in seen:
                raise ValueError(
                    _("criterion {name!r} is listed twice").format(name=criterion.name)
                )
            seen.add(criterion.name)
        return value


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["user", "assistant", "system"]
    content: str


class RateTask(TaskContent):
    messages: list[Message] | None = None
    prompt: str | None = None
    response: str | None = None
    target: int | None = Field(default=None, ge=0)

    def dialogue(self) -> list[Message]:
        """The messages, or the prompt + response pair as a two-turn dialogue."""
        if self.messages is not None:
            return self.messages
        turns: list[Message] = []
        if self.prompt is not None:
            turns.append(Message(role="user", content=self.prompt))
        if self.response is not None:
            turns.append(Message(role="assistant", content=self.response))
        return turns

    def target_index(self) -> int | None:
        """The rated message: the task's target, else the last assistant message."""
        if self.target is not None:
            return self.target
        turns = self.dialogue()
        for index in range(len(turns) - 1, -1, -1):
            if turns[index].role == "assistant":
                return index
        return None


class RateAnswer(AnswerValue):
    ratings: dict[str, int]
    target: int = Field(ge=0)
    note: str = ""
