"""Writing the merged JSONL: to a stream, or to a file replaced atomically.

A file is written to a temporary file beside it (created with an explicit mode, never
through a symlink), fsynced and renamed over the target, then the folder is fsynced: a crash
leaves the old file or the new one, never half of one. A symlink at the target is refused
(renaming over it would silently replace the link someone put there).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import orjson

from tui.core.i18n import N_
from tui.core.merge.merge import MergedRecord
from tui.core.safe_files import FILE_MODE, create_new, refuse_symlink

_CHUNK = 1 << 16


def merged_lines(records: Iterable[MergedRecord]) -> Iterable[bytes]:
    for record in records:
        yield orjson.dumps(record.to_json_dict()) + b"\n"


def write_stream(records: Iterable[MergedRecord], out: BinaryIO) -> int:
    count = 0
    for line in merged_lines(records):
        out.write(line)
        count += 1
    out.flush()
    return count


def write_file(records: Iterable[MergedRecord], path: Path, mode: int = FILE_MODE) -> int:
    """Write the records to `path` atomically; returns how many. Raises OSError naming the
    path (UnsafeFileError for a symlink or a non-regular file at the target)."""
    if path.is_symlink():
        raise refuse_symlink(path, N_("merged results file"))
    if path.exists() and not path.is_file():
        raise IsADirectoryError(21, f"{path} is not a regular file; not replaced")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = create_new(tmp, mode)  # never a file planted at the temporary name
    count = 0
    try:
        with os.fdopen(fd, "wb", closefd=True) as fh:
            buffer: list[bytes] = []
            size = 0
            for line in merged_lines(records):
                buffer.append(line)
                size += len(line)
                count += 1
                if size >= _CHUNK:
                    fh.write(b"".join(buffer))
                    buffer, size = [], 0
            fh.write(b"".join(buffer))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return count
