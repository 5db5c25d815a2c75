"""Key-burst torture test (issue 9), one run per task type, in a real terminal.

The real `labeldesk open` runs in tmux at 80×24 on a copy of a sample batch, with
LABELDESK_PAINT_LOG set: the app appends {"ts": <time.time()>, "task_id": <id or null>} each
time an item has been painted. At least 200 seeded random keys (tests/key_burst.py) are sent,
in bursts (one packet, or keys 0-50 ms apart) and slow stretches (200-400 ms apart). Then every
overlay is closed, Ctrl+q must quit with exit 0 and no traceback, every results line must
parse, and every answer must have gone to the item that was painted on screen at that moment.

Replay one run: LABELDESK_BURST_SEED=<seed> pytest tests/test_key_burst_e2e.py -k <type>
(a comma-separated list of seeds runs each). The keys sent, with their send times, are in
<tmp_path>/keys.log. LABELDESK_BURST_COMMAND=/path/to/labeldesk runs another build.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.key_burst import TASK_TYPES, Step, count_keys, generate, sample_for
from tests.tmux_terminal import LABELDESK, TmuxTerminal
from tui.core.problems import Problem
from tui.core.result_lines import parse_line

DEFAULT_SEEDS = (1,)
# The paint log is the app's debug hook (LABELDESK_PAINT_LOG); without it nothing proves that
# an answer went to the item on screen, so a run without it fails.
PAINT_LOG_REQUIRED = True
ROUNDING_S = 0.002  # submitted_at has milliseconds (truncated); allow 2 ms
QUIT_TIMEOUT_S = 30.0
# What the first Ctrl+q says when the item has a changed draft (the second one quits).
DRAFT_ASKS = "not saved: Ctrl+q again"
START_TIMEOUT_S = 30.0


def _seeds() -> list[int]:
    raw = os.environ.get("LABELDESK_BURST_SEED", "").replace(",", " ").split()
    return [int(s) for s in raw] if raw else list(DEFAULT_SEEDS)


CASES = [pytest.param(t, s, id=f"{t}-seed{s}") for s in _seeds() for t in TASK_TYPES]


class Run:
    """One torture run: the terminal, what was sent and when, and the failure context."""

    def __init__(self, terminal: TmuxTerminal, task_type: str, seed: int, sample: str) -> None:
        self.terminal = terminal
        self.task_type = task_type
        self.seed = seed
        self.sample = sample
        self.sent: list[tuple[float, Step]] = []

    @property
    def who(self) -> str:
        return (
            f"[{self.task_type}, sample {self.sample}, seed {self.seed}; replay: "
            f"LABELDESK_BURST_SEED={self.seed} pytest tests/test_key_burst_e2e.py "
            f"-k {self.task_type}]"
        )

    def send(self, step: Step) -> None:
        t = self.terminal
        self.sent.append((time.time(), step))
        t._tmux("send-keys", "-t", t.name, *step.keys)

    def history(self) -> str:
        """The pane with its scrollback: a traceback printed on exit is longer than 24 lines."""
        t = self.terminal
        return t._tmux("capture-pane", "-p", "-S", "-400", "-t", t.name, check=False).stdout

    def exit_code(self, text: str | None = None) -> int | None:
        found = re.search(r"LABELDESK-EXIT=(\d+)", self.history() if text is None else text)
        return int(found.group(1)) if found else None

    def keys_before(self, moment: float, window: float = 2.0) -> str:
        lines = [
            f"  {ts - moment:+7.3f}s  {' '.join(step.keys)}"
            for ts, step in self.sent
            if moment - window <= ts <= moment + 0.05
        ]
        return "\n".join(lines) or "  (none)"

    def last_keys(self, n: int = 30) -> str:
        return "\n".join(f"  {step.kind:<6} {' '.join(step.keys)}" for _, step in self.sent[-n:])

    def write_log(self, path: Path) -> None:
        start = self.sent[0][0] if self.sent else 0.0
        text = "\n".join(
            f"{ts:.3f} +{ts - start:7.3f}s {step.kind:<6} {' '.join(step.keys)}"
            for ts, step in self.sent
        )
        path.write_text(text + "\n", encoding="utf-8")


def _timestamp(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _read_paints(path: Path) -> list[tuple[float, str | None]]:
    paints: list[tuple[float, str | None]] = []
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        if not raw.strip():
            continue
        entry = orjson.loads(raw)
        assert isinstance(entry, dict) and isinstance(entry.get("ts"), float | int), (
            f"paint log line {number} is not {{ts, task_id}}: {raw!r}"
        )
        paints.append((float(entry["ts"]), entry.get("task_id")))
    paints.sort(key=lambda p: p[0])
    return paints


def _last_paint(
    paints: list[tuple[float, str | None]], before: float
) -> tuple[float, str | None] | None:
    last = None
    for paint in paints:
        if paint[0] > before:
            break
        last = paint
    return last


def _check_answers(
    run: Run, records: list[tuple[int, dict[str, Any]]], paints: list[tuple[float, str | None]]
) -> list[str]:
    problems: list[str] = []
    for number, record in records:
        answer = record.get("answer")
        if answer == "undone":
            continue
        task_id = record["task_id"]
        submitted = _timestamp(record["submitted_at"])
        last = _last_paint(paints, submitted + ROUNDING_S)
        last_strict = _last_paint(paints, submitted)
        on_screen = {p[1] for p in (last, last_strict) if p is not None}
        # A skip or flag of a screen with no item (a hidden sensitive item, an invalid line)
        # is painted as null: the annotator saw that screen, not the item.
        placeholder = answer in ("skip", "flag") and None in on_screen and last is not None
        painted = any(t == task_id and ts <= submitted + ROUNDING_S for ts, t in paints)
        where = (
            f"results line {number}: {orjson.dumps(record).decode()[:300]}\n"
            f"keys sent in the 2 s before it (time relative to submitted_at):\n"
            f"{run.keys_before(submitted)}"
        )
        if not painted and not placeholder:
            problems.append(f"{task_id} was answered ({answer}) but never painted before: {where}")
        elif "restored_revision" in record:
            continue  # an undo restoring an earlier answer: that answer was seen when given
        elif task_id not in on_screen and not placeholder:
            shown = last[1] if last is not None else "nothing"
            problems.append(
                f"{task_id} was answered ({answer}) while {shown!r} was the item on screen "
                f"(painted {submitted - last[0] if last else 0:.3f} s before): {where}"
            )
    return problems


@pytest.mark.e2e
@pytest.mark.timeout(180)
@pytest.mark.parametrize(("task_type", "seed"), CASES)
def test_key_burst(
    task_type: str,
    seed: int,
    tmp_path: Path,
    terminal: TmuxTerminal,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample = sample_for(task_type, seed)
    batch = tmp_path / sample
    shutil.copytree(Path(__file__).resolve().parent.parent / "samples" / sample, batch)
    (batch / "results").mkdir(exist_ok=True)
    for stale in (batch / "results").glob("*.jsonl"):
        stale.unlink()
    paint_log = tmp_path / "paint.jsonl"
    # Nothing may start another program: no $EDITOR, no display for a media viewer.
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    terminal.env.update(
        {
            "LABELDESK_PAINT_LOG": str(paint_log),
            "EDITOR": "true",
            "VISUAL": "true",
            "DISPLAY": "",
            "WAYLAND_DISPLAY": "",
        }
    )
    run = Run(terminal, task_type, seed, sample)
    steps = generate(task_type, seed)
    assert count_keys(steps) >= 200

    command = os.environ.get("LABELDESK_BURST_COMMAND") or str(LABELDESK)
    terminal.start([command, "open", str(batch), "--annotator", "anna"], cwd=tmp_path)
    started = terminal.wait_for(
        lambda s: "item 1 of" in s or "LABELDESK-EXIT=" in s, timeout=START_TIMEOUT_S
    )
    assert run.exit_code(started) is None, f"{run.who} the app ended at start:\n{run.history()}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (paint_log.exists() and paint_log.stat().st_size):
        time.sleep(0.05)

    try:
        ended_early = False
        for number, step in enumerate(steps):
            run.send(step)
            time.sleep(step.pause)
            if number % 10 == 9 and run.exit_code() is not None:
                ended_early = True
                break
        assert not ended_early and run.exit_code() is None, (
            f"{run.who} the app ended while keys were sent (crash), within the last 10 sends "
            f"of {count_keys([s for _, s in run.sent])} keys; the last keys:\n{run.last_keys()}\n"
            f"the screen:\n{run.history()}"
        )
        # Close whatever is open (overlays, editors, the flag dialog: Escape closes each),
        # slowly so that no Escape joins the next key, then quit.
        for _ in range(5):
            run.send(Step(("Escape",), 0.3, "tail"))
            time.sleep(0.3)
        assert run.exit_code() is None, (
            f"{run.who} the app ended (crash) at the end of the keys or while Escape closed "
            f"what was open; the last keys:\n"
            f"{run.last_keys()}\nthe screen:\n{run.history()}"
        )
        run.send(Step(("C-q",), 0.0, "tail"))
        try:
            seen = terminal.wait_for(
                lambda s: "LABELDESK-EXIT=" in s or DRAFT_ASKS in " ".join(s.split()),
                timeout=QUIT_TIMEOUT_S,
            )
            if "LABELDESK-EXIT=" not in seen:  # a changed draft: the second Ctrl+q quits
                run.send(Step(("C-q",), 0.0, "tail"))
                terminal.wait_for("LABELDESK-EXIT=", timeout=QUIT_TIMEOUT_S)
        except AssertionError:
            pytest.fail(
                f"{run.who} hang: Ctrl+q did not quit within {QUIT_TIMEOUT_S:.0f} s after "
                f"{count_keys(steps)} keys; the last keys:\n{run.last_keys()}\n"
                f"the screen:\n{terminal.screen()}"
            )
    finally:
        run.write_log(tmp_path / "keys.log")

    history = run.history()
    code = run.exit_code(history)
    assert code == 0 and "Traceback" not in history, (
        f"{run.who} exit code {code} (a crash); the last keys:\n{run.last_keys()}\n"
        f"the screen:\n{history}"
    )

    results = batch / "results" / "anna.jsonl"
    records: list[tuple[int, dict[str, Any]]] = []
    if results.exists():
        for number, raw in enumerate(results.read_bytes().splitlines(), start=1):
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                pytest.fail(f"{run.who} results line {number} does not parse ({exc}): {raw!r}")
            assert isinstance(record, dict) and "task_id" in record and "answer" in record, (
                f"{run.who} results line {number} has no task_id/answer: {raw!r}"
            )
            # ... and the one reader of results lines (stats, audits, resume) takes it whole.
            checked = parse_line(raw, results, number)
            assert not isinstance(checked, Problem), f"{run.who} {checked}: {raw!r}"
            records.append((number, record))

    if not paint_log.exists():
        message = (
            f"{run.who} no paint log: the app never wrote LABELDESK_PAINT_LOG "
            f"({len(records)} results lines were not checked against the screen)"
        )
        if PAINT_LOG_REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    paints = _read_paints(paint_log)
    problems = _check_answers(run, records, paints)
    assert not problems, (
        f"{run.who} {len(problems)} answer(s) not given to the item on screen; "
        f"{len(paints)} paints, {len(records)} results lines. The first:\n\n"
        + "\n\n".join(problems[:3])
    )
