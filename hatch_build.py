"""Wheel build hook: ship keymaps/ and samples/ inside the package as tui/_data/...

Files are listed one by one so that answers written while trying the demo in a checkout
(samples/*/results, audits, locks, torn-line side files) never ship.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_SKIP_PARTS = {"results", "audits", "__pycache__"}


class DataFilesHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return  # an editable install finds keymaps/ and samples/ in the checkout
        root = Path(self.root)
        for name in ("keymaps", "samples"):
            for path in sorted((root / name).rglob("*")):
                rel = path.relative_to(root)
                if not path.is_file() or _SKIP_PARTS & set(rel.parts):
                    continue
                if path.name.endswith(".lock") or ".torn-" in path.name:
                    continue
                build_data["force_include"][str(path)] = f"tui/_data/{rel.as_posix()}"
