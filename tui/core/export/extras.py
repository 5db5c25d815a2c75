"""Optional heavy libraries behind pip extras, with a clear message when one is missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from tui.core.i18n import _

EXTRAS = {"spacy": "spacy", "pyarrow": "parquet"}


class MissingExtraError(RuntimeError):
    """The format needs a library that is not installed; the message says how to add it."""


def require(module: str, fmt: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS.get(module, module)
        raise MissingExtraError(
            _(
                "the {format} format needs {module}, which is not installed: "
                "pip install 'labeldesk[{extra}]' (or pip install {module})"
            ).format(format=fmt, module=module, extra=extra)
        ) from None
