"""The user's settings: config.toml in the platform's config folder (or LABELDESK_CONFIG_DIR)."""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tui.core.problems import Problem, pydantic_problems
from tui.core.resources import config_dir

ANNOTATOR_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class UserConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    annotator: str | None = None
    keymap: str | None = None
    idle_threshold_s: float = Field(default=30.0, gt=0)
    # Per media kind (image | video | audio): a command with {path} and optionally {start}.
    viewers: dict[str, str] = Field(default_factory=dict)
    # Folders the home screen (`labeldesk` with no argument) and `labeldesk stats` with no
    # path look in for batches; empty: the folders opened before (tui/core/home/roots.py).
    roots: list[str] = Field(default_factory=list)


def config_file() -> Path:
    return config_dir() / "config.toml"


def user_keymap_file() -> Path:
    return config_dir() / "keymap.toml"


def load_user_config() -> tuple[UserConfig, list[Problem]]:
    path = config_file()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return UserConfig(), []
    except (tomllib.TOMLDecodeError, OSError) as exc:
        return UserConfig(), [Problem(path, f"ignored: {exc}", severity="warning")]
    try:
        return UserConfig.model_validate(data), []
    except ValidationError as exc:
        return UserConfig(), pydantic_problems(exc, path)


def resolve_annotator(cli_name: str | None, config: UserConfig) -> str:
    """--annotator NAME, else the config file, else the login name. Names become file names,
    so only letters, digits, '.', '_' and '-' are allowed."""
    for candidate in (cli_name, config.annotator, os.environ.get("LABELDESK_ANNOTATOR")):
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
