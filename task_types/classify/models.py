"""classify: choose one label (or several) for a text."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from task_types.base import AnswerValue, TaskContent, TaskOptions
from task_types.common import unique_labels


class ClassifyOptions(TaskOptions):
    labels: list[str] | None = Field(default=None, min_length=1)
    multi: bool = False

    @field_validator("labels")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        return unique_labels(value) if value is not None else None


class Choice(BaseModel):
    """Prodigy's `options` entry: {"id": ..., "text": ...}."""

    model_config = ConfigDict(extra="allow")
    id: str | int
    text: str


class ClassifyTask(TaskContent):
    text: str
    options: list[Choice] | None = Field(default=None, min_length=1)
    label: str | None = None  # a Prodigy textcat line's proposed label: shown, not required


class ClassifyAnswer(AnswerValue):
    labels: list[str]
