"""The user's settings: config.toml in the platform's config folder (or LABELDESK_CONFIG_DIR)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tui.core.annotator_name import resolve_name
from tui.core.i18n import _
from tui.core.problems import Problem, pydantic_problems
from tui.core.resources import config_dir
from tui.core.task_type import empty_dict, empty_list
from tui.core.toml_text import toml_error_text


class UserConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    annotator: str | None = None
    keymap: str | None = None
    idle_threshold_s: float = Field(default=30.0, gt=0)
    # Per media kind (image | video | audio): a command with {path} and optionally {start}.
    viewers: dict[str, str] = Field(default_factory=empty_dict)
    # Folders the home screen (`labeldesk` with no argument) and `labeldesk stats` with no
    # path look in for batches; empty: the folders opened before (tui/core/home/roots.py).
    roots: list[str] = Field(default_factory=empty_list)
    # The interface language ("nl" or "en"); unset: the environment (tui/core/i18n.py).
    language: str | None = None

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        from tui.core.i18n import LANGUAGES, normalize

        if value is None:
            return None
        found = normalize(value)
        if found is None:
            raise ValueError(f"expected one of {', '.join(LANGUAGES)}, got {value!r}")
        return found


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
        said = toml_error_text(exc) if isinstance(exc, tomllib.TOMLDecodeError) else exc
        ignored = _("ignored: {error}").format(error=said)
        return UserConfig(), [Problem(path, ignored, severity="warning")]
    problems: list[Problem] = []
    language = data.get("language")
    if language is not None and not _is_language(language):
        # Only the language is dropped: a typo there must not cost the annotator name
        # (answers would go to another results file) or the other settings.
        from tui.core.i18n import LANGUAGES

        del data["language"]
        problems.append(
            Problem(
                path,
                _("ignored: expected one of {choices}, got {got!r}").format(
                    choices=", ".join(LANGUAGES), got=language
                ),
                field="language",
                severity="warning",
            )
        )
    try:
        return UserConfig.model_validate(data), problems
    except ValidationError as exc:
        return UserConfig(), problems + pydantic_problems(exc, path)


def _is_language(value: object) -> bool:
    from tui.core.i18n import normalize

    return isinstance(value, str) and normalize(value) is not None


def resolve_annotator(cli_name: str | None, config: UserConfig) -> str:
    """--annotator NAME, else the config file, else the login name (tui/core/annotator_name.py
    holds the rule: names become file names)."""
    return resolve_name(cli_name, config.annotator)
