"""Precise descriptions of bad input: which file, which line, which field, what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.core.i18n import _


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

    from tui.core.pydantic_text import error_message

    if not isinstance(exc, ValidationError):
        return [Problem(file, str(exc), line)]
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        field = f"{prefix}{loc}" if prefix else loc
        if err["type"] == "missing":
            msg = _("required field is missing")
        elif err["type"] == "extra_forbidden":
            msg = _("unknown field")
        elif "input" in err:
            # The value as the file has it (never translated), cut to fit a line.
            shown = repr(err["input"])
            if len(shown) > 60:
                shown = shown[:57] + "..."
            msg = _("{message} (got {value})").format(message=error_message(err), value=shown)
        else:
            msg = error_message(err)
        out.append(Problem(file, msg, line, field or None))
    return out


def labelled(problem: Problem) -> str:
    """A problem as a line of its own: "error: FILE:LINE: [FIELD] MESSAGE" (or warning)."""
    if problem.severity == "warning":
        return _("warning: {problem}").format(problem=problem)
    if problem.severity == "error":
        return _("error: {problem}").format(problem=problem)
    return f"{problem.severity}: {problem}"
