"""audio: a transcript, quality labels and labelled time segments of a sound file."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from task_types.base import AnswerValue, TaskContent, TaskOptions
from task_types.common import unique_labels
from task_types.media_common.models import Segment

Quality = Literal["noise", "overlapping_speech", "unintelligible", "other_language"]
QUALITIES: tuple[Quality, ...] = ("noise", "overlapping_speech", "unintelligible", "other_language")


class AudioOptions(TaskOptions):
    labels: list[str] | None = Field(default=None, min_length=1)  # segment labels
    transcribe: bool = True
    quality: list[Quality] = Field(default_factory=lambda: list(QUALITIES))

    @field_validator("labels")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        return unique_labels(value) if value is not None else None


class AudioTask(TaskContent):
    audio: str
    text: str | None = None  # a question, or a draft transcript to correct (prefilled)


class AudioAnswer(AnswerValue):
    transcript: str = ""
    quality: list[Quality] = []
    segments: list[Segment] = []
