"""video: labelled time segments of a video, plus optional labels for the whole item."""

from __future__ import annotations

from pydantic import Field, field_validator

from task_types.base import AnswerValue, TaskContent, TaskOptions
from task_types.common import unique_labels
from task_types.media_common.models import Segment


class VideoOptions(TaskOptions):
    labels: list[str] = Field(min_length=1)  # segment labels
    item_labels: list[str] | None = Field(default=None, min_length=1)  # for the whole video
    thumbnails: int = Field(default=6, ge=2, le=12)

    @field_validator("labels", "item_labels")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        return unique_labels(value) if value is not None else None


class VideoTask(TaskContent):
    video: str
    text: str | None = None


class VideoAnswer(AnswerValue):
    segments: list[Segment] = []
    labels: list[str] = []
