"""Precise descriptions of bad input: which file, which line, which field, what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    file: Path | str
    message: str
    line: int | None = None
    field: str | None = None
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}" if field else f"{where}: {self.message}"


class BatchError(Exception):
    """A batch cannot be opened at all; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def pydantic_problems(
    exc: object, file: Path | str, line: int | None = None, prefix: str = ""
) -> list[Problem]:
    """Turn a pydantic ValidationError into one Problem per error, naming the field path."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return [Problem(file, str(exc), line)]
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        field = f"{prefix}{loc}" if prefix else loc
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif "input" in err and err["type"] not in ("missing",):
            shown = repr(err["input"])
            if len(shown) > 60:
                shown = shown[:57] + "..."
            msg = f"{msg} (got {shown})"
        out.append(Problem(file, msg, line, field or None))
    return out
