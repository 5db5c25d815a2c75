"""`labeldesk --help` in the interface language: the commands' help texts and argparse's own
words (usage, headings, errors) go through the catalog; option names stay as they are."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _labeldesk(*args: str, language: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABELDESK_LANGUAGE": language, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_help_is_dutch_with_the_option_names_kept() -> None:
    out = _labeldesk("--help", language="nl").stdout
    assert out.startswith("gebruik: labeldesk")
    assert "opties:" in out and "een batch labelen (de standaardopdracht)" in out
    assert "usage:" not in out and "label a batch" not in out
    sub = _labeldesk("export", "--help", language="nl").stdout
    assert "--format" in sub and "--select" in sub  # option names are never translated
    assert "het bestand om te schrijven (standaard: stdout)" in sub


def test_help_and_argparse_errors_stay_english_in_english() -> None:
    out = _labeldesk("--help", language="en").stdout
    assert out.startswith("usage: labeldesk") and "label a batch (the default command)" in out
    error = _labeldesk("export", language="nl")
    assert error.returncode == 2
    assert "fout: de volgende argumenten zijn verplicht" in error.stderr
