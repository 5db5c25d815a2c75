"""Finding batches: a folder of batch folders (like samples/) opens as a list to choose from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BatchEntry:
    folder: Path
    id: str
    title: str
    task_type: str
    language: str
    error: str | None = None


def is_batch_folder(path: Path) -> bool:
    return path.is_dir() and (path / "batch.toml").is_file()


def discover_batches(root: Path) -> list[BatchEntry]:
    """The batch folders directly inside root, sorted by folder name."""
    # Imported here: pydantic costs ~0.4 s, and `labeldesk FOLDER` only needs
    # is_batch_folder before the home screen paints.
    from tui.core.batch_config import read_batch_config

    entries = []
    for folder in sorted(p for p in root.iterdir() if is_batch_folder(p)):
        config, problems = read_batch_config(folder / "batch.toml")
        if config is None:
            entries.append(BatchEntry(folder, folder.name, folder.name, "?", "?", str(problems[0])))
        else:
            entries.append(
                BatchEntry(
                    folder,
                    config.id,
                    config.title or config.id,
                    config.task_type,
                    config.language or "",
                )
            )
    return entries


def count_progress(entry: BatchEntry, annotator: str) -> tuple[int, int]:
    """(answered by annotator, tasks) without locking anything: for the batch list."""
    from tui.core.batch_config import read_batch_config
    from tui.core.jsonl_index import JsonlIndex
    from tui.core.problems import Problem
    from tui.core.result_lines import answered, latest_by_task, read_result_lines

    config, _ = read_batch_config(entry.folder / "batch.toml")
    tasks_file = entry.folder / (config.tasks if config else "tasks.jsonl")
    total = 0
    if tasks_file.is_file():
        index = JsonlIndex(tasks_file)
        try:
            index.scan()
        finally:
            index.close()
        total = len(index)
    results = entry.folder / "results" / f"{annotator}.jsonl"
    problems: list[Problem] = []
    latest = latest_by_task(read_result_lines(results, problems)) if results.exists() else {}
    return len(answered(latest)), total
