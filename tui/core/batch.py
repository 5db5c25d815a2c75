"""A batch: its config, its task type, and its tasks read lazily through a byte-offset index.

Opening reads batch.toml and indexes the first lines of tasks.jsonl only; `index_rest()` and
`validate_all()` are meant for a worker. A Prodigy JSONL file opens as a batch too, given the
task type (and labels) from the command line.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from tui.core.batch_config import BatchConfig, read_batch_config, sha256_of
from tui.core.first_seen import FirstSeen
from tui.core.i18n import _
from tui.core.json_text import json_reason
from tui.core.jsonl_index import JsonlIndex
from tui.core.problems import BatchError, Problem, pydantic_problems
from tui.core.task_registry import get_task_type
from tui.core.task_type import TaskContent, TaskOptions, TaskType, TaskTypeError
from tui.core.toml_lines import line_of

MAX_LINE_BYTES = 1_000_000  # a task line above this is refused: it would freeze the screen
FIRST_SCAN_LINES = 256
# Task types whose task line names a media file in the field of the type's own name.
MEDIA_FIELDS = frozenset({"image", "video", "audio"})


@dataclass
class Item:
    """One task line, parsed on demand. `task` is None when the line is invalid."""

    index: int
    line_no: int
    task_id: str
    raw: dict[str, Any] | None
    task: TaskContent | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.task is not None


def _fallback_id(raw: dict[str, Any], line_no: int) -> str:
    for key in ("_task_hash", "_input_hash"):
        if key in raw and raw[key] is not None:
            return str(raw[key])
    return f"line-{line_no}"


def task_id_of(raw: dict[str, Any], line_no: int) -> str:
    value = raw.get("id")
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
        return str(value)
    return _fallback_id(raw, line_no)


def _label_lookalikes(labels: object, config_file: Path) -> list[Problem]:
    """Labels with invisible characters (zero-width, bidi, controls) look like others, or
    like themselves without them: an annotator cannot tell which one a key applies."""
    if not isinstance(labels, list):
        return []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for label in labels:
        if not isinstance(label, str):
            continue
        hidden = [ch for ch in label if unicodedata.category(ch) in ("Cf", "Cc", "Co", "Zl", "Zp")]
        shown = "".join(ch for ch in label if ch not in hidden)
        key = unicodedata.normalize("NFKC", shown).casefold()
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(hidden))
        if key in seen and seen[key] != label:
            if codes:
                message = _(
                    "labels {first!r} and {second!r} look identical on screen (they differ by "
                    "invisible {codes}); rename one"
                ).format(first=seen[key], second=label, codes=codes)
            else:
                message = _(
                    "labels {first!r} and {second!r} look identical on screen; rename one"
                ).format(first=seen[key], second=label)
            problems.append(Problem(config_file, message, field="task.labels"))
        elif hidden:
            message = _(
                "label {label!r} contains invisible {codes}; it looks like {shown!r}"
            ).format(label=label, codes=codes, shown=shown)
            problems.append(Problem(config_file, message, field="task.labels", severity="warning"))
        seen.setdefault(key, label)
    return problems


def release_free_memory() -> None:
    """Give memory freed after a pass over every task back to the system (glibc keeps freed
    heap pages otherwise, and a 1M-task validation leaves tens of MB resident)."""
    if sys.platform != "linux":
        return
    import ctypes  # here, not at the top: ~1.5 ms off every start-up

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # not glibc (musl, ...): nothing to trim
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


@dataclass
class Batch:
    folder: Path
    config: BatchConfig
    task_type: TaskType
    options: TaskOptions
    tasks_path: Path
    results_dir: Path
    audits_dir: Path
    index: JsonlIndex
    problems: list[Problem] = field(default_factory=list)
    guidelines_path: Path | None = None
    guidelines_sha256: str | None = None
    _guidelines_key: tuple[int, int, int] | None = None

    def refresh_guidelines(self) -> bool:
        """Look at guidelines.md again (cheap: a stat, hashing only when it changed); True
        when its content changed since last looked at, so the UI can tell the annotator.
        Answers record guidelines_sha256 of the file as it is when they are saved."""
        if self.guidelines_path is None:
            return False
        try:
            info = self.guidelines_path.stat()
        except OSError:
            return False
        key = (info.st_ino, info.st_size, info.st_mtime_ns)
        if key == self._guidelines_key:
            return False
        self._guidelines_key = key
        digest = sha256_of(self.guidelines_path)
        changed = digest != self.guidelines_sha256
        self.guidelines_sha256 = digest
        return changed

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path,
        *,
        task_type: str | None = None,
        labels: list[str] | None = None,
        results_dir: Path | None = None,
    ) -> Batch:
        """Open a batch folder, or a bare JSONL file (Prodigy) with task_type given."""
        path = path.expanduser()
        if not path.exists():
            raise BatchError([Problem(path, _("no such file or folder"))])
        if path.is_dir():
            config_path = path / "batch.toml"
            config, config_problems = read_batch_config(config_path)
            if config is None:
                raise BatchError(config_problems)
            if task_type is not None and task_type != config.task_type:
                raise BatchError(
                    [
                        Problem(
                            config_path,
                            _(
                                "--task-type {given} contradicts task_type = {task_type!r} "
                                "of the batch"
                            ).format(given=task_type, task_type=config.task_type),
                            field="task_type",
                        )
                    ]
                )
            if labels:
                config.task["labels"] = labels
            folder = path
            tasks_path = folder / config.tasks
            config_file = config_path
        else:
            if task_type is None:
                raise BatchError(
                    [
                        Problem(
                            path,
                            _(
                                "a bare JSONL file needs --task-type (for example --task-type "
                                "binary); a batch folder needs a batch.toml"
                            ),
                        )
                    ]
                )
            folder = path.parent
            table: dict[str, Any] = {}
            if labels:
                table["labels"] = labels
            config = BatchConfig(
                id=path.stem, title=path.name, task_type=task_type, guidelines=None, task=table
            )
            tasks_path = path
            config_file = path
        try:
            ttype = get_task_type(config.task_type)
        except KeyError as exc:
            line = None
            if config_file.suffix == ".toml":
                line = line_of(config_file.read_text("utf-8", "replace"), "task_type")
            problem = Problem(config_file, str(exc.args[0]), line, "task_type")
            raise BatchError([problem]) from None
        try:
            options = ttype.parse_options(config.task, config.language)
        except ValidationError as exc:
            is_toml = config_file.suffix == ".toml"
            text = config_file.read_text("utf-8", "replace") if is_toml else ""
            probs = []
            for p in pydantic_problems(exc, config_file, prefix="task."):
                line = line_of(text, p.field) if p.field and is_toml else None
                probs.append(Problem(p.file, p.message, line, p.field))
            if config_file.suffix != ".toml":
                probs.append(
                    Problem(
                        config_file,
                        _("give the labels with --labels for task type {name}").format(
                            name=ttype.name
                        ),
                    )
                )
            raise BatchError(probs) from None
        if not tasks_path.is_file():
            what = (
                _("is not a regular file")
                if tasks_path.exists()
                else _("the tasks file is missing")
            )
            raise BatchError([Problem(tasks_path, what)])
        index = JsonlIndex(tasks_path)
        index.scan(max_lines=FIRST_SCAN_LINES)
        if len(index) == 0 and index.complete:
            raise BatchError([Problem(tasks_path, _("has no tasks: the file is empty"))])
        guidelines_path = None
        if config.guidelines:
            candidate = folder / config.guidelines
            if candidate.is_file():
                guidelines_path = candidate
        problems: list[Problem] = []
        if index.has_bom:
            problems.append(
                Problem(
                    tasks_path,
                    _("starts with a UTF-8 byte-order mark (ignored)"),
                    1,
                    severity="warning",
                )
            )
        problems.extend(_label_lookalikes(config.task.get("labels"), config_file))
        res_dir = results_dir if results_dir is not None else folder / "results"
        opened = cls(
            folder=folder,
            config=config,
            task_type=ttype,
            options=options,
            tasks_path=tasks_path,
            results_dir=res_dir,
            audits_dir=folder / "audits",
            index=index,
            problems=problems,
            guidelines_path=guidelines_path,
        )
        opened.refresh_guidelines()
        return opened

    # -- reading ---------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.config.id

    def __len__(self) -> int:
        return len(self.index)

    @property
    def fully_indexed(self) -> bool:
        return self.index.complete

    def index_rest(self) -> None:
        self.index.scan()

    def tasks_changed(self) -> Problem | None:
        """What happened to tasks.jsonl while open, if anything but growth (the index
        notices at its next scan): replaced by another file (by rename, as sync tools do) or
        rewritten in place. None when it only grew or did not change."""
        change = self.index.change
        if change == "replaced":
            return Problem(
                self.tasks_path,
                _(
                    "was replaced by another file while the batch was open (a new file under "
                    "the same name, as sync tools write it); still showing the file as it was "
                    "opened ({tasks} tasks), no line of the new file is mixed in. Reopen the "
                    "batch to label the new file."
                ).format(tasks=len(self)),
                severity="warning",
            )
        if change == "rewritten":
            return Problem(
                self.tasks_path,
                _(
                    "was rewritten in place while the batch was open; it was indexed again "
                    "from the start ({tasks} tasks now), so item numbers may have changed"
                ).format(tasks=len(self)),
                severity="warning",
            )
        return None

    def reload_tasks(self) -> None:
        """Index the file now at tasks_path from scratch (after tasks_changed() said it was
        replaced). Item indexes held elsewhere are meaningless afterwards."""
        self.index.reopen()
        self.index.scan(max_lines=FIRST_SCAN_LINES)

    def raw_line(self, index: int) -> tuple[int, dict[str, Any] | None, Problem | None]:
        _offset, length, line_no = self.index.entry(index)
        if length > MAX_LINE_BYTES:
            return (
                line_no,
                None,
                Problem(
                    self.tasks_path,
                    _(
                        "the line is {size:.1f} MB; at most {limit} MB per task is accepted "
                        "(split the text into several tasks)"
                    ).format(size=length / 1e6, limit=MAX_LINE_BYTES // 1_000_000),
                    line_no,
                ),
            )
        data = self.index.line(index)
        try:
            obj = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as uexc:
                msg = _(
                    "not valid UTF-8: byte 0x{byte:02x} at column {column} (save the file as UTF-8)"
                ).format(byte=data[uexc.start], column=uexc.start + 1)
                return line_no, None, Problem(self.tasks_path, msg, line_no)
            # orjson counts lines within the one line it was given: say only the column.
            reason = json_reason(exc.msg) if hasattr(exc, "msg") else str(exc)
            column = getattr(exc, "colno", None)
            if column:
                msg = _("not valid JSON at column {column}: {reason}").format(
                    column=column, reason=reason
                )
            else:
                msg = _("not valid JSON: {reason}").format(reason=reason)
            return line_no, None, Problem(self.tasks_path, msg, line_no)
        if not isinstance(obj, dict):
            kind = type(obj).__name__
            return (
                line_no,
                None,
                Problem(
                    self.tasks_path,
                    _("expected a JSON object, got {kind}").format(kind=kind),
                    line_no,
                ),
            )
        return line_no, obj, None

    def item(self, index: int) -> Item:
        line_no, raw, problem = self.raw_line(index)
        if raw is None:
            assert problem is not None
            return Item(index, line_no, f"line-{line_no}", None, None, [problem])
        task_id = task_id_of(raw, line_no)
        prepared = dict(raw)
        prepared["id"] = task_id
        try:
            task = self.task_type.parse_task(prepared, self.options)
        except ValidationError as exc:
            return Item(
                index, line_no, task_id, raw, None, pydantic_problems(exc, self.tasks_path, line_no)
            )
        except TaskTypeError as exc:
            prob = Problem(self.tasks_path, str(exc), line_no, exc.field)
            return Item(index, line_no, task_id, raw, None, [prob])
        return Item(index, line_no, task_id, raw, task)

    def task_id_at(self, index: int) -> str:
        line_no, raw, _problem = self.raw_line(index)
        return task_id_of(raw, line_no) if raw is not None else f"line-{line_no}"

    def iter_items(self) -> Iterator[Item]:
        for i in range(len(self)):
            yield self.item(i)

    # -- validation ------------------------------------------------------------------------
    def _media_problems(self, item: Item) -> list[Problem]:
        """A media item's file: inside the batch folder (symlinks resolved) and present.
        The view says the same when the item is shown; validate says it up front."""
        field = self.task_type.name
        if field not in MEDIA_FIELDS or item.raw is None or field not in item.raw:
            return []
        from tui.core.media.errors import MediaError
        from tui.core.media.paths import resolve_media_path

        try:
            real = resolve_media_path(self.folder, item.raw[field], field)
        except MediaError as exc:
            return [Problem(self.tasks_path, str(exc), item.line_no, field)]
        if not real.is_file():
            shown = str(item.raw[field])
            if real.exists():
                what = _("media file {file!r}: is not a regular file").format(file=shown)
            else:
                what = _("media file {file!r}: not found").format(file=shown)
            return [Problem(self.tasks_path, what, item.line_no, field)]
        return []

    def validate_all(
        self, progress: Callable[[int, int], None] | None = None, max_problems: int = 10_000
    ) -> tuple[list[Problem], set[int]]:
        """Validate every task: returns the problems and the indexes of invalid items
        (duplicated ids included: every occurrence after the first is invalid)."""
        self.index_rest()
        problems: list[Problem] = list(self.problems)
        invalid: set[int] = set()
        total = len(self)
        first_seen = FirstSeen(total, self.task_id_at)
        for i in range(total):
            item = self.item(i)
            if not item.valid:
                invalid.add(i)
                if len(problems) < max_problems:
                    problems.extend(item.problems)
            elif item.raw is not None and len(problems) < max_problems:
                problems.extend(self._media_problems(item))
            previous = first_seen.first_line(item.task_id, i, item.line_no)
            if previous != item.line_no:
                invalid.add(i)
                if len(problems) < max_problems:
                    problems.append(
                        Problem(
                            self.tasks_path,
                            _(
                                "duplicate task id {task_id!r} (first on line {previous}); "
                                "ids must be unique in a batch"
                            ).format(task_id=item.task_id, previous=previous),
                            item.line_no,
                            "id",
                        )
                    )
            if progress is not None and i % 10_000 == 0:
                progress(i, total)
        problems += [
            Problem(self.folder, message)
            for message in self.task_type.folder_problems(self.options, self.folder)
        ]
        if self.index.crlf:
            problems.append(
                Problem(self.tasks_path, _("uses CRLF line ends (accepted)"), severity="warning")
            )
        del first_seen
        release_free_memory()
        return problems, invalid
