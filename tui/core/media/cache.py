"""An on-disk cache for derived media data (probe results, thumbnails, waveforms).

Entries are keyed by the source's absolute path, size and mtime_ns plus the parameters that
made them, so an edited or replaced file is never served stale. Writes are atomic (temp
file + rename), so a crash or a second instance never leaves a half-written entry. The
cache is best effort: an unwritable or damaged cache slows things down but never fails.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import orjson

from tui.core.safe_files import make_private_dirs, open_regular, read_all

ENV_VAR = "LABELDESK_CACHE_DIR"
# Bumped when the layout or meaning of any entry changes, so old entries are ignored.
FORMAT_VERSION = 1


def cache_dir() -> Path:
    """LABELDESK_CACHE_DIR if set, else the platform's user cache dir for labeldesk."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override) / "media"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("labeldesk")) / "media"


def cache_key(source: Path, kind: str, params: Mapping[str, object]) -> str | None:
    """Key for data derived from `source`; None when the source cannot be stat'ed."""
    try:
        st = source.stat()
    except OSError:
        return None
    ident = orjson.dumps(
        {
            "v": FORMAT_VERSION,
            "path": str(source.absolute()),
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "kind": kind,
            "params": dict(params),
        },
        option=orjson.OPT_SORT_KEYS,
    )
    return f"{kind}-{hashlib.sha256(ident).hexdigest()[:40]}"


def _entry(key: str) -> Path:
    return cache_dir() / key[-2:] / key


def read(key: str | None) -> bytes | None:
    if key is None:
        return None
    try:
        # Never through a symlink, never a FIFO: someone may have planted one in the cache.
        fd, _ = open_regular(_entry(key), os.O_RDONLY)
    except OSError:
        return None
    try:
        return read_all(fd)
    except OSError:
        return None
    finally:
        os.close(fd)


def write(key: str | None, data: bytes) -> None:
    if key is None:
        return
    target = _entry(key)
    try:
        make_private_dirs(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return


def read_json(key: str | None) -> object | None:
    raw = read(key)
    if raw is None:
        return None
    try:
        value: object = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return value


def write_json(key: str | None, value: object) -> None:
    write(key, orjson.dumps(value))
