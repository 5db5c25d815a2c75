"""batch.toml: what a batch is. Validated with pydantic; every problem names file and line."""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, field_validator

from tui.core.i18n import _
from tui.core.problems import Problem, pydantic_problems
from tui.core.safe_files import open_readable, read_regular
from tui.core.task_type import empty_dict
from tui.core.toml_lines import line_of
from tui.core.toml_text import toml_error_text

if TYPE_CHECKING:
    from tui.core.team.settings import TeamSettings

DEFAULT_ERROR_CATEGORIES = [
    "wrong_label",
    "missed_span",
    "extra_span",
    "guideline_violation",
    "incomplete",
    "typo",
    "other",
]


class AuditSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    error_categories: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ERROR_CATEGORIES), min_length=1
    )


class GoldSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Gold training: after a gold item, show the expected answer before moving on. True for
    # everyone, or the annotators in onboarding by name.
    feedback: bool | list[str] = False

    def feedback_for(self, annotator: str) -> bool:
        return self.feedback is True or (
            isinstance(self.feedback, list) and annotator in self.feedback
        )


class BatchConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = ""
    task_type: str
    language: Literal["nl", "en", "nl-en", "en-nl"] | None = None
    guidelines: str | None = "guidelines.md"
    tasks: str = "tasks.jsonl"
    target_per_hour: PositiveInt | None = None
    min_seconds: float | None = Field(default=None, ge=0)
    sensitive: bool = False
    task: dict[str, Any] = Field(default_factory=empty_dict)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    gold: GoldSettings = Field(default_factory=GoldSettings)
    keymap: dict[str, Any] = Field(default_factory=empty_dict)
    # Task meta fields shown on the card, in this order; absent: all, [] : none.
    show_meta: list[str] | None = None
    # absent: everyone labels every task (issue 12). read_batch_config validates a [team]
    # table with the team models, which are built only for a team batch (~3 ms of the start
    # to the first item otherwise): to this model it is any value.
    if TYPE_CHECKING:
        team: TeamSettings | None = None
    else:
        team: Any = None

    @field_validator("tasks", "guidelines")
    @classmethod
    def _inside_the_folder(cls, value: str | None) -> str | None:
        # A shared batch.toml must not make labeldesk show (or index) any file on disk.
        if value is not None and not stays_inside(value):
            raise ValueError(
                _(
                    "must stay inside the batch folder: write a path relative to it, without "
                    "'..' leading out"
                )
            )
        return value


def stays_inside(relative: str) -> bool:
    """Whether a path written in batch.toml names something inside the batch folder."""
    if not relative or os.path.isabs(relative) or relative.startswith("~"):
        return False
    normal = os.path.normpath(relative)
    return normal != ".." and not normal.startswith(".." + os.sep)


def read_batch_config(path: Path) -> tuple[BatchConfig | None, list[Problem]]:
    """Parse and validate batch.toml; returns the config or every problem found."""
    try:
        # Newlines as read_text() gives them (universal newlines), so lines count the same.
        text = read_regular(path).decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        return None, [Problem(path, _("batch.toml is missing: every batch folder needs one"))]
    except UnicodeDecodeError as exc:
        return None, [Problem(path, _("not valid UTF-8 at byte {byte}").format(byte=exc.start))]
    except OSError as exc:
        return None, [Problem(path, _("cannot read: {error}").format(error=exc.strerror or exc))]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        said = _("not valid TOML: {error}").format(error=toml_error_text(exc))
        return None, [Problem(path, said, line)]
    config: BatchConfig | None = None
    errors: list[ValidationError] = []
    try:
        config = BatchConfig.model_validate({**data, "team": None})
    except ValidationError as exc:
        errors.append(exc)
    team: TeamSettings | None = None
    if "team" in data:
        from tui.core.team.settings import TeamTable

        try:
            team = TeamTable.model_validate({"team": data["team"]}).team
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        problems = []
        for p in (p for exc in errors for p in pydantic_problems(exc, path)):
            line = line_of(text, p.field) if p.field else None
            problems.append(Problem(p.file, p.message, line, p.field))
        return None, problems
    assert config is not None
    config.team = team
    return config, []


def sha256_of(path: Path) -> str | None:
    """The sha256 of a regular file (None for a missing one, a named pipe, a device or a
    folder: answers are saved through this, and must never wait on what the file is)."""
    try:
        fd = open_readable(path)
    except OSError:
        return None
    try:
        digest = hashlib.sha256()
        offset = 0
        while chunk := os.pread(fd, 1 << 20, offset):
            digest.update(chunk)
            offset += len(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)
