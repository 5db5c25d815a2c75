"""image: classify an image with labels, or describe it in words, or both."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from task_types.base import AnswerValue, TaskContent, TaskOptions
from task_types.common import unique_labels
from tui.core.i18n import _


class ImageOptions(TaskOptions):
    labels: list[str] | None = Field(default=None, min_length=1)
    multi: bool = False
    describe: bool = False  # a description / caption text field
    min_chars: int = Field(default=1, ge=0)  # of the description, when describe = true

    @field_validator("labels")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        return unique_labels(value) if value is not None else None

    @model_validator(mode="after")
    def _something_to_do(self) -> ImageOptions:
        if not self.labels and not self.describe:
            raise ValueError(_("give labels = [...] and/or describe = true: nothing to answer"))
        return self


class ImageTask(TaskContent):
    image: str
    text: str | None = None  # a question or caption shown above the picture


class ImageAnswer(AnswerValue):
    labels: list[str] = []
    description: str | None = None
