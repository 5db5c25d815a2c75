"""Who is labeling: the name rule and its resolution, without pydantic (the home screen
resolves it before its first paint; tui/core/user_config.py uses the same rule)."""

from __future__ import annotations

import getpass
import os
import re

ANNOTATOR_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def resolve_name(cli_name: str | None, configured: str | None) -> str:
    """--annotator NAME, else the config file, else LABELDESK_ANNOTATOR, else the login name.
    Names become file names, so only letters, digits, '.', '_' and '-' are allowed."""
    for candidate in (cli_name, configured, os.environ.get("LABELDESK_ANNOTATOR")):
        if candidate:
            name = candidate
            break
    else:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "annotator"
    if not ANNOTATOR_NAME.fullmatch(name):  # match() lets "anna\n" through ($)
        raise ValueError(
            f"annotator name {name!r} is not usable as a file name: use letters, digits, "
            "'.', '_' or '-' (at most 64)"
        )
    return name
