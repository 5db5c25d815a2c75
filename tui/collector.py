"""CPython's cyclic garbage collector, held off while a labeldesk window opens.

Opening a batch builds a few hundred thousand objects that live as long as the process:
Textual's and pydantic's modules and classes, the models' validators, the stylesheet. While
they are built, the collector keeps counting allocations and walking them: measured in a pty
(issue 10), its passes took 35-45 ms before the first item was painted (one full pass alone
14-25 ms) and collected nothing. So the command line holds the collector off until the first
frame has been written; then everything alive is frozen (`gc.freeze`: moved to a permanent
generation the collector no longer walks, so a full pass later, during a keypress, does not
walk the start-up objects either) and the collector is switched on again.

Only the command line holds it (`held_until_first_frame`), and only around opening a window;
a command that runs for long without one (stats, export) keeps the collector as it is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_held = False


def hold() -> None:
    """Switch the collector off, if it is on; `release` switches it on again."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release(*, freeze: bool) -> None:
    """Switch the collector on again if `hold` switched it off; with `freeze`, the objects
    alive now are moved out of its reach first. Cheap when there is nothing to release: it is
    called after every frame."""
    global _held
    if not _held:
        return
    _held = False
    if freeze:
        gc.freeze()
    gc.enable()


def is_held() -> bool:
    return _held


@contextmanager
def held_until_first_frame() -> Iterator[None]:
    """The collector off from here to the app's first frame (TerminalApp releases it there);
    on again at the latest when this block ends, painted or not (an error, a prompt that was
    cancelled, a test that never draws)."""
    hold()
    try:
        yield
    finally:
        release(freeze=False)
