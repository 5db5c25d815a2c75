"""Bytes on the wire and keypress latency of labeldesk vs a bare Textual app, local and over ssh.

    python bench/ssh_bytes_bench.py [--items N] [--no-ssh] [--sizes 80x24,160x50]

DESIGN §7 promises that a keystroke that submits an answer paints the next item "within a
frame of a bare Textual app", and that labeldesk works over SSH. This measures both, against
a baseline taken in the same run: bench/bare_app.py (one Static whose text is replaced by the
next item's text on every key) on the same tasks.

Subject: `labeldesk open` on a generated binary batch of N items (default 100); every item's
text starts with a unique marker ITEM-0001, ITEM-0002, ... Each app runs in a real pty (its
window size set with TIOCSWINSZ; the master drained continuously, counting bytes), (a)
directly and (b) through `ssh -t` to an sshd this script starts on 127.0.0.1 (from
tests/sshd_server.py) and stops at the end, at 80×24 and 160×50, with TERM=xterm-256color
and no COLORTERM (as over ssh). N-1 answer keys (`a`: accept) are sent one at a time; after
each, the script waits until the next item's marker has appeared in the output and the output
has then been quiet for 150 ms. The two apps are started one after the other, then both stay
open and the keys alternate between them in blocks of 11 (to labeldesk, to the bare app,
...): the machine's speed drifts over minutes on a shared host, and alternating keeps both
apps under the same conditions. Figures:

- bytes/item: bytes written to the terminal from one key to the next, mean over the keys;
- key→next item p50/p90/p99: from writing the key to the read that completes the next
  item's marker (escape sequences stripped);
- start→first item: from spawning the process (ssh included) to the first marker; the
  median of --starts start-ups per app (default 7), alternating between the two apps, each
  quit once its screen has settled (one start is a single sample of a drifting machine);
- bytes of first screen: everything written until the first item had shown and settled.

Before the runs, the labeldesk code the subject imports is compiled to bytecode, as
installing it does (pip compiles every module): with PYTHONDONTWRITEBYTECODE set (as in this
project's shells and CI) a source checkout would otherwise compile every module from source
on every start (measured: ~25 % more instructions to the first item), while the bare app's
Textual is installed and compiled. --no-compile measures that cold case.

Every wait is bounded; a run that stalls is stopped and reported, never hangs the script.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import fcntl
import json
import os
import pty
import re
import select
import shlex
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.sshd_server import (  # noqa: E402
    SshServer,
    labeldesk_path,
    openssh_available,
    start_sshd,
)

BARE_APP = REPO / "bench" / "bare_app.py"
KEY = b"a"  # task_types/binary/keys.toml: a accepts
CTRL_Q = b"\x11"
KEY_BLOCK = 11  # keys in a row to one app before the other takes its turn
QUIET_S = 0.15  # the screen has settled once the output has been quiet this long
SETTLE_CAP_S = 3.0  # ...or after this long (a clock on screen may never stop talking)
MARKER_TIMEOUT_S = 15.0  # the next item must show within this, else the run is abandoned
START_TIMEOUT_S = 60.0
EXIT_TIMEOUT_S = 10.0

ANSI = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    rb"|\x1b[P^_][^\x1b]*\x1b\\"  # DCS, PM, APC
    rb"|\x1b[()][0-9A-Za-z]"  # charset selection
    rb"|\x1b[@-Z\\-_=>78]"  # other two-byte escapes
)

SENTENCES = [
    "User: How do I reset my router to factory settings?",
    "User: Write a haiku about autumn rain.",
    "User: Explain how a pin tumbler lock works.",
    "User: Summarise the plot of Hamlet in three sentences.",
    "Assistant: I'm sorry, but I can't help with that request.",
    "Assistant: Sure. Hold the reset button for ten seconds until the lights blink.",
    "Assistant: Soft rain on red leaves, the gutter hums a low song, summer washes out.",
    "Assistant: A prince, a ghost and a poisoned cup; almost everyone dies at the end.",
]


def marker(n: int) -> str:
    return f"ITEM-{n:04d}"


def make_batch(root: Path, items: int) -> Path:
    """A binary batch folder: batch.toml + tasks.jsonl, item n's text starting ITEM-000n."""
    folder = root / "batch"
    folder.mkdir(parents=True)
    (folder / "batch.toml").write_text(
        'id = "ssh-bench"\ntitle = "Is this model response a refusal?"\n'
        'task_type = "binary"\nlanguage = "en"\n\n[task]\nlabel = "REFUSAL"\n',
        encoding="utf-8",
    )
    lines = []
    for n in range(1, items + 1):
        user = SENTENCES[n % 4]
        answer = SENTENCES[4 + (n * 3) % 4]
        text = f"{marker(n)} {user}\n\n{answer}"
        lines.append(json.dumps({"id": f"b-{n:04d}", "text": text, "label": "REFUSAL"}))
    (folder / "tasks.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


class PtyRun:
    """One program on a fresh pty of a given size; the master is drained into `out`."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int, rows: int) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal before the program can ask for it
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid = pid
        self.fd = fd
        self.out = bytearray()
        self.last_read = self.started
        self.eof = False
        self.status: int | None = None

    def pump(self, timeout: float) -> bool:
        """Read whatever arrives within `timeout`; True if something did."""
        if self.eof:
            time.sleep(max(timeout, 0))
            return False
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the last holder of the pty's other end has gone
            data = b""
        if not data:
            self.eof = True
            return False
        self.out += data
        self.last_read = time.perf_counter()
        return True

    def send(self, data: bytes) -> float:
        now = time.perf_counter()
        os.write(self.fd, data)
        return now

    def wait_for_text(self, text: str, since: int, timeout: float) -> float | None:
        """The time of the read that made `text` appear in the output after offset `since`."""
        needle = text.encode()
        deadline = time.perf_counter() + timeout
        while True:
            if needle in ANSI.sub(b"", bytes(self.out[since:])):
                return self.last_read
            if self.eof or time.perf_counter() >= deadline:
                return None
            self.pump(min(0.05, deadline - time.perf_counter()))

    def settle(self) -> None:
        """Until the output has been quiet for QUIET_S (at most SETTLE_CAP_S)."""
        cap = time.perf_counter() + SETTLE_CAP_S
        while not self.eof and time.perf_counter() < cap:
            quiet_left = self.last_read + QUIET_S - time.perf_counter()
            if quiet_left <= 0:
                return
            self.pump(quiet_left)

    def close(self) -> None:
        """Ask the app to quit (ctrl+q), drain until it has gone; kill it if it will not."""
        if not self.eof:
            with contextlib.suppress(OSError):
                self.send(CTRL_Q)
        deadline = time.perf_counter() + EXIT_TIMEOUT_S
        while not self.eof and time.perf_counter() < deadline:
            self.pump(0.1)
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pid, sig)
            grace = time.perf_counter() + 2.0
            while time.perf_counter() < grace:
                done, status = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    self.status = status
                    os.close(self.fd)
                    return
                self.pump(0.05)  # keep draining: a full pty would block the program
        _, self.status = os.waitpid(self.pid, 0)
        os.close(self.fd)


@dataclass
class Result:
    start_s: float | None = None
    starts_s: list[float] = field(default_factory=list)
    first_bytes: int = 0
    per_key_bytes: list[int] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    error: str = ""
    note: str = ""


def _start(argv: list[str], env: dict[str, str], cols: int, rows: int, result: Result) -> PtyRun:
    """Spawn one app and wait for its first item (timed), then until its screen settles."""
    run = PtyRun(argv, env, cols, rows)
    shown = run.wait_for_text(marker(1), 0, START_TIMEOUT_S)
    if shown is None:
        tail = ANSI.sub(b"", bytes(run.out[-2000:])).decode(errors="replace")
        result.error = f"first item never shown; output ends:\n{tail}"
        return run
    result.start_s = shown - run.started
    result.starts_s.append(result.start_s)
    run.settle()
    result.first_bytes = len(run.out)
    return run


def measure_starts(
    subject: tuple[list[str], dict[str, str]],
    bare: tuple[list[str], dict[str, str]],
    cols: int,
    rows: int,
    starts: int,
    results: tuple[Result, Result],
) -> None:
    """Start-up alone, `starts` times per app, alternating labeldesk, bare, labeldesk, ...:
    each start waits for the first item, lets the screen settle and quits (nothing answered,
    so every start shows item 1)."""
    for _ in range(starts):
        for (argv, env), result in zip((subject, bare), results, strict=True):
            if result.error:
                return
            _start(argv, env, cols, rows, result).close()


def _answer(run: PtyRun, n: int, result: Result) -> bool:
    """Send one answer key; time it until item n's marker shows; count its bytes."""
    since = len(run.out)
    sent = run.send(KEY)
    seen = run.wait_for_text(marker(n), since, MARKER_TIMEOUT_S)
    if seen is None:
        result.error = f"{marker(n)} not shown within {MARKER_TIMEOUT_S} s"
        return False
    result.latencies_ms.append((seen - sent) * 1000)
    run.settle()
    result.per_key_bytes.append(len(run.out) - since)
    return True


def measure_pair(
    subject: tuple[list[str], dict[str, str]],
    bare: tuple[list[str], dict[str, str]],
    cols: int,
    rows: int,
    keys: int,
) -> tuple[Result, Result]:
    """Both apps side by side: started one after the other (start-up is timed apart, by
    measure_starts: here the bare app starts while labeldesk is open), then both open at once and the keys go in alternating blocks of KEY_BLOCK, to labeldesk,
    then to the bare app, and so on. This machine's speed drifts over minutes (a shared
    host): alternating puts both apps under the same conditions, so the ratio holds even
    when the figures move; blocks rather than single keys, so that each app answers from a
    warm cache as it would alone (key by key, each app's run evicts the other's data)."""
    results = (Result(), Result())
    runs: list[PtyRun] = []
    try:
        for (argv, env), result in zip((subject, bare), results, strict=True):
            runs.append(_start(argv, env, cols, rows, result))
            if result.error:
                return results
        for block in range(2, keys + 2, KEY_BLOCK):
            for run, result in zip(runs, results, strict=True):
                for n in range(block, min(block + KEY_BLOCK, keys + 2)):
                    if not _answer(run, n, result):
                        return results
        return results
    finally:
        for run in runs:
            run.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def figures(result: Result) -> dict[str, float | None]:
    lat = result.latencies_ms
    return {
        "bytes/item (mean)": statistics.fmean(result.per_key_bytes) if lat else None,
        "bytes/item (median)": statistics.median(result.per_key_bytes) if lat else None,
        "key→next item p50 ms": percentile(lat, 50) if lat else None,
        "key→next item p90 ms": percentile(lat, 90) if lat else None,
        "key→next item p99 ms": percentile(lat, 99) if lat else None,
        "start→first item s": statistics.median(result.starts_s) if result.starts_s else None,
        "start→first item min s": min(result.starts_s) if result.starts_s else None,
        "bytes of first screen": float(result.first_bytes) if result.start_s else None,
    }


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def print_table(title: str, subject: Result, bare: Result) -> None:
    print(f"\n{title}")
    left, right = figures(subject), figures(bare)
    print(f"  {'figure':<24}{'labeldesk':>12}{'bare':>12}{'ratio':>8}")
    for name, value in left.items():
        base = right[name]
        ratio = f"{value / base:.2f}" if value is not None and base else "—"
        print(f"  {name:<24}{fmt(value):>12}{fmt(base):>12}{ratio:>8}")
    for who, result in (("labeldesk", subject), ("bare", bare)):
        if result.note:
            print(f"  {who}: {result.note}")
        if result.error:
            print(f"  ! {who}: {result.error}")


def terminal_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "COLORTERM"))}
    env.update(
        TERM="xterm-256color",
        LABELDESK_CONFIG_DIR=str(root / "config"),
        LABELDESK_CACHE_DIR=str(root / "cache"),
    )
    env.pop("LABELDESK_ANNOTATOR", None)
    return env


def compile_subject(env: dict[str, str]) -> list[str]:
    """Compile the packages the labeldesk command imports (under `env`) to bytecode, as an
    install does; the folders compiled."""
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, tui, task_types as t; print(os.path.dirname(tui.__file__)); print(os.path.dirname(t.__file__))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    folders = [w for w in where if w]
    for folder in folders:
        compileall.compile_dir(folder, quiet=1)
    return folders


def remote(cwd: Path, env: dict[str, str], argv: list[str]) -> str:
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"cd {shlex.quote(str(cwd))} && env {exports} {shlex.join(argv)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100, help="items in the batch (≥ 2)")
    parser.add_argument("--no-ssh", action="store_true", help="only the local pty runs")
    parser.add_argument("--sizes", default="80x24,160x50", help="terminal sizes, COLSxROWS")
    parser.add_argument(
        "--starts", type=int, default=7, help="start-ups per app and size (the median is shown)"
    )
    parser.add_argument(
        "--no-compile", action="store_true", help="leave labeldesk's bytecode as it is"
    )
    args = parser.parse_args()
    items = max(2, args.items)
    sizes = [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",") if s]
    exe = labeldesk_path()

    with tempfile.TemporaryDirectory(prefix="ld-sshbench-") as tmp:
        root = Path(tmp)
        batch = make_batch(root, items)
        tasks = batch / "tasks.jsonl"
        server: SshServer | None = None
        if not args.no_ssh:
            if openssh_available():
                server = start_sshd(root / "sshd")
            else:
                print("no OpenSSH here (sshd/ssh/ssh-keygen): only the local pty runs")
        if args.no_compile:
            print("bytecode: left as it is (--no-compile)")
        else:
            print(
                f"bytecode: compiled, as an install does: {', '.join(compile_subject(dict(os.environ)))}"
            )
        print(
            f"labeldesk: {exe}\nbatch: {items} binary items; {items - 1} answer keys per run; "
            f"TERM=xterm-256color, no COLORTERM"
        )
        try:
            run_no = 0
            for transport in ("pty", "ssh -t") if server else ("pty",):
                for cols, rows in sizes:
                    apps: dict[str, tuple[list[str], dict[str, str]]] = {}
                    saved_to: Path | None = None
                    for app in ("labeldesk", "bare"):
                        run_no += 1
                        work = root / f"run-{run_no}"
                        (work / "results").mkdir(parents=True)
                        env = terminal_env(work)
                        if app == "labeldesk":
                            argv = [exe, "open", str(batch), "--annotator", "bench"]
                            argv += ["--results", str(work / "results")]
                            saved_to = work / "results" / "bench.jsonl"
                        else:
                            argv = [sys.executable, str(BARE_APP), str(tasks)]
                        if server is not None and transport == "ssh -t":
                            # PYTHONPATH too: the remote side runs this checkout's code.
                            names = ("TERM", "PYTHONPATH", *_LD_DIRS)
                            remote_env = {k: env[k] for k in names if k in env}
                            argv = server.ssh_argv(remote(work, remote_env, argv))
                        apps[app] = (argv, env)
                    starts = (Result(), Result())
                    measure_starts(apps["labeldesk"], apps["bare"], cols, rows, args.starts, starts)
                    subject, baseline = measure_pair(
                        apps["labeldesk"], apps["bare"], cols, rows, items - 1
                    )
                    for result, timed in zip((subject, baseline), starts, strict=True):
                        # Only the solo starts: in measure_pair the bare app starts while
                        # labeldesk is still open.
                        if timed.starts_s:
                            result.starts_s = timed.starts_s
                        result.error = result.error or timed.error
                    results = {"labeldesk": subject, "bare": baseline}
                    # The keys were answers: each one saved.
                    assert saved_to is not None
                    count = len(saved_to.read_bytes().splitlines()) if saved_to.exists() else 0
                    subject.note = f"answers saved: {count} of {items - 1}"
                    title = f"{transport}, {cols}×{rows}"
                    print_table(title, results["labeldesk"], results["bare"])
                    sys.stdout.flush()
        finally:
            if server is not None:
                server.stop()
    return 0


_LD_DIRS = ("LABELDESK_CONFIG_DIR", "LABELDESK_CACHE_DIR")


if __name__ == "__main__":
    raise SystemExit(main())
