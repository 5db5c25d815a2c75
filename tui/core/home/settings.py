"""The three settings the home screen needs before its first paint (annotator, keymap, roots),
read from config.toml with tomllib alone: pydantic is not imported until after the first
paint. Anything odd in the file (bad TOML, a wrong type, an unknown key) returns None, and the
caller reads the file the full way (tui/core/user_config.py) for its precise messages."""

from __future__ import annotations

import tomllib
from typing import NamedTuple

from tui.core.resources import config_dir

# Every key UserConfig knows; another key is a problem the full reader must report.
KNOWN = frozenset({"annotator", "keymap", "idle_threshold_s", "viewers", "roots"})


class HomeSettings(NamedTuple):  # a NamedTuple: built at import ~4x faster than a dataclass
    annotator: str | None = None
    keymap: str | None = None
    roots: tuple[str, ...] = ()


def quick_settings() -> HomeSettings | None:
    path = config_dir() / "config.toml"
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return HomeSettings()
    except (OSError, tomllib.TOMLDecodeError):
        return None
    if not set(data) <= KNOWN:
        return None
    annotator, keymap, roots = data.get("annotator"), data.get("keymap"), data.get("roots", [])
    if not all(value is None or isinstance(value, str) for value in (annotator, keymap)):
        return None
    if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
        return None
    return HomeSettings(annotator, keymap, tuple(roots))
