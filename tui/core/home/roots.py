"""The roots the home screen and `labeldesk stats` (no path) look in for batches.

The user config's `roots = [...]` when set; otherwise the folders opened before, which
`labeldesk FOLDER` remembers in `opened.json` in the state folder (LABELDESK_STATE_DIR, else
the platform's user state folder):

    {"version": 1, "folders": ["/data/batches", "/data/more/reviews-nl-0042"]}

newest first, at most MAX_REMEMBERED. The file is written atomically (a temporary file, fsync,
rename) with mode 0600 in a 0700 folder, never through a symlink.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from tui.core.i18n import _
from tui.core.resources import config_dir, state_dir

# Loaded where a problem is made or opened.json is read or written, not before the home
# screen's first paint with roots from config.toml (each ~0.5-1 ms of start-up).
if TYPE_CHECKING:
    from tui.core.problems import Problem

MAX_REMEMBERED = 50
STATE_VERSION = 1

RootsSource = Literal["config", "opened", "argument"]


class Roots(NamedTuple):  # a NamedTuple: built at import ~4x faster than a dataclass
    folders: list[Path]
    source: RootsSource
    problems: tuple[Problem, ...] = ()

    def describe(self) -> str:
        """Where the folders came from, in words (for the home screen and stats)."""
        if self.source == "config":
            return f"roots from {config_dir() / 'config.toml'}"
        if self.source == "opened":
            return f"folders opened before (no roots in {config_dir() / 'config.toml'})"
        return "the folder given"


def opened_file() -> Path:
    return state_dir() / "opened.json"


def _expand(text: str) -> Path:
    """~ is the home folder; a relative root is relative to the config folder."""
    path = Path(os.path.expanduser(text))
    return path if path.is_absolute() else config_dir() / path


def read_opened() -> tuple[list[Path], list[Problem]]:
    """The folders opened before, newest first; a damaged file is a warning, not an error."""
    import orjson

    from tui.core.problems import Problem
    from tui.core.safe_files import open_regular, read_all

    path = opened_file()
    try:
        fd, _created = open_regular(path, os.O_RDONLY)
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [Problem(path, _("ignored: {error}").format(error=exc), severity="warning")]
    try:
        data = read_all(fd)
    finally:
        os.close(fd)
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        ignored = _("ignored: not valid JSON ({error})").format(error=exc)
        return [], [Problem(path, ignored, severity="warning")]
    folders = obj.get("folders") if isinstance(obj, dict) else None
    if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
        message = _('ignored: expected {{"folders": ["/a/folder", ...]}}').format()
        return [], [Problem(path, message, field="folders", severity="warning")]
    return [Path(f) for f in folders], []


def remember_opened(folder: Path) -> Problem | None:
    """Put `folder` first in opened.json. A failure is returned, never raised: remembering
    must not stop anyone from labeling."""
    import orjson

    from tui.core.problems import Problem
    from tui.core.safe_files import create_new, make_private_dirs

    path = opened_file()
    try:
        absolute = str(folder.resolve())
    except OSError:
        absolute = str(folder.absolute())
    known, _problems = read_opened()
    if known and str(known[0]) == absolute:
        # Opened last time too (the usual day): nothing to write, and no fsync before the
        # first item is shown.
        return None
    folders = [absolute, *(str(f) for f in known if str(f) != absolute)][:MAX_REMEMBERED]
    data = orjson.dumps({"version": STATE_VERSION, "folders": folders}, option=orjson.OPT_INDENT_2)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    created = False
    try:
        make_private_dirs(path.parent)
        fd = create_new(tmp)
        created = True
        try:
            os.write(fd, data + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        if created:  # ours to clean up; a file found at the name is not
            with contextlib.suppress(OSError):
                tmp.unlink()
        remembered = _("could not remember {folder}: {error}").format(folder=absolute, error=exc)
        return Problem(path, remembered, severity="warning")
    return None


def resolve_roots(configured: Sequence[str]) -> Roots:
    """The user config's roots when set, else the folders opened before."""
    if configured:
        return Roots([_expand(text) for text in configured], "config")
    folders, problems = read_opened()
    return Roots(folders, "opened", tuple(problems))
