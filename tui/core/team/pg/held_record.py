"""The claims an annotator holds on the PostgreSQL backend, kept on this machine's disk.

Why: the server is the only place that knows an annotator's leases. An app started while the
server cannot be reached (it crashed, the laptop rebooted, the annotator quit and came back)
would otherwise have nothing to work on until the server is back, although the leases its
previous session took are still live. `team/<annotator>.held.json` in the batch folder says
which tasks they were and when each lease ends; the coordinator offers the ones still live
(by this machine's clock), minus the tasks the results file already answers.

Only a convenience: losing or garbling this file loses the offline start, never an answer
(the results file is the journal) and never a claim on the server. So:

- it is written atomically (a new 0600 file of our own, renamed over the old one: readers
  see the old record or the new one, never half), through `safe_files` (no symlink followed,
  a regular file of this user only);
- fsynced only when a lease is added or extended (a claim or a renewal: every few answers
  and every quarter lease, in the team worker, never on a key's path); a record that only
  shrank (an answer used a lease up, a release) is renamed into place without fsync: if a
  crash loses that write, the older record comes back, and the tasks it lists that were
  answered meanwhile are filtered out by the results file, which is fsynced per answer;
- read by a reader that survives any content: a missing file is an empty record, anything
  else that is not a record of this batch and annotator is one Problem and an empty record.

Format (docs/DESIGN.md, "Beyond one server: PostgreSQL"):
`{"version": 1, "batch_id": …, "annotator": …, "saved_at": epoch s, "claims": {task: until}}`.
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
import time
from collections.abc import Mapping
from pathlib import Path

import orjson

from tui.core.i18n import _
from tui.core.problems import Problem
from tui.core.safe_files import create_new, make_private_dirs, open_regular, read_all

RECORD_VERSION = 1
MAX_BYTES = 16 << 20  # far beyond any claim_size; a bigger file is not one of ours


def record_path(team_dir: Path, annotator: str) -> Path:
    return team_dir / f"{annotator}.held.json"


class HeldRecord:
    """The record of one annotator's claims in one batch (`team_dir/<annotator>.held.json`)."""

    def __init__(
        self, team_dir: Path, batch_id: str, annotator: str, *, dir_mode: int = 0o700
    ) -> None:
        self.path = record_path(team_dir, annotator)
        self.batch_id = batch_id
        self.annotator = annotator
        self.dir_mode = dir_mode

    def load(self, problems: list[Problem]) -> dict[str, float]:
        """Task id -> lease end (epoch seconds), as last saved. Never raises: a file that is
        not a record of ours (a symlink, a colleague's file, bad JSON, another batch) is one
        Problem in `problems` and an empty record."""
        self._sweep()
        try:
            fd, _created = open_regular(self.path, os.O_RDONLY, owned=True)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            problems.append(
                self._problem(_("cannot be read ({error})").format(error=exc.strerror or exc))
            )
            return {}
        try:
            if os.fstat(fd).st_size > MAX_BYTES:
                problems.append(
                    self._problem(_("is larger than {limit} bytes").format(limit=MAX_BYTES))
                )
                return {}
            data = read_all(fd)
        except OSError as exc:
            problems.append(
                self._problem(_("cannot be read ({error})").format(error=exc.strerror or exc))
            )
            return {}
        finally:
            os.close(fd)
        claims, why = self._parse(data)
        if why is not None:
            problems.append(self._problem(why))
        return claims

    def _parse(self, data: bytes) -> tuple[dict[str, float], str | None]:
        try:
            obj = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            return {}, _("is not JSON ({error})").format(error=exc)
        if not isinstance(obj, dict):
            return {}, _("is not a JSON object")
        if obj.get("version") != RECORD_VERSION:
            return {}, _("has version {found}, expected {expected}").format(
                found=repr(obj.get("version")), expected=RECORD_VERSION
            )
        if obj.get("batch_id") != self.batch_id:
            return {}, _("is for batch {found}, not {expected}").format(
                found=repr(obj.get("batch_id")), expected=repr(self.batch_id)
            )
        if obj.get("annotator") != self.annotator:
            return {}, _("is for annotator {found}, not {expected}").format(
                found=repr(obj.get("annotator")), expected=repr(self.annotator)
            )
        raw = obj.get("claims")
        if not isinstance(raw, dict):
            return {}, _("[claims] expected an object of task id -> lease end")
        claims: dict[str, float] = {}
        for task, until in raw.items():
            good = isinstance(until, int | float) and not isinstance(until, bool)
            if not good or not math.isfinite(until):
                return {}, _("[claims.{task}] expected a lease end in epoch seconds").format(
                    task=task
                )
            claims[task] = float(until)
        return claims, None

    def _sweep(self) -> None:
        """Remove temporary files of this record left by a process killed between writing
        and renaming (`.<name>.<pid>.tmp`, a regular file of this user whose process is gone).
        Anything else is left alone."""
        prefix = f".{self.path.name}."
        try:
            entries = list(os.scandir(self.path.parent))
        except OSError:
            return
        for entry in entries:
            pid_text = entry.name[len(prefix) : -len(".tmp")]
            if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                continue
            if not pid_text.isdigit() or int(pid_text) == os.getpid():
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                    continue
                os.kill(int(pid_text), 0)
            except ProcessLookupError:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
            except OSError:  # alive (EPERM: someone else's), or gone meanwhile
                continue

    def _problem(self, why: str) -> Problem:
        # `why` says what is wrong with it, as the rest of the sentence ("is not JSON (...)").
        message = _(
            "the record of claims held {why}; ignored: claims held before are not offered "
            "offline (answers are not affected)"
        ).format(why=why)
        return Problem(self.path, message, severity="warning")

    def save(self, claims: Mapping[str, float], *, durable: bool) -> Problem | None:
        """Replace the record with `claims` (atomically; fsynced when `durable`). A failure
        is returned, never raised: the record must not stop anyone from labeling."""
        data = orjson.dumps(
            {
                "version": RECORD_VERSION,
                "batch_id": self.batch_id,
                "annotator": self.annotator,
                "saved_at": time.time(),
                "claims": dict(claims),
            }
        )
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        created = False
        try:
            make_private_dirs(self.path.parent, self.dir_mode)  # exists in a team batch
            # A new file of our own, 0600 whatever the umask: never through a symlink planted
            # at the temporary name, never a colleague's file renamed into place.
            fd = create_new(tmp)
            created = True
            try:
                view = memoryview(data + b"\n")
                while view:
                    view = view[os.write(fd, view) :]
                if durable:
                    os.fsync(fd)
            finally:
                os.close(fd)
            # rename() replaces a symlink planted at the record's name, never its target.
            os.replace(tmp, self.path)
            if durable:
                folder = os.open(self.path.parent, os.O_RDONLY | os.O_DIRECTORY)
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)
        except OSError as exc:
            if created:  # ours to clean up; a file found at the name is not
                with contextlib.suppress(OSError):
                    tmp.unlink()
            return Problem(
                self.path,
                _(
                    "could not record the claims held ({error}); they are not offered offline "
                    "after a restart (answers are not affected)"
                ).format(error=exc),
                severity="warning",
            )
        return None
