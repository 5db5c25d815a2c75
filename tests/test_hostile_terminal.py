"""Escape sequences from files never reach the terminal (issue 11, item 7).

Everything the CLI prints goes through tui.core.safe_text (echo, safe_console, json_text):
checked structurally (no bare print/Console/stdout.write in the command modules) and on the
real output of the commands, with file contents and file names full of OSC 52 (clipboard),
OSC 0 (title), OSC 8 (hyperlinks), ESC[2J, C1 CSI and U+202E.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import orjson
import pytest

from tests.batch_factory import make_batch
from tui.core.safe_text import echo, json_text, safe_console

REPO = Path(__file__).resolve().parent.parent
OSC52 = "\x1b]52;c;aGVsbG8=\x07"
OSC0 = "\x1b]0;pwned\x07"
OSC8 = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"
CLEAR = "\x1b[2J"
C1 = "\x9b2J\x9d0;t\x9c"
RLO = "\u202e"
HOSTILE = OSC52 + OSC0 + OSC8 + CLEAR + C1 + RLO
RAW = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\u202e")


def assert_clean(text: str) -> None:
    leaked = [repr(ch) for ch in RAW if ch in text]
    assert not leaked, f"raw control characters reached the terminal: {leaked}"


# Every module of the package, not a list of the command modules: a command added later (or
# a helper in tui/core/ a command calls) is checked the day it is written. safe_text.py is
# the sanitizer itself.
CLI_MODULES = sorted(
    p for p in (REPO / "tui").rglob("*.py") if p != REPO / "tui" / "core" / "safe_text.py"
)


def terminal_writes(source: str, name: str) -> list[str]:
    """Calls in `source` that can put text on the terminal without the sanitizer: print(),
    a Rich Console not writing into a buffer (file=... other than stdout/stderr), writes to stdout/stderr and
    os.write to descriptor 1 or 2."""
    offences = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = ast.unparse(func)
        if called in ("print", "rich.print", "builtins.print"):
            offences.append(f"{name}:{node.lineno}: {called}()")
        into = [ast.unparse(k.value) for k in node.keywords if k.arg == "file"]
        if called.split(".")[-1] == "Console" and (not into or "std" in into[0]):
            offences.append(f"{name}:{node.lineno}: {called}() onto the terminal")
        if isinstance(func, ast.Attribute) and func.attr in ("write", "writelines"):
            target = ast.unparse(func.value)
            if "stdout" in target or "stderr" in target:
                offences.append(f"{name}:{node.lineno}: {target}.{func.attr}()")
        if called == "os.write" and node.args:
            fd = ast.unparse(node.args[0])
            if fd in ("1", "2") or "stdout" in fd or "stderr" in fd:
                offences.append(f"{name}:{node.lineno}: os.write({fd}, ...)")
    return offences


def test_the_scan_finds_every_kind_of_bare_terminal_write() -> None:
    source = (
        "import os, sys, rich\nprint(x)\nrich.print(x)\nConsole()\nrich.console.Console()\n"
        "sys.stdout.write(x)\nsys.stderr.writelines(x)\nos.write(1, b)\n"
        "os.write(sys.stderr.fileno(), b)\nConsole(file=sys.stdout)\nConsole(file=buf)\n"
        "os.write(fd, b)\n"
    )
    found = terminal_writes(source, "m.py")
    assert [f.split(":")[1] for f in found] == [str(n) for n in range(2, 11)], found


@pytest.mark.parametrize("path", CLI_MODULES, ids=lambda p: str(p.relative_to(REPO / "tui")))
def test_cli_modules_print_only_through_the_sanitizer(path: Path) -> None:
    offences = terminal_writes(path.read_text(encoding="utf-8"), path.name)
    assert not offences, "use safe_text.echo / safe_console / json_text: " + ", ".join(offences)


def test_echo_safe_console_and_json_text(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.table import Table

    echo("id", HOSTILE)
    console = safe_console()
    console.print(HOSTILE)
    table = Table()
    table.add_column("x")
    table.add_row(HOSTILE)
    console.print(table)
    out = capsys.readouterr().out
    assert_clean(out)
    assert "␛]52;c;aGVsbG8=␇" in out  # shown, visibly, not hidden
    text = json_text(orjson.dumps({"name": HOSTILE}))
    assert_clean(text)
    assert json.loads(text) == {"name": HOSTILE}  # the same data, escaped


def hostile_batch(tmp_path: Path) -> Path:
    folder = make_batch(
        tmp_path / "b",
        [{"id": f"t{i}{HOSTILE}", "text": "x"} for i in range(4)],
        id="hostile",
        title=f"Title {HOSTILE}",
        task={"labels": [f"pos{HOSTILE}", "neg"]},
        extra='[audit]\nerror_categories = ["wrong_label"]\n',
    )
    results = folder / "results"
    results.mkdir()
    audits = folder / "audits"
    audits.mkdir()
    for name in ("anna", f"bram{OSC52}"):
        lines = []
        for i in range(4):
            lines.append(
                {
                    "task_id": f"t{i}{HOSTILE}",
                    "batch_id": "hostile",
                    "annotator": name,
                    "task_type": "classify",
                    "answer": "accept",
                    "value": {"labels": [f"pos{HOSTILE}" if i % 2 else "neg"]},
                    "flag": None,
                    "session_id": "s",
                    "started_at": "2026-11-22T10:00:00.000Z",
                    "submitted_at": f"2026-11-22T10:0{i}:00.000Z",
                    "active_ms": 2000,
                    "keys": 1,
                    "revision": 1,
                }
            )
        lines.append({"task_id": HOSTILE, "answer": HOSTILE})  # a bad line, reported
        (results / f"{name}.jsonl").write_bytes(b"\n".join(orjson.dumps(x) for x in lines) + b"\n")
    audit = {
        "task_id": f"t1{HOSTILE}",
        "batch_id": "hostile",
        "auditor": "dora",
        "annotator": "anna",
        "revision": 1,
        "task_type": "classify",
        "verdict": "fail",
        "errors": ["wrong_label"],
        "original_value": {"labels": [f"pos{HOSTILE}"]},
        "corrected_value": None,
        "comment": f"see {HOSTILE}",
        "session_id": "s2",
        "started_at": "2026-11-22T11:00:00.000Z",
        "submitted_at": "2026-11-22T11:00:04.000Z",
        "active_ms": 4000,
        "keys": 1,
    }
    (audits / "dora.jsonl").write_bytes(orjson.dumps(audit) + b"\n")
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "{b}"],
        ["stats", "{b}", "--json"],
        ["stats", "{b}", "--by", "annotator"],
        ["stats", "{b}", "--by", "task-type"],
        ["audit", "report", "{b}"],
        ["audit", "report", "{b}", "--json"],
        ["audit", "agreement", "{b}"],
        ["audit", "agreement", "{b}", "--json"],
        ["audit", "assign", "{b}", "--auditor", "zed", "--per-annotator", "2", "--seed", "1"],
        ["validate", "{b}"],
    ],
)
def test_cli_output_is_sanitized(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    from tui.cli import main

    folder = hostile_batch(tmp_path)
    main([a.replace("{b}", str(folder)) for a in argv])
    captured = capsys.readouterr()
    assert_clean(captured.out)
    assert_clean(captured.err)


def test_the_exit_summary_and_title_are_sanitized(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.commands.open import print_summary
    from tui.core.batch import Batch
    from tui.core.results import ResultsStore
    from tui.core.session import LabelingSession

    folder = hostile_batch(tmp_path)
    batch = Batch.open(folder)
    store = ResultsStore(batch.results_dir, "cees", batch.id)
    store.open()
    session = LabelingSession(batch, store)
    session.resume()
    for _ in range(3):
        session.submit("accept", {"labels": [f"pos{HOSTILE}"]})
    store.close()
    print_summary(session)
    out = capsys.readouterr().out
    assert_clean(out)
    assert "Title" in out and "pos" in out


def test_the_no_viewer_message_is_sanitized() -> None:
    from tui.core.media.viewer import plan_viewer

    plan = plan_viewer(Path(f"media/{HOSTILE}.png"), "image", env={}, which=lambda name: None)
    assert not plan.ok
    assert_clean(plan.message)
    assert "no program to show" in plan.message
    configured = plan_viewer(
        Path(f"media/{HOSTILE}.png"), "image", {"image": "nope {path}"}, which=lambda n: None
    )
    assert_clean(configured.message)


def test_a_viewer_template_is_filled_once(tmp_path: Path) -> None:
    from tui.core.media.viewer import plan_viewer

    plan = plan_viewer(
        Path("media/{start}.png"),
        "video",
        {"video": "mpv --start={start} {path}"},
        start_s=3,
        env={},
        which=lambda name: f"/usr/bin/{name}",
    )
    assert plan.argv[-1] == "media/{start}.png"  # the file name is not a template


@pytest.mark.e2e
def test_the_raw_terminal_stream_after_the_app_carries_no_escape_from_files(
    tmp_path: Path,
) -> None:
    """The real labeldesk in tmux: what it prints after leaving the full screen (the batch
    title and the session summary, with labels and task ids) is read from the raw stream."""
    from tests.tmux_terminal import LABELDESK, TmuxTerminal

    folder = hostile_batch(tmp_path)
    raw = tmp_path / "raw.bin"
    term = TmuxTerminal(tmp_path, width=100, height=30)
    try:
        term.start([str(LABELDESK), "open", str(folder), "--annotator", "cees"], cwd=tmp_path)
        term._tmux("pipe-pane", "-t", term.name, "-o", f"cat >> {raw}")
        term.wait_for("neg", timeout=60)
        term.keys("1", "2", "1")
        term.keys("C-q")
        term.wait_for("LABELDESK-EXIT=", timeout=60)
    finally:
        term.close()
    stream = raw.read_bytes().decode("utf-8", "replace")
    after = stream.rsplit("\x1b[?1049l", 1)[-1]  # what is printed once the app has left
    assert "Session summary" in after
    assert "Title" in after
    # Rich's own colours (ESC [ ... m) may be there; nothing that came from the files may.
    for bad in ("\x1b]", "\x1b[2J", "\x07", "\x9b", "\x9c", "\x9d", "\u202e"):
        assert bad not in after, repr(bad)


# What the files carry that must never reach the terminal raw, in any screen. Textual's own
# output (cursor moves, colours, the alternate screen, its clear, OSC 22 pointer shapes ended
# by BEL) is not among these: only the files' own sequences are looked for.
PAYLOADS = (
    "\x1b]52;",
    "\x1b]0;pwned",
    "\x1b]8;;http://evil",
    "aGVsbG8=\x07",
    "\x9b2J",
    "\x9d0;t",
    "\x9c",
    "\u202e",
)


@pytest.mark.e2e
def test_the_raw_terminal_stream_inside_the_app_carries_no_escape_from_files(
    tmp_path: Path,
) -> None:
    """The whole raw stream of a real labeldesk in tmux, while it shows hostile task ids,
    labels, text, the title, the "✓ saved <id>" status line, the session summary (F5), the
    batch statistics with hostile annotator names and bad lines (F6), audits (F7) and the
    history (F3)."""
    from tests.tmux_terminal import LABELDESK, TmuxTerminal

    folder = hostile_batch(tmp_path)
    raw = tmp_path / "raw.bin"
    term = TmuxTerminal(tmp_path, width=110, height=34)
    try:
        # anna: every item answered, one audited with a hostile comment (F7 shows it).
        term.start([str(LABELDESK), "open", str(folder), "--annotator", "anna"], cwd=tmp_path)
        term._tmux("pipe-pane", "-t", term.name, "-o", f"cat >> {raw}")
        term.wait_for("answered", timeout=60)
        term.keys("PageUp")  # back to the last item, to answer it again
        term.wait_for("neg", timeout=60)
        term.keys("1")
        term.wait_for("saved", timeout=60)
        for key, shown in (("F5", "ummary"), ("F6", "bram"), ("F7", "see"), ("F3", "#1")):
            term.keys(key)
            term.wait_for(shown, timeout=60)
            term.keys("Escape")
        term.keys("C-q")
        term.wait_for("LABELDESK-EXIT=", timeout=60)
    finally:
        term.close()
    stream = raw.read_bytes().decode("utf-8", "replace")
    assert "\x1b[?1049h" in stream  # the full screen was on the record
    leaked = [repr(p) for p in PAYLOADS if p in stream]
    assert not leaked, f"raw sequences from the files reached the terminal: {leaked}"
