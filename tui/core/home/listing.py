"""Every batch under the roots, named from its batch.toml, fast enough for the first paint.

Only tomllib here: the full validation (pydantic, the task type's options) runs later with
the figures, in a worker. A root may be a batch folder itself or hold batch folders up to
MAX_DEPTH levels down (a folder per project, a batch per folder); a batch folder is not
searched further, nor are hidden folders or a batch's own results/, audits/ and media/.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

MAX_DEPTH = 3
SKIPPED = frozenset({"results", "audits", "media", "node_modules", "__pycache__"})


@dataclass(frozen=True)
class HomeEntry:
    folder: Path
    root: Path
    id: str
    title: str
    task_type: str
    language: str
    tasks: str  # the tasks file's name inside the folder
    guidelines: str | None
    target_per_hour: float | None
    error: str | None = None  # batch.toml unreadable or not TOML (said on the row)


def _text(data: dict[str, object], name: str, default: str) -> str:
    value = data.get(name)
    return value if isinstance(value, str) and value.strip() else default


def read_entry(folder: Path, root: Path) -> HomeEntry:
    toml = folder / "batch.toml"
    try:
        with toml.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        name = folder.name
        return HomeEntry(folder, root, name, name, "?", "", "tasks.jsonl", None, None, str(exc))
    batch_id = _text(data, "id", folder.name)
    target = data.get("target_per_hour")
    guidelines = data.get("guidelines", "guidelines.md")
    return HomeEntry(
        folder=folder,
        root=root,
        id=batch_id,
        title=_text(data, "title", batch_id),
        task_type=_text(data, "task_type", "?"),
        language=_text(data, "language", ""),
        tasks=_text(data, "tasks", "tasks.jsonl"),
        guidelines=guidelines if isinstance(guidelines, str) and guidelines else None,
        target_per_hour=(
            float(target)
            if isinstance(target, int | float) and not isinstance(target, bool) and target > 0
            else None
        ),
    )


def _is_batch(folder: Path) -> bool:
    return (folder / "batch.toml").is_file()


def _batch_folders(root: Path) -> list[Path]:
    if _is_batch(root):
        return [root]
    found: list[Path] = []
    pending = [(root, 0)]
    while pending:
        folder, depth = pending.pop()
        try:
            children = list(os.scandir(folder))
        except OSError:
            continue  # unreadable: nothing to list there
        for child in children:
            if child.name.startswith(".") or child.name in SKIPPED:
                continue
            try:
                # Symlinked folders are not followed: a loop, or a batch listed twice.
                if not child.is_dir(follow_symlinks=False):
                    continue
            except OSError:
                continue
            path = Path(child.path)
            if _is_batch(path):
                found.append(path)
            elif depth + 1 < MAX_DEPTH:
                pending.append((path, depth + 1))
    return sorted(found)


def list_batches(roots: Iterable[Path]) -> list[HomeEntry]:
    """The batches under `roots`, each once (by resolved folder), in root order then by path."""
    entries: list[HomeEntry] = []
    seen: set[Path] = set()
    for root in roots:
        if not root.is_dir():
            continue
        for folder in _batch_folders(root):
            try:
                key = folder.resolve()
            except OSError:
                key = folder
            if key in seen:
                continue
            seen.add(key)
            entries.append(read_entry(folder, root))
    return entries


def utc_day(now: datetime | None = None) -> str:
    """Today (UTC, as `labeldesk stats` counts days): the day of the home screen's pace."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d")
