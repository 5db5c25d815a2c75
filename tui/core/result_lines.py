"""The one reader of results lines: typed, validated, and every bad line said once.

Results files live in a shared folder and anyone can write into them, so a line may hold
anything: `"answer": ["accept"]`, a number for `task_id`, a string for `revision`. Every
reader (session resume, the KPI tally, `labeldesk stats`, the audit engine, F6/F7) goes
through check_result_line(): a line that fits becomes a ResultLine; one that does not becomes
a Problem `file:line: [field] what was expected` and is skipped, never a traceback, and never
hides the good lines around it.

The rules of DESIGN §3 are coded once, here: the latest line per task wins (latest_by_task);
an `undone` line withdraws the task's answer, and an undo of an edit appends the earlier
answer again (with `restored_revision`), so "latest wins" restores it too.
"""

from __future__ import annotations

import errno
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import orjson

from tui.core.problems import Problem
from tui.core.record_kinds import FLAG_REASONS, AnswerKind, Verdict

ANSWER_KINDS: tuple[str, ...] = get_args(AnswerKind)
# Beyond these a number is not a mistake of labeldesk's but junk: refused, so no sum, plot
# or duration formatting downstream can overflow on it.
MAX_ACTIVE_MS = 30 * 24 * 3600 * 1000  # 30 days on one task
MAX_REVISION = 1_000_000_000
MAX_KEYS = 1_000_000_000
VERDICTS: tuple[str, ...] = get_args(Verdict)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


# Not frozen: a frozen dataclass sets each of its 15 fields through object.__setattr__, which
# cost as much as the checks themselves (~2 µs a line; a million lines are read per export
# or stats run). Nothing assigns to one; it was never hashable (`raw` is a dict).
@dataclass(slots=True)
class ResultLine:
    """One validated answer line. `raw` is the line as parsed (extra fields kept)."""

    line: int
    task_id: str
    answer: str  # one of ANSWER_KINDS
    active_ms: int  # 0 when the line has none
    raw: dict[str, Any]
    revision: int | None = None
    batch_id: str | None = None
    annotator: str | None = None
    task_type: str | None = None
    value: dict[str, Any] | None = None
    flag: dict[str, Any] | None = None
    submitted_at: str | None = None
    gold_correct: bool | None = None
    restored_revision: int | None = None
    # Problems that do not cost the line (a malformed gold_correct counts as no gold).
    notes: tuple[Problem, ...] = ()

    @property
    def withdrawn(self) -> bool:
        return self.answer == "undone"


def _shown(value: object) -> str:
    if value is None:
        return "null"
    text = repr(value) if not isinstance(value, float) else f"{value:g}"
    return text if len(text) <= 60 else text[:57] + "..."


def _got(obj: Mapping[str, Any], name: str) -> str:
    return "nothing" if name not in obj else _shown(obj[name])


def _is_int(value: object) -> bool:
    return type(value) is int


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _text(obj: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    value = obj.get(name)
    if value is None:
        if required:
            raise _Bad(
                name,
                "required field is missing" if name not in obj else "expected a string, got null",
            )
        return None
    if type(value) is not str:
        raise _Bad(name, f"expected a string, got {_got(obj, name)}")
    return value


def _count(obj: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    value = obj.get(name)
    if value is None:
        return None
    if not _is_int(value) or not low <= value <= high:
        if isinstance(value, float) and not math.isfinite(value):
            got = "a number that is not finite"
        else:
            got = _got(obj, name)
        if name == "active_ms":
            expected = "a whole number of milliseconds, 0 or more"
            if _is_int(value) and value > high:
                expected += f" and at most {high} (30 days)"
        else:
            expected = f"a whole number from {low} to {high}"
        raise _Bad(name, f"expected {expected}, got {got}")
    return int(value)


def _check(obj: Mapping[str, Any]) -> tuple[str, str, int, dict[str, Any]]:
    task_id = _text(obj, "task_id", required=True)
    assert task_id is not None
    if not task_id.strip():
        raise _Bad("task_id", "expected a task id, got an empty string")
    answer = obj.get("answer")
    if type(answer) is not str or answer not in ANSWER_KINDS:
        raise _Bad(
            "answer", f"expected one of {', '.join(ANSWER_KINDS)}, got {_got(obj, 'answer')}"
        )
    extra: dict[str, Any] = {}
    for name in ("batch_id", "annotator", "task_type", "submitted_at"):
        extra[name] = _text(obj, name)
    value = obj.get("value")
    if value is not None and type(value) is not dict:
        raise _Bad(
            "value",
            f"expected an object (the task type's answer) or null, got {_got(obj, 'value')}",
        )
    extra["value"] = value
    flag = obj.get("flag")
    if flag is not None:
        if type(flag) is not dict:
            raise _Bad(
                "flag", f"expected an object {{reason, note}} or null, got {_got(obj, 'flag')}"
            )
        reason = flag.get("reason")
        if type(reason) is not str or reason not in FLAG_REASONS:
            raise _Bad(
                "flag.reason",
                f"expected one of {', '.join(FLAG_REASONS)}, got {_got(flag, 'reason')}",
            )
        note = flag.get("note", "")
        if type(note) is not str:
            raise _Bad("flag.note", f"expected a string, got {_got(flag, 'note')}")
        unknown = sorted(set(flag) - {"reason", "note"})
        if unknown:
            raise _Bad(f"flag.{unknown[0]}", "unknown field")
    extra["flag"] = flag
    active = _count(obj, "active_ms", 0, MAX_ACTIVE_MS)
    extra["revision"] = _count(obj, "revision", 1, MAX_REVISION)
    extra["restored_revision"] = _count(obj, "restored_revision", 1, MAX_REVISION)
    _count(obj, "keys", 0, MAX_KEYS)
    gold = obj.get("gold_correct")
    extra["gold_correct"] = gold if type(gold) is bool else None
    return task_id, answer, active or 0, extra


def _gold_note(obj: Mapping[str, Any], path: Path | str, number: int) -> tuple[Problem, ...]:
    gold = obj.get("gold_correct")
    if gold is None or type(gold) is bool:
        return ()
    message = f"expected true, false or null, got {_shown(gold)}; the line counts without gold"
    return (Problem(path, message, number, "gold_correct", severity="warning"),)


_ANSWER_SET = frozenset(ANSWER_KINDS)


def _plain(obj: dict[str, Any], path: Path | str, number: int) -> ResultLine | None:
    """The common line, checked inline: every field of the right type and range, no flag,
    no restore, gold absent or a bool. None when anything is unusual: the full check (_check)
    then decides and says why. Accepts only lines _check accepts, with the same result."""
    get = obj.get
    task_id = get("task_id")
    answer = get("answer")
    batch_id = get("batch_id")
    annotator = get("annotator")
    task_type = get("task_type")
    submitted = get("submitted_at")
    value = get("value")
    active = get("active_ms")
    revision = get("revision")
    keys = get("keys")
    gold = get("gold_correct")
    if (
        type(task_id) is not str
        or type(answer) is not str
        or answer not in _ANSWER_SET
        or (batch_id is not None and type(batch_id) is not str)
        or (annotator is not None and type(annotator) is not str)
        or (task_type is not None and type(task_type) is not str)
        or (submitted is not None and type(submitted) is not str)
        or (value is not None and type(value) is not dict)
        or get("flag") is not None
        or get("restored_revision") is not None
        or (active is not None and (type(active) is not int or not 0 <= active <= MAX_ACTIVE_MS))
        or (
            revision is not None
            and (type(revision) is not int or not 1 <= revision <= MAX_REVISION)
        )
        or (keys is not None and (type(keys) is not int or not 0 <= keys <= MAX_KEYS))
        or (gold is not None and type(gold) is not bool)
        or not task_id.strip()
    ):
        return None
    # Positional (faster than keywords): the order of ResultLine's fields.
    return ResultLine(
        number,  # line
        task_id,
        answer,
        active or 0,  # active_ms
        obj,  # raw
        revision,
        batch_id,
        annotator,
        task_type,
        value,
        None,  # flag
        submitted,  # submitted_at
        gold,  # gold_correct
        None,  # restored_revision
    )


def check_result_line(obj: object, path: Path | str, number: int) -> ResultLine | Problem:
    """A parsed line as a ResultLine, or the Problem that says (file:line: [field]) why not."""
    if type(obj) is dict:
        plain = _plain(obj, path, number)
        if plain is not None:
            return plain
    return check_fully(obj, path, number)


def check_fully(obj: object, path: Path | str, number: int) -> ResultLine | Problem:
    """check_result_line without the inline path for common lines (the reference it must
    agree with: tests/test_result_lines_fast_path.py)."""
    if type(obj) is not dict:
        kind = "null" if obj is None else type(obj).__name__
        return Problem(path, f"expected a JSON object, got {kind}", number)
    try:
        task_id, answer, active, extra = _check(obj)
    except _Bad as bad:
        return Problem(path, bad.message, number, bad.field)
    notes = _gold_note(obj, path, number)
    return ResultLine(
        line=number, task_id=task_id, answer=answer, active_ms=active, raw=obj, notes=notes, **extra
    )


def _check_audit(obj: Mapping[str, Any]) -> None:
    verdict = obj.get("verdict")
    if type(verdict) is not str or verdict not in VERDICTS:
        raise _Bad("verdict", f"expected one of {', '.join(VERDICTS)}, got {_got(obj, 'verdict')}")
    for name in ("task_id", "annotator", "auditor", "batch_id", "submitted_at"):
        _text(obj, name, required=True)
    for name in ("task_type", "comment", "session_id", "started_at"):
        _text(obj, name)
    for name, low, high in (("revision", 1, MAX_REVISION), ("active_ms", 0, MAX_ACTIVE_MS)):
        if obj.get(name) is None:
            raise _Bad(
                name,
                "required field is missing"
                if name not in obj
                else f"expected a whole number from {low} to {high}, got null",
            )
        _count(obj, name, low, high)
    _count(obj, "keys", 0, MAX_KEYS)
    errors = obj.get("errors", [])
    if type(errors) is not list:
        raise _Bad("errors", f"expected a list of error categories, got {_got(obj, 'errors')}")
    for i, item in enumerate(errors):
        if type(item) is not str:
            raise _Bad(f"errors.{i}", f"expected an error category (a string), got {_shown(item)}")
    for name in ("original_value", "corrected_value"):
        value = obj.get(name)
        if value is not None and type(value) is not dict:
            raise _Bad(name, f"expected an object (an answer value) or null, got {_got(obj, name)}")


def check_audit_line(obj: object, path: Path | str, number: int) -> Problem | None:
    """None when a parsed audits/<auditor>.jsonl line has fields of the right types, else
    the Problem (file:line: [field] what was expected)."""
    if type(obj) is not dict:
        kind = "null" if obj is None else type(obj).__name__
        return Problem(path, f"expected a JSON object, got {kind}", number)
    try:
        _check_audit(obj)
    except _Bad as bad:
        return Problem(path, bad.message, number, bad.field)
    return None


def parse_line(raw: bytes, path: Path | str, number: int) -> ResultLine | Problem:
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Problem(path, f"not valid JSON: {exc}", number)
    return check_result_line(obj, path, number)


def open_for_reading(path: Path, *, follow: bool = False) -> int:
    """A descriptor on a regular file: never blocks on a FIFO, never reads a device. Without
    `follow`, a symlink is refused (a file found inside a shared folder); raises OSError with
    a message naming the path."""
    import stat

    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (0 if follow else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(
                exc.errno,
                "is a symbolic link; not read (results and audit files must be regular files)",
            ) from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "is not a regular file; not read")
    os.set_blocking(fd, True)
    return fd


def read_lines(
    path: Path, problems: list[Problem], *, follow: bool = False
) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each non-blank line; a file that cannot be read, and an
    unterminated last line (being written, or torn by a crash), become problems."""
    try:
        fd = open_for_reading(path, follow=follow)
    except OSError as exc:
        problems.append(Problem(path, f"cannot read: {exc.strerror or exc}"))
        return
    with os.fdopen(fd, "rb") as fh:
        pending: tuple[int, bytes] | None = None
        for number, raw in enumerate(fh, start=1):
            if pending is not None:
                yield pending
                pending = None
            if not raw.strip():
                continue
            pending = (number, raw)
        if pending is not None:
            number, raw = pending
            if raw.endswith(b"\n"):
                yield pending
            else:
                try:
                    orjson.loads(raw)
                    yield pending  # complete JSON: only the line end is missing
                except orjson.JSONDecodeError:
                    problems.append(
                        Problem(
                            path,
                            "the last line is incomplete (being written, or torn by a crash); "
                            "ignored",
                            number,
                            severity="warning",
                        )
                    )


def read_result_lines(
    path: Path, problems: list[Problem], *, follow: bool = False
) -> Iterator[ResultLine]:
    """The valid answer lines of a results file, in file order; every other line becomes
    one Problem in `problems`."""
    for number, raw in read_lines(path, problems, follow=follow):
        parsed = parse_line(raw, path, number)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            problems.extend(parsed.notes)
            yield parsed


def check_records(
    records: Iterable[tuple[int, object]], path: Path | str, problems: list[Problem]
) -> Iterator[ResultLine]:
    """check_result_line over (line number, parsed object) pairs already read."""
    for number, obj in records:
        parsed = check_result_line(obj, path, number)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            problems.extend(parsed.notes)
            yield parsed


def latest_by_task(lines: Iterable[ResultLine]) -> dict[str, ResultLine]:
    """The latest line per task_id (file order): the answer that counts. An `undone` line is
    kept (it withdraws the answer: see answered()); a restore is a later line and wins."""
    latest: dict[str, ResultLine] = {}
    for line in lines:
        latest[line.task_id] = line
    return latest


def answered(latest: Mapping[str, ResultLine]) -> dict[str, ResultLine]:
    """The tasks whose latest line is an answer, not a withdrawal."""
    return {k: v for k, v in latest.items() if not v.withdrawn}


class ResultsTail:
    """Reads a results file incrementally: each call returns the lines appended since the
    last one (complete lines only: a line being written is read when its end arrives).
    Remembers the byte offset and line number; the file is opened for each read (no
    descriptor held per colleague's file). A file replaced by another (a new inode) or cut
    shorter than what was read is read again from its start."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.line = 0
        self.identity: tuple[int, int] | None = None

    def unchanged(self, info: os.stat_result) -> bool:
        """Whether a stat of the path says nothing was appended since the last read (no
        need to open it)."""
        return (info.st_dev, info.st_ino) == self.identity and info.st_size == self.offset

    def read_new(self, problems: list[Problem], chunk: int = 8 << 20) -> Iterator[ResultLine]:
        """The lines appended since the last read, parsed as they are read (8 MB at a time:
        a 1M-line file is never held whole, nor its parsed lines)."""
        try:
            fd = open_for_reading(self.path)
        except OSError as exc:
            problems.append(Problem(self.path, f"cannot read: {exc.strerror or exc}"))
            return
        try:
            info = os.fstat(fd)
            identity = (info.st_dev, info.st_ino)
            if identity != self.identity or info.st_size < self.offset:
                self.identity, self.offset, self.line = identity, 0, 0
            carry = b""
            at = self.offset
            while True:
                data = os.pread(fd, chunk, at)
                if not data:
                    return
                at += len(data)
                block = carry + data
                end = block.rfind(b"\n") + 1  # complete lines only: the rest waits its end
                carry = block[end:]
                for raw in block[:end].split(b"\n")[:-1]:
                    self.line += 1
                    if not raw.strip():
                        continue
                    parsed = parse_line(raw, self.path, self.line)
                    if isinstance(parsed, Problem):
                        problems.append(parsed)
                    else:
                        problems.extend(parsed.notes)
                        yield parsed
                self.offset += end
        finally:
            os.close(fd)
