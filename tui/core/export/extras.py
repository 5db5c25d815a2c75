"""Optional heavy libraries behind pip extras, with a clear message when one is missing."""

from __future__ import annotations

import importlib
from types import ModuleType

EXTRAS = {"spacy": "spacy", "pyarrow": "parquet"}


class MissingExtraError(RuntimeError):
    """The format needs a library that is not installed; the message says how to add it."""


def require(module: str, fmt: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS.get(module, module)
        raise MissingExtraError(
            f"the {fmt} format needs {module}, which is not installed: "
            f"pip install 'labeldesk[{extra}]' (or pip install {module})"
        ) from None
