"""Every batch under the roots, named from its batch.toml, fast enough for the first paint.

Only tomllib here: the full validation (pydantic, the task type's options) runs later with
the figures, in a worker. A root may be a batch folder itself or hold batch folders up to
MAX_DEPTH levels down (a folder per project, a batch per folder); a batch folder is not
searched further, nor are hidden folders or a batch's own results/, audits/ and media/.

Walking the roots is cheap (a scandir per folder); reading 200 batch.toml files is not (~14 ms,
most of the home screen's own cost before its first paint). So the home screen reads only the
rows of its first screen (`read_first`) and leaves the others as `unread_entry` rows (the
folder is known, so every key works on them), read in its worker right after the paint.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

MAX_DEPTH = 3
SKIPPED = frozenset({"results", "audits", "media", "node_modules", "__pycache__"})


class HomeEntry(NamedTuple):  # a NamedTuple: built at import ~5x faster than a dataclass
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
    read: bool = True  # False: batch.toml not read yet (only the folder is known)


def unread_entry(folder: Path, root: Path) -> HomeEntry:
    """A row whose batch.toml is read later: named after its folder until then."""
    name = folder.name
    return HomeEntry(folder, root, name, name, "", "", "tasks.jsonl", None, None, read=False)


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


def _is_batch(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "batch.toml"))


FolderKey = tuple[int, int]  # (st_dev, st_ino): the same folder under two paths is one batch


def _batch_folders(root: Path, keyed: bool) -> list[tuple[Path, FolderKey | None]]:
    """The batch folders under `root`, by path, each with its key when `keyed` (None: not
    asked for, or not stat-able)."""
    if _is_batch(str(root)):
        try:
            info = os.stat(root)
        except OSError:
            return [(root, None)]
        return [(root, (info.st_dev, info.st_ino))]
    found: list[tuple[str, FolderKey | None]] = []
    pending = [(str(root), 0)]
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
                if _is_batch(child.path):
                    key: FolderKey | None = None
                    if keyed:
                        found_info = child.stat(follow_symlinks=False)
                        key = (found_info.st_dev, found_info.st_ino)
                    found.append((child.path, key))
                elif depth + 1 < MAX_DEPTH:
                    pending.append((child.path, depth + 1))
            except OSError:
                continue
    # By path component, as Paths sort ("project/b" before "project-x/a"), not by string.
    found.sort(key=lambda item: item[0].split(os.sep))
    return [(Path(path), key) for path, key in found]


def find_batches(roots: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(folder, root) of every batch under `roots`, each folder once (by device and inode,
    so a root inside another or reached through a symlink lists it once), in root order then
    by path. No batch.toml is read."""
    roots = list(roots)
    # One root's walk meets each folder once (symlinks are not followed): no stat needed.
    keyed = len(roots) > 1
    found: list[tuple[Path, Path]] = []
    seen: set[FolderKey] = set()
    for root in roots:
        if not root.is_dir():
            continue
        for folder, key in _batch_folders(root, keyed):
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            found.append((folder, root))
    return found


def list_batches(roots: Iterable[Path], *, read_first: int | None = None) -> list[HomeEntry]:
    """The batches under `roots` (as `find_batches`), each named from its batch.toml; with
    `read_first`, only the first that many are read and the rest are `unread_entry` rows
    (the home screen's worker reads them after the first paint)."""
    found = find_batches(roots)
    count = len(found) if read_first is None else max(0, read_first)
    return [
        read_entry(folder, root) if n < count else unread_entry(folder, root)
        for n, (folder, root) in enumerate(found)
    ]


def utc_day(now: datetime | None = None) -> str:
    """Today (UTC, as `labeldesk stats` counts days): the day of the home screen's pace."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d")
