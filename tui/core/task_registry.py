"""Finds task types: every subpackage of the task_types package that defines TASK_TYPE.

The engine names task types only through this registry and the contract beside it
(tui/core/task_type.py); the packages themselves are found and imported at run time, so
adding one touches task_types/ alone."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from functools import cache
from pathlib import Path

from tui.core.i18n import _
from tui.core.task_type import TaskType

_PACKAGE = "task_types"


def _package_dirs() -> list[str]:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or spec.submodule_search_locations is None:
        return []
    return [str(Path(p)) for p in spec.submodule_search_locations]


@cache
def all_task_types() -> dict[str, TaskType]:
    found: dict[str, TaskType] = {}
    for info in sorted(pkgutil.iter_modules(_package_dirs()), key=lambda m: m.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{_PACKAGE}.{info.name}")
        task_type = getattr(module, "TASK_TYPE", None)
        if isinstance(task_type, TaskType):
            found[task_type.name] = task_type
    return found


def get_task_type(name: str) -> TaskType:
    # Opening a batch needs one type: its package is tried first (a type is registered in
    # the package of its name), so start-up does not import all nine (~45 ms).
    if name.isidentifier() and not name.startswith("_"):
        found = _own_package(name)
        if found is not None:
            return found
    types = all_task_types()
    if name not in types:
        known = ", ".join(sorted(types))
        raise KeyError(
            _("unknown task type {name!r}; known task types: {known}").format(
                name=name, known=known
            )
        )
    return types[name]


def _own_package(name: str) -> TaskType | None:
    if importlib.util.find_spec(f"{_PACKAGE}.{name}") is None:
        return None
    task_type = getattr(importlib.import_module(f"{_PACKAGE}.{name}"), "TASK_TYPE", None)
    if isinstance(task_type, TaskType) and task_type.name == name:
        return task_type
    return None


def task_type_names() -> list[str]:
    return sorted(all_task_types())
