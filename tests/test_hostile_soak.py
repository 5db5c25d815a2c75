"""kill -9 soak of the write path (issue 11, proof): a writer answers as fast as it can and is
killed with SIGKILL at random moments, N times. Every answer the writer confirmed (append()
returned) must be on disk, attributed to its own task, and the resume point must be right.

The same for the real app in tmux while typing fast (LABELDESK_APP_SOAK_KILLS, default 3).
Short in CI (LABELDESK_SOAK_KILLS, default 12); run long on demand, e.g.
LABELDESK_SOAK_KILLS=200 LABELDESK_APP_SOAK_KILLS=40 python3 -m pytest -q -s tests/test_hostile_soak.py
(the limits of pytest-timeout grow with N; each test prints N and its counts).
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, read_results, texts

REPO = Path(__file__).resolve().parent.parent
WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui.core.batch import Batch
    from tui.core.results import ResultsStore
    from tui.core.session import LabelingSession

    batch = Batch.open(Path(sys.argv[1]))
    store = ResultsStore(batch.results_dir, "anna", batch.id)
    store.open()
    session = LabelingSession(batch, store)
    session.resume()
    print("ready", session.position, flush=True)
    n = 0
    while not session.done:
        item = session.current()
        label = ["pos", "neg", "neu"][int(item.task_id[1:]) % 3]
        record = session.submit("accept", {"labels": [label]})
        print("saved", record.task_id, label, flush=True)
        n += 1
        if n % 7 == 0:
            undone = session.undo()
            print("undone", undone.task_id if undone else "-", flush=True)
    print("done", flush=True)
    sys.stdin.read()
    """
)


def disk_latest(path: Path) -> dict[str, dict[str, object]]:
    """The latest complete line per task (a torn tail is what the next open sets aside);
    checks on the way that every answer is its own task's."""
    if not path.exists():
        return {}
    raw = path.read_bytes()
    check = path.with_name("check.jsonl")
    check.write_bytes(raw[: raw.rfind(b"\n") + 1])
    latest: dict[str, dict[str, object]] = {}
    for record in read_results(check):
        task = str(record["task_id"])
        latest[task] = record
        if record["answer"] == "accept":
            assert record["value"] == {"labels": [label_of(task)]}, record
    return latest


def label_of(task: str) -> str:
    return ["pos", "neg", "neu"][int(task[1:]) % 3]


KILLS = int(os.environ.get("LABELDESK_SOAK_KILLS", "12"))


# The suite's 120 s per test would cut the long run short: each kill costs a writer's start
# (~0.5 s, more on a loaded machine), so the limit grows with N.
@pytest.mark.timeout(max(120, KILLS * 3))
def test_kill_9_during_fast_answers_loses_and_misattributes_nothing(tmp_path: Path) -> None:
    kills = KILLS
    total = max(2000, kills * 60)
    folder = make_batch(tmp_path / "b", texts(total))
    rng = random.Random(11)
    confirmed: dict[str, str] = {}  # task -> label, as the writer said "saved"
    withdrawn: set[str] = set()
    done_kills = 0
    torn_seen = 0
    while done_kills < kills:
        on_disk = disk_latest(folder / "results" / "anna.jsonl")
        expected_resume = next(
            (i for i in range(total) if on_disk.get(f"t{i}", {}).get("answer") in (None, "undone")),
            total,
        )
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert proc.stdout is not None
        ready = proc.stdout.readline().split()
        assert ready[0] == "ready", ready
        assert int(ready[1]) == expected_resume  # the first item without an answer on disk
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        done_kills += 1
        out = proc.stdout.read()
        # The kill can cut the writer's last line of output: only whole lines are reports.
        for line in out[: out.rfind("\n") + 1].splitlines():
            parts = line.split()
            if parts[:1] == ["saved"]:
                confirmed[parts[1]] = parts[2]
                withdrawn.discard(parts[1])
            elif parts[:1] == ["undone"] and parts[1] != "-":
                withdrawn.add(parts[1])
        torn_seen += len(list((folder / "results").glob("*.torn-*")))
        if expected_resume >= total:
            break
        # What is on disk: every confirmed answer, for its own task.
        latest = disk_latest(folder / "results" / "anna.jsonl")
        for task in confirmed:
            assert task in latest, f"confirmed answer for {task} lost after {done_kills} kills"
        undone_on_disk = {
            str(r["task_id"])
            for r in read_results(folder / "results" / "check.jsonl")
            if r["answer"] == "undone"
        }
        assert withdrawn <= undone_on_disk  # every confirmed undo is on disk too
    print(
        f"\nsoak: {done_kills} kills, {len(confirmed)} answers confirmed, 0 lost, "
        f"0 misattributed, torn tails set aside: {torn_seen}"
    )


APP_KILLS = int(os.environ.get("LABELDESK_APP_SOAK_KILLS", "3"))


@pytest.mark.e2e
@pytest.mark.timeout(max(180, APP_KILLS * 20))
def test_kill_9_of_the_real_app_during_fast_typing(tmp_path: Path) -> None:
    """The real labeldesk in tmux, typing answers as fast as tmux delivers them (bursts of
    5-40 keys in one packet), SIGKILLed at a random moment, N times
    (LABELDESK_APP_SOAK_KILLS, 3 in CI; e.g. 40 on demand). After each kill: every answer
    the screen confirmed ("saved <id>") is on disk, every answer on disk is its own item's
    (the key typed for that item), the answered items have no gap, and the next start
    resumes at the first unanswered item."""
    from tests.tmux_terminal import LABELDESK, TmuxTerminal

    total = max(300, APP_KILLS * 45)
    folder = make_batch(tmp_path / "b", texts(total))
    results = folder / "results" / "anna.jsonl"
    rng = random.Random(911)
    done_kills = confirmed_seen = 0
    while done_kills < APP_KILLS:
        answered = sorted(int(t[1:]) for t in disk_latest(results))  # checks attribution
        resume = len(answered)
        assert answered == list(range(resume)), f"a gap in the answers: {answered}"
        if resume >= total - 45:
            break
        term = TmuxTerminal(tmp_path)
        try:
            term.start([str(LABELDESK), str(folder), "--annotator", "anna"], tmp_path)
            term.wait_for(f"item {resume + 1} of {total}", timeout=60)
            count = rng.randint(5, 40)
            keys = "".join(str((resume + j) % 3 + 1) for j in range(count))  # label_of(item)
            term.type_text(keys)
            time.sleep(rng.uniform(0.0, 0.3))
            screen = term.screen()
            term.kill_app(9)
            term.wait_for("LABELDESK-EXIT=137", timeout=30)
        finally:
            term.close()
        done_kills += 1
        on_disk = disk_latest(results)
        for task in re.findall(r"saved (t\d+)", screen):
            confirmed_seen += 1
            assert task in on_disk, f"{task} was shown saved but is not on disk"
    answered = sorted(int(t[1:]) for t in disk_latest(results))
    assert answered == list(range(len(answered)))
    print(
        f"\napp soak: {done_kills} kills during fast typing, {len(answered)} answers on disk, "
        f"{confirmed_seen} 'saved' confirmations checked, 0 lost, 0 misattributed, "
        "resume right every time"
    )
