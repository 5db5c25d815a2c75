"""write end to end: the real `labeldesk` in tmux, the built-in editor and $EDITOR."""

from __future__ import annotations

import json
import shutil
import stat
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.tmux_terminal import TmuxTerminal

TEXT = "Hi {name}, your order {order_id} is on its way. Track it at https://track.example.com/{order_id}."


def rows(folder: Path) -> list[dict[str, object]]:
    path = folder / "results" / "anna.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.e2e
def test_type_leave_submit_then_external_editor(terminal: TmuxTerminal, tmp_path: Path) -> None:
    folder = tmp_path / "write-en"
    shutil.copytree(SAMPLES / "write-en", folder)
    editor = tmp_path / "editor.py"
    # A real editor stand-in: rewrites the file it is given, as an annotator would.
    editor.write_text(
        f"#!{sys.executable}\nimport sys\n"
        "open(sys.argv[1], 'w', encoding='utf-8').write("
        "'Dear {name}, we have received your payment of €19.99. Thank you for your purchase!\\n')\n",
        encoding="utf-8",
    )
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    terminal.start(
        ["env", f"EDITOR={editor}", "labeldesk", "open", str(folder), "--annotator", "anna"],
        cwd=tmp_path,
    )
    terminal.wait_for("new line")  # typing: Enter saves, Ctrl+j is a new line
    terminal.type_text(TEXT)
    terminal.wait_for("every rule is met")
    terminal.keys("Escape")
    terminal.wait_for("$EDITOR")
    terminal.keys("Enter")
    terminal.wait_for("saved tr-0001")
    # item 2: out of the editor, then v hands the terminal to $EDITOR and reads the file back.
    terminal.keys("Escape")
    terminal.keys("v")
    terminal.wait_for("text from")
    terminal.keys("Enter")
    terminal.wait_for("saved tr-0002")
    terminal.keys("Escape")
    terminal.keys("C-q")
    terminal.wait_for("LABELDESK-EXIT=0")
    first, second = rows(folder)
    assert first["task_id"] == "tr-0001" and first["answer"] == "accept"
    assert first["value"] == {
        "text": TEXT,
        "words": 13,
        "chars": len(TEXT),
        "language": "en",
        "checks": [],
        "override": None,
        "editor": "builtin",
    }
    assert second["task_id"] == "tr-0002"
    assert second["value"]["editor"] == "external"  # type: ignore[index]
    assert second["value"]["text"].startswith("Dear {name}, we have received")  # type: ignore[index]
