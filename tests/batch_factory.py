"""Build small batch folders for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)


def make_batch(
    folder: Path,
    tasks: list[dict[str, Any]],
    *,
    task_type: str = "classify",
    task: dict[str, Any] | None = None,
    guidelines: str | None = "# Guidelines\n\nLabel carefully.\n",
    extra: str = "",
    **top: Any,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f'id = "{top.pop("id", "test-batch")}"', f'task_type = "{task_type}"']
    for key, value in top.items():
        lines.append(f"{key} = {toml_value(value)}")
    table = (
        task
        if task is not None
        else ({"labels": ["pos", "neg", "neu"]} if task_type == "classify" else {})
    )
    lines.append("[task]")
    for key, value in table.items():
        lines.append(f"{key} = {toml_value(value)}")
    (folder / "batch.toml").write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    (folder / "tasks.jsonl").write_text(
        "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks), encoding="utf-8"
    )
    if guidelines is not None:
        (folder / "guidelines.md").write_text(guidelines, encoding="utf-8")
    return folder


def texts(n: int, prefix: str = "t") -> list[dict[str, Any]]:
    return [{"id": f"{prefix}{i}", "text": f"Text number {i}"} for i in range(n)]


def read_results(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
