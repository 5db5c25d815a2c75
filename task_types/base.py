"""The task-type contract, for the task types: it lives at the engine's ground floor
(tui/core/task_type.py) and is named here so a task type imports it from beside itself."""

from tui.core.task_type import (
    MAX_LABEL_KEYS,
    AnswerValue,
    BindingSpec,
    TaskContent,
    TaskOptions,
    TaskType,
    TaskTypeError,
    empty_dict,
    empty_list,
)

__all__ = [
    "MAX_LABEL_KEYS",
    "AnswerValue",
    "BindingSpec",
    "TaskContent",
    "TaskOptions",
    "TaskType",
    "TaskTypeError",
    "empty_dict",
    "empty_list",
]
