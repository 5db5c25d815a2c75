"""spans: mark entities in a text (Prodigy's ner_manual). Models only; no Textual here."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from task_types.base import MAX_LABEL_KEYS, AnswerValue, TaskContent, TaskOptions, empty_list
from task_types.common import unique_labels
from tui.core.i18n import _


class SpansOptions(TaskOptions):
    # Required: label keys must mean the same label on every item of a batch, so the labels
    # cannot be guessed per item from its pre-set spans.
    labels: list[str] = Field(min_length=1, max_length=MAX_LABEL_KEYS)
    # Token rules when a task has no tokens of its own; default: the batch's language.
    tokenizer: Literal["en", "nl"] = "en"
    # An EntityRuler pattern file in the batch folder: its matches are suggested spans.
    patterns: str | None = None

    @field_validator("patterns")
    @classmethod
    def _pattern_file_inside(cls, value: str | None) -> str | None:
        # A shared batch.toml must not make labeldesk read any file on disk.
        if value is not None:
            normal = os.path.normpath(value)
            if not value or os.path.isabs(value) or value.startswith("~") or normal == "..":
                raise ValueError(_("must be a path inside the batch folder, relative to it"))
            if normal.startswith(".." + os.sep):
                raise ValueError(_("must stay inside the batch folder: no '..' leading out"))
        return value

    @field_validator("labels")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return unique_labels(value)


class Token(BaseModel):
    """Prodigy's token: character offsets [start, end), optional id and text (kept as given)."""

    model_config = ConfigDict(extra="allow")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    id: int | None = None
    text: str | None = None


class PresetSpan(BaseModel):
    """A span given in the task: [start, end) in characters. Prodigy's extra fields (text,
    token_start, score, source, answer, ...) are kept but not trusted: tokens are recomputed."""

    model_config = ConfigDict(extra="allow")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str


class SpansTask(TaskContent):
    text: str
    tokens: list[Token] | None = None
    spans: list[PresetSpan] = Field(default_factory=empty_list)


class SpanValue(BaseModel):
    """One marked span of an answer: characters [start, end), tokens token_start..token_end
    (inclusive, as in Prodigy)."""

    model_config = ConfigDict(extra="forbid")
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    label: str = Field(min_length=1)
    token_start: int = Field(ge=0)
    token_end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> SpanValue:
        if self.end <= self.start:
            raise ValueError(
                _("span {start}-{end} is empty: end must exceed start").format(
                    start=self.start, end=self.end
                )
            )
        if self.token_end < self.token_start:
            raise ValueError(
                _("token_end {token_end} comes before token_start {token_start}").format(
                    token_end=self.token_end, token_start=self.token_start
                )
            )
        return self


class SpansAnswer(AnswerValue):
    spans: list[SpanValue]
