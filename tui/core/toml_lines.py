"""Find the line of a key in a TOML file, so messages about batch.toml can name it."""

from __future__ import annotations

import re


def line_of(text: str, dotted: str) -> int | None:
    """Best-effort line number of `a.b.c` in TOML text (table headers and dotted keys)."""
    parts = [p for p in dotted.split(".") if not p.isdigit()]
    if not parts:
        return None
    key = parts[-1]
    tables = parts[:-1]
    current: list[str] = []
    header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    assign = re.compile(r"^\s*([A-Za-z0-9_.\"'-]+)\s*=")
    fallback: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        m = header.match(line)
        if m:
            current = [s.strip().strip("\"'") for s in m.group(1).split(".")]
            if current == parts:
                return number
            continue
        m = assign.match(line)
        if not m:
            continue
        names = current + [s.strip().strip("\"'") for s in m.group(1).split(".")]
        if names == [*tables, key]:
            return number
        if names[-1] == key and fallback is None:
            fallback = number
    return fallback
