"""A record of what was on screen, for tests that check no answer was given unseen.

With LABELDESK_PAINT_LOG=FILE the app appends one JSON line each time an item has been
painted: {"ts": <unix time>, "task_id": "<id>" or null (no item: all done, invalid,
hidden)}. Off unless the variable is set; the key-burst end-to-end tests read it.
"""

from __future__ import annotations

import os
import time

import orjson


def paint_log(task_id: str | None) -> None:
    path = os.environ.get("LABELDESK_PAINT_LOG")
    if not path:
        return
    line = orjson.dumps({"ts": time.time(), "task_id": task_id}) + b"\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
