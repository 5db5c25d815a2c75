"""write: write, rewrite or translate a text to the batch's rules (no Textual here)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from task_types.base import AnswerValue, TaskContent, TaskOptions, empty_list
from tui.core.i18n import _

Language = Literal["nl", "en"]
KeepKind = Literal["placeholders", "numbers", "urls"]


class WriteOptions(TaskOptions):
    """The [task] rules. Strict ints: `min_words = "twenty"` or `= "20"` is a typo, not a rule."""

    min_words: StrictInt | None = Field(default=None, ge=0)
    max_words: StrictInt | None = Field(default=None, ge=1)
    min_chars: StrictInt | None = Field(default=None, ge=0)
    max_chars: StrictInt | None = Field(default=None, ge=1)
    language: Language | None = None
    forbidden: list[str] = Field(default_factory=empty_list)
    keep: list[KeepKind] = Field(default_factory=empty_list)
    # "source" starts the editor with the source text: a rewrite edits rather than retypes.
    prefill: Literal["empty", "source"] = "empty"

    @field_validator("forbidden")
    @classmethod
    def _phrases(cls, value: list[str]) -> list[str]:
        for phrase in value:
            if not phrase.strip():
                raise ValueError(_("forbidden phrases may not be empty strings"))
        return value

    @field_validator("keep")
    @classmethod
    def _distinct(cls, value: list[KeepKind]) -> list[KeepKind]:
        if len(set(value)) != len(value):
            raise ValueError(_("keep lists an item twice"))
        return value

    @model_validator(mode="after")
    def _ranges(self) -> WriteOptions:
        for unit in ("words", "chars"):
            low, high = getattr(self, f"min_{unit}"), getattr(self, f"max_{unit}")
            if low is not None and high is not None and low > high:
                raise ValueError(
                    _("min_{unit} ({low}) is larger than max_{unit} ({high})").format(
                        unit=unit, low=low, high=high
                    )
                )
        return self


class WriteTask(TaskContent):
    source: str | None = None  # the text to rewrite or translate
    prompt: str | None = None  # what to write
    instructions: str | None = None


class Violation(BaseModel):
    """One broken rule: `rule` is the [task] key (keep rules as keep.numbers, ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rule: str
    message: str


class Override(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1)
    violations: list[Violation] = Field(min_length=1)


class WriteAnswer(AnswerValue):
    text: str = Field(min_length=1)
    words: int = Field(ge=0)
    chars: int = Field(ge=0)
    language: Language | None  # detected; None when the text is too short to tell
    checks: list[Violation]
    override: Override | None = None
    editor: Literal["builtin", "external"] = "builtin"
