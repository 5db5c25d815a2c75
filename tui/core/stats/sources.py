"""Which JSONL files `stats` reads, and each one's fast-answer threshold (min_seconds).

A path may be a results or audits file, a batch folder (its results/*.jsonl and
audits/*.jsonl are read, and min_seconds comes from its batch.toml), or a folder holding
JSONL files and/or batch folders. tasks.jsonl is never read: it holds no answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tui.core.i18n import _
from tui.core.problems import Problem

ANSWER_DIRS = ("results", "audits")


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    min_seconds: float | None  # answers quicker than this are "fast"; None: no guard
    # Only a file named on the command line is read through a symlink: one found in a
    # (shared) folder could point anywhere, or stand in for a colleague's file.
    follow: bool = False


def read_min_seconds(batch_toml: Path) -> tuple[float | None, list[Problem]]:
    """min_seconds of a batch.toml. Only this field is checked: stats must still count a
    batch whose batch.toml has problems elsewhere (those are reported when it is opened)."""
    import tomllib

    try:
        text = batch_toml.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [
            Problem(batch_toml, _("cannot read: {error}").format(error=exc), severity="warning")
        ]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        message = _("not valid TOML ({error}); its min_seconds is ignored").format(error=exc)
        return None, [Problem(batch_toml, message, line, severity="warning")]
    value = data.get("min_seconds")
    if value is None:
        return None, []
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value), []
    from tui.core.toml_lines import line_of

    problem = Problem(
        batch_toml,
        _("expected a number of seconds, 0 or more, got {got}; no fast-answer guard used").format(
            got=repr(value)
        ),
        line_of(text, "min_seconds"),
        "min_seconds",
        severity="warning",
    )
    return None, [problem]


def is_batch_folder(folder: Path) -> bool:
    return (folder / "batch.toml").is_file() or any((folder / d).is_dir() for d in ANSWER_DIRS)


def _batch_threshold(
    folder: Path, default: float | None, problems: list[Problem], seen: dict[Path, float | None]
) -> float | None:
    if folder not in seen:
        toml = folder / "batch.toml"
        found: float | None = None
        if toml.is_file():
            found, issues = read_min_seconds(toml)
            problems.extend(issues)
        seen[folder] = found if found is not None else default
    return seen[folder]


def find_sources(
    paths: list[Path], min_seconds: float | None = None
) -> tuple[list[Source], list[Problem]]:
    """Expand paths into JSONL sources (each file once, in a stable order). `min_seconds` is
    the threshold where no batch.toml gives one (bare results files)."""
    problems: list[Problem] = []
    seen_files: set[Path] = set()
    thresholds: dict[Path, float | None] = {}
    sources: list[Source] = []

    def add(file: Path, threshold: float | None, *, named: bool = False) -> None:
        if not named and file.is_symlink():
            problems.append(
                Problem(
                    file, _("is a symbolic link; not read (answer files must be regular files)")
                )
            )
            return
        resolved = file.resolve()
        if resolved not in seen_files:
            seen_files.add(resolved)
            sources.append(Source(file, threshold, follow=named))

    def add_batch(folder: Path) -> None:
        threshold = _batch_threshold(folder, min_seconds, problems, thresholds)
        for sub in ANSWER_DIRS:
            for file in sorted((folder / sub).glob("*.jsonl")):
                add(file, threshold)

    for path in paths:
        if path.is_file():
            parent = path.parent
            inside_batch = parent.name in ANSWER_DIRS and (parent.parent / "batch.toml").is_file()
            if inside_batch:
                threshold = _batch_threshold(parent.parent, min_seconds, problems, thresholds)
                add(path, threshold, named=True)
            else:
                add(path, min_seconds, named=True)
        elif path.is_dir():
            if is_batch_folder(path):
                add_batch(path)
                continue
            for child in sorted(path.iterdir()):
                if child.is_dir() and is_batch_folder(child):
                    add_batch(child)
                elif child.is_file() and child.suffix == ".jsonl" and child.name != "tasks.jsonl":
                    add(child, min_seconds)
        else:
            problems.append(Problem(path, _("no such file or folder")))
    return sources, problems
