"""pydantic without plugins in labeldesk's own process, and without importing what finds them.

pydantic asks `pydantic.plugin._loader.get_plugins()` for plugins when it builds a model's
validator. That module imports `importlib.metadata` at its top (which imports `email` and
more, ~9 ms before the first model, so before the first item can be painted) and, unless
PYDANTIC_DISABLE_PLUGINS says they are off, reads every installed distribution's entry points
(~6 ms here, more with more packages). labeldesk uses no pydantic plugin.

`skip_plugin_discovery` (called by the command line) puts a stand-in under the module's name
whose `get_plugins()` returns no plugin while PYDANTIC_DISABLE_PLUGINS is unset or says "all
off" (PLUGINS_OFF, read as pydantic reads it). The variable is left as it is, so programs
labeldesk starts (an editor, a viewer, ffmpeg) see the environment they were given. Set it to
anything else (even empty) and pydantic's own module answers, as it would without labeldesk:
the real module is imported then, and answers anything else pydantic asks the stand-in.

Requires pydantic >= 2.7 (pyproject.toml): from 2.7 pydantic imports `get_plugins` from this
module only when it builds a validator, and reads PLUGINS_OFF as every plugin off.
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


_off_unless_told = False  # set by skip_plugin_discovery: no plugin unless the variable is set


def plugins_off() -> bool:
    value = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    if value is None:
        return _off_unless_told
    return value in PLUGINS_OFF


def _real_loader() -> types.ModuleType:
    """pydantic's own module, imported from its file in place of the stand-in."""
    if getattr(sys.modules.get(LOADER), "__labeldesk_stand_in__", False):
        del sys.modules[LOADER]
    return importlib.import_module(LOADER)


def _get_plugins() -> Any:
    if plugins_off():
        _name_in_package()
        return ()
    return _real_loader().get_plugins()


def _name_in_package() -> None:
    """Make `pydantic.plugin._loader` name the stand-in, as an import of it would have: the
    package is imported by now (pydantic calls get_plugins from it), not when installed."""
    stand_in = sys.modules.get(LOADER)
    package = sys.modules.get(LOADER.rpartition(".")[0])
    if package is not None and stand_in is not None and "_loader" not in package.__dict__:
        package.__dict__["_loader"] = stand_in


def _getattr(name: str) -> Any:
    if name.startswith("__"):
        # The import system asks a module for __path__ and the like (is it a package?):
        # the real module has none of them either.
        raise AttributeError(name)
    return getattr(_real_loader(), name)


def skip_plugin_discovery() -> bool:
    """From now on this process loads no pydantic plugin unless PYDANTIC_DISABLE_PLUGINS is
    set otherwise; the stand-in is installed if pydantic's module is not imported yet.
    Whether it was installed."""
    global _off_unless_told
    _off_unless_told = True
    if not plugins_off() or LOADER in sys.modules:
        return False
    stand_in = types.ModuleType(LOADER, __doc__)
    stand_in.__dict__.update(
        get_plugins=_get_plugins,
        __getattr__=_getattr,  # anything else: the real module's
        __labeldesk_stand_in__=True,
    )
    sys.modules[LOADER] = stand_in
    _name_in_package()
    return True
