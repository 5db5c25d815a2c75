"""Finds task types: every subpackage of task_types/ that defines TASK_TYPE."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path

from task_types.base import TaskType

_PACKAGE_DIR = Path(__file__).parent


@cache
def all_task_types() -> dict[str, TaskType]:
    found: dict[str, TaskType] = {}
    for info in sorted(pkgutil.iter_modules([str(_PACKAGE_DIR)]), key=lambda m: m.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"task_types.{info.name}")
        task_type = getattr(module, "TASK_TYPE", None)
        if isinstance(task_type, TaskType):
            found[task_type.name] = task_type
    return found


def get_task_type(name: str) -> TaskType:
    types = all_task_types()
    if name not in types:
        known = ", ".join(sorted(types))
        raise KeyError(f"unknown task type {name!r}; known task types: {known}")
    return types[name]


def task_type_names() -> list[str]:
    return sorted(all_task_types())
