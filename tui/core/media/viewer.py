"""Which external program shows a media item, and how the UI must run it.

A graphical viewer runs detached (own session, all streams to /dev/null) so nothing it
prints can corrupt the labeling screen. A terminal viewer needs the terminal: the UI runs
it under App.suspend(). Graphical viewers are offered only where a display exists, so an
annotator over SSH never waits for a window that cannot open.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.media.errors import MediaKind
from tui.core.safe_text import visible

Which = Callable[[str], str | None]

# Candidates in order of preference; "{path}" and "{start}" are filled per token.
GRAPHICAL: dict[MediaKind, tuple[tuple[str, ...], ...]] = {
    "image": (("feh", "--scale-down", "{path}"), ("eog", "{path}"), ("xdg-open", "{path}")),
    "video": (
        ("mpv", "--start={start}", "{path}"),
        ("vlc", "--start-time={start}", "{path}"),
        ("xdg-open", "{path}"),
    ),
    "audio": (
        ("mpv", "--force-window=no", "--start={start}", "{path}"),
        ("vlc", "--start-time={start}", "{path}"),
        ("xdg-open", "{path}"),
    ),
}
TERMINAL: dict[MediaKind, tuple[tuple[str, ...], ...]] = {
    "image": (("chafa", "{path}"), ("timg", "{path}"), ("viu", "{path}")),
    "video": (
        ("mpv", "--vo=tct", "--really-quiet", "--start={start}", "{path}"),
        ("timg", "{path}"),
    ),
    "audio": (
        ("mpv", "--no-video", "--start={start}", "{path}"),
        ("ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet", "-ss", "{start}", "{path}"),
    ),
}
# Terminal image viewers print and exit at once; without a pause the UI would come back
# before the annotator saw anything.
_PAUSE_AFTER = frozenset({"chafa", "timg", "viu"})
_PAUSE_SCRIPT = 'prog="$1"; shift; "$prog" "$@"; printf "\\n[Enter: back to labeldesk] "; read -r _'


@dataclass(frozen=True, slots=True)
class ViewerPlan:
    """How to show one item. Empty argv: nothing can show it here; `message` says why."""

    argv: tuple[str, ...]
    detached: bool  # graphical: launch_detached(argv), the UI carries on
    suspend: bool  # terminal: run argv under App.suspend() and wait for it
    message: str
    program: str | None = None
    candidates: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return bool(self.argv)


def has_display(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def plan_viewer(
    path: Path,
    kind: MediaKind,
    templates: Mapping[str, str] | None = None,
    start_s: float | None = None,
    env: Mapping[str, str] | None = None,
    which: Which = shutil.which,
) -> ViewerPlan:
    """The viewer for `path` of `kind`. A configured template (kind -> command line with
    {path} and optionally {start}) wins: detached where a display exists, else under suspend.
    Otherwise a graphical viewer if there is a display, else a terminal one."""
    start = f"{max(0.0, start_s or 0.0):.3f}".rstrip("0").rstrip(".")
    display = has_display(env)
    template = (templates or {}).get(kind)
    if template:
        return _from_template(template, path, start, display, which)
    tried: list[str] = []
    if display:
        for cand in GRAPHICAL[kind]:
            tried.append(cand[0])
            exe = which(cand[0])
            if exe:
                argv = _fill((exe, *cand[1:]), path, start)
                return ViewerPlan(
                    argv, True, False, f"opening {_shown(path.name)} in {cand[0]}", cand[0]
                )
    for cand in TERMINAL[kind]:
        tried.append(cand[0])
        exe = which(cand[0])
        if exe:
            argv = _fill((exe, *cand[1:]), path, start)
            if cand[0] in _PAUSE_AFTER:
                argv = ("sh", "-c", _PAUSE_SCRIPT, "labeldesk-viewer", *argv)
            return ViewerPlan(
                argv, False, True, f"showing {_shown(path.name)} with {cand[0]}", cand[0]
            )
    where = "" if display else " in the terminal (no display: DISPLAY/WAYLAND_DISPLAY unset)"
    wanted = ", ".join(dict.fromkeys(tried))
    return ViewerPlan(
        (),
        False,
        False,
        f"no program to show the {kind} {_shown(path)}{where}; install one of {wanted}, "
        f"or set a viewer command for {kind} in the configuration",
        None,
        tuple(dict.fromkeys(tried)),
    )


def _fill(template: Sequence[str], path: Path, start: str) -> tuple[str, ...]:
    # Per token, after splitting: a path with spaces or quotes stays one argument. One pass
    # over the template, so a file named "{start}.png" is never filled in a second time.
    return tuple(
        _PLACEHOLDER.sub(lambda m: str(path) if m[0] == "{path}" else start, tok)
        for tok in template
    )


_PLACEHOLDER = re.compile(r"\{path\}|\{start\}")


def _shown(path: Path | str) -> str:
    """A file name for a message: controls made visible (the name comes from a task)."""
    return visible(str(path))


def _from_template(
    template: str, path: Path, start: str, display: bool, which: Which
) -> ViewerPlan:
    try:
        tokens = shlex.split(template)
    except ValueError as exc:
        return ViewerPlan(
            (), False, False, f"viewer command {_shown(repr(template))} is malformed: {exc}"
        )
    if not tokens:
        return ViewerPlan((), False, False, "the configured viewer command is empty")
    if not any("{path}" in tok for tok in tokens):
        tokens.append("{path}")
    exe = which(tokens[0])
    if exe is None:
        return ViewerPlan(
            (),
            False,
            False,
            f"configured viewer {_shown(repr(tokens[0]))} is not on PATH; cannot show "
            f"{_shown(path)}",
        )
    argv = _fill((exe, *tokens[1:]), path, start)
    verb = "opening" if display else "showing"
    message = f"{verb} {_shown(path.name)} with {_shown(tokens[0])}"
    return ViewerPlan(argv, display, not display, message, tokens[0])


def launch_detached(argv: Sequence[str]) -> subprocess.Popen[bytes]:
    """Start a graphical viewer that writes nowhere and ignores the terminal: its own session
    (terminal signals do not reach it), all standard streams to /dev/null."""
    return subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
