"""pydantic with its plugins switched off, and without importing what would look for them.

pydantic asks `pydantic.plugin._loader.get_plugins()` for plugins when it builds a model's
validator. With PYDANTIC_DISABLE_PLUGINS set to one of the values in PLUGINS_OFF (the command
line sets it, see tui/cli.py), that returns `()` without looking at anything. But the module
imports `importlib.metadata` at its top (which imports `email` and more): ~9 ms before the
first model, and so before the first item can be painted.

`skip_plugin_discovery` puts a stand-in under the module's name that answers `get_plugins()`
exactly as pydantic's does while plugins are off. If they are switched on again later, or
pydantic asks the stand-in for anything else, the real module is imported and answers: the
stand-in can make pydantic do less, never something different.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
# What pydantic's get_plugins reads as "every plugin off" (pydantic/plugin/_loader.py).
PLUGINS_OFF = ("__all__", "1", "true")


def plugins_off() -> bool:
    return os.environ.get("PYDANTIC_DISABLE_PLUGINS") in PLUGINS_OFF


def _real_loader() -> types.ModuleType:
    """pydantic's own module, imported from its file in place of the stand-in."""
    if getattr(sys.modules.get(LOADER), "__labeldesk_stand_in__", False):
        del sys.modules[LOADER]
    return importlib.import_module(LOADER)


def _get_plugins() -> Any:
    if plugins_off():
        return ()
    return _real_loader().get_plugins()


def _getattr(name: str) -> Any:
    if name.startswith("__"):
        # The import system asks a module for __path__ and the like (is it a package?):
        # the real module has none of them either.
        raise AttributeError(name)
    return getattr(_real_loader(), name)


def skip_plugin_discovery() -> bool:
    """Install the stand-in, if plugins are off and pydantic's module is not imported yet;
    whether it was installed."""
    if not plugins_off() or LOADER in sys.modules:
        return False
    stand_in = types.ModuleType(LOADER, __doc__)
    stand_in.__dict__.update(
        get_plugins=_get_plugins,
        __getattr__=_getattr,  # anything else: the real module's
        __labeldesk_stand_in__=True,
    )
    sys.modules[LOADER] = stand_in
    return True
