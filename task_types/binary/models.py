"""binary: accept or reject one proposed label for a text (Prodigy's binary interface)."""

from __future__ import annotations

from pydantic import Field

from task_types.base import AnswerValue, TaskContent, TaskOptions, empty_list
from task_types.common import SpanHint


class BinaryOptions(TaskOptions):
    # The label proposed when a task line carries none.
    label: str | None = None
    # From --labels on a command line: one label is the proposed label for every task.
    labels: list[str] | None = None

    @property
    def default_label(self) -> str | None:
        if self.label:
            return self.label
        return self.labels[0] if self.labels and len(self.labels) == 1 else None


class BinaryTask(TaskContent):
    text: str
    label: str | None = None
    spans: list[SpanHint] = Field(default_factory=empty_list)


class BinaryAnswer(AnswerValue):
    label: str | None = None
    accept: bool
