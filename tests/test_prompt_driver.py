"""The writer thread that tells the app when a frame is on the terminal (tui/prompt_driver.py)."""

from __future__ import annotations

import io
import threading

from textual.drivers.headless_driver import HeadlessDriver
from textual.drivers.linux_driver import LinuxDriver

from tui.prompt_driver import PromptWriterThread, prompt_driver_class


class SlowFile(io.StringIO):
    """A terminal whose writes block until released (a link with a full buffer)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def write(self, text: str) -> int:
        self.release.wait(5)
        return super().write(text)


def test_wait_written_returns_once_the_text_is_written_and_flushed() -> None:
    out = io.StringIO()
    writer = PromptWriterThread(out)
    writer.start()
    try:
        for n in range(50):
            writer.write(f"frame {n}\n")
            assert writer.wait_written(timeout=5)
            assert out.getvalue().endswith(f"frame {n}\n")
    finally:
        writer.stop()


def test_a_blocked_terminal_costs_the_app_at_most_the_timeout() -> None:
    out = SlowFile()
    writer = PromptWriterThread(out)
    writer.start()
    try:
        writer.write("a frame the link cannot take yet")
        assert not writer.wait_written(timeout=0.05)
        out.release.set()
        assert writer.wait_written(timeout=5)
        assert out.getvalue() == "a frame the link cannot take yet"
    finally:
        out.release.set()
        writer.stop()


def test_only_the_linux_driver_is_replaced() -> None:
    chosen = prompt_driver_class(LinuxDriver)
    assert issubclass(chosen, LinuxDriver) and chosen is not LinuxDriver
    assert prompt_driver_class(HeadlessDriver) is HeadlessDriver
