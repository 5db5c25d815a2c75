"""The one exception every media function raises for bad input or a missing tool."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from tui.core.problems import Problem

MediaKind = Literal["image", "video", "audio"]
MEDIA_KINDS: tuple[MediaKind, ...] = ("image", "video", "audio")


class MediaError(Exception):
    """A media file cannot be used; `file` names it and `message` says what was expected."""

    def __init__(self, file: Path | str, message: str) -> None:
        self.file = file
        self.message = message
        super().__init__(f"{file}: {message}")

    def problem(
        self, file: Path | str | None = None, line: int | None = None, field: str | None = None
    ) -> Problem:
        """As a Problem attributed to the task line that references the media, when known."""
        if file is None:
            return Problem(self.file, self.message, line, field)
        return Problem(file, f"{self.file}: {self.message}", line, field)
