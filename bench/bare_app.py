"""The baseline for bench/ssh_bytes_bench.py: the least a Textual app can do per item.

    python bench/bare_app.py TASKS.jsonl

One Static shows the first task's text; every key (but ctrl+q) replaces it with the next
task's text; ctrl+q quits. No layout, no header, no status line: what is left is Textual's
own cost of a keypress and a repaint.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static


class BareApp(App[None]):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = texts
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Static(self.texts[0] if self.texts else "", id="item", markup=False)

    def on_key(self, event: events.Key) -> None:
        if event.key == "ctrl+q":
            return
        self.index = min(self.index + 1, len(self.texts) - 1)
        self.query_one("#item", Static).update(self.texts[self.index])


def read_texts(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [str(json.loads(line)["text"]) for line in lines if line.strip()]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    BareApp(read_texts(Path(argv[0]))).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
