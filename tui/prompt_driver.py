"""Frames reach the terminal when they are made, not when the app next goes idle.

Textual hands each frame to a writer thread (so a slow terminal never blocks the app), but
that thread needs the GIL to write, and the app thread goes straight on to the work that
follows a frame (the status and key lines, the next key). A thread waiting for the GIL gets
it only when the holder blocks or after the switch interval (5 ms): measured in a pty, an
item's frame reached the terminal ~1 ms after it was made, behind everything the app did
next. After each frame the app now waits, at most HANDOFF_S, until the writer has written
and flushed it (an Event wait releases the GIL at once); a slow link only ever costs that
bound per frame.

Only the Linux driver (the one over a terminal and over ssh) is changed; Windows, the
headless test driver and a driver chosen with TEXTUAL_DRIVER are left as they are.
"""

from __future__ import annotations

import threading
from typing import IO, TYPE_CHECKING

from textual.drivers._writer_thread import WriterThread

if TYPE_CHECKING:
    from textual.driver import Driver

# The longest the app waits for a frame to be written (a link whose buffer is full).
HANDOFF_S = 0.004


class PromptWriterThread(WriterThread):
    """Textual's writer thread, counting what it has written and flushed."""

    def __init__(self, file: IO[str]) -> None:
        super().__init__(file)
        self._queued = 0  # texts handed to write() (app thread only)
        self._flushed = 0  # texts written and flushed (writer thread only)
        self._progress = threading.Condition()

    def write(self, text: str) -> None:
        self._queued += 1
        super().write(text)

    def wait_written(self, timeout: float = HANDOFF_S) -> bool:
        """Until everything queued so far has been written (False: timed out)."""
        target = self._queued
        with self._progress:
            return self._progress.wait_for(lambda: self._flushed >= target, timeout)

    def run(self) -> None:
        write = self._file.write
        flush = self._file.flush
        get = self._queue.get
        qsize = self._queue.qsize
        taken = 0
        while True:
            text = get()
            if text is None:
                break
            taken += 1
            write(text)
            if qsize() == 0:
                flush()
                with self._progress:
                    self._flushed = taken
                    self._progress.notify_all()
        flush()


def prompt_driver_class(default: type[Driver]) -> type[Driver]:
    """The driver to use instead of Textual's `default` choice."""
    from textual.drivers.linux_driver import LinuxDriver

    if default is not LinuxDriver:
        return default

    class PromptLinuxDriver(LinuxDriver):
        def start_application_mode(self) -> None:
            super().start_application_mode()  # type: ignore[no-untyped-call]
            # Textual's thread has written the start-up sequences; ours takes over in order.
            started = self._writer_thread
            if self._file is None:
                return
            writer = PromptWriterThread(self._file)
            if started is not None:
                started.stop()
            writer.start()
            self._writer_thread = writer

    return PromptLinuxDriver


def wait_frame_written(driver: Driver | None) -> None:
    """After a frame: let the writer thread put it on the terminal before going on."""
    writer = getattr(driver, "_writer_thread", None)
    if isinstance(writer, PromptWriterThread):
        writer.wait_written()
