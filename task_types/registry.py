"""The registry of task types (it lives in tui/core/task_registry.py, beside the contract)."""

from tui.core.task_registry import all_task_types, get_task_type, task_type_names

__all__ = ["all_task_types", "get_task_type", "task_type_names"]
