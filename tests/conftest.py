"""Shared test setup: keep every test away from the real config and cache folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.tmux_terminal", "tests.pg_server"]

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SAMPLES = REPO / "samples"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LABELDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("LABELDESK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LABELDESK_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("LABELDESK_ANNOTATOR", raising=False)
    # Unicode output unless a test asks for ASCII (tests/test_terminals.py): what the app
    # draws must not depend on the locale of the machine running the tests.
    monkeypatch.setenv("LABELDESK_ASCII", "0")
    # English unless a test asks for Dutch (tests/test_i18n.py): a developer's Dutch locale
    # must not change what the snapshots and assertions see.
    monkeypatch.setenv("LABELDESK_LANGUAGE", "en")
    from tui.core.i18n import set_language
    from tui.core.symbols import set_ascii_mode

    set_ascii_mode(None)
    set_language(None)
    yield
    set_ascii_mode(None)
    set_language(None)
