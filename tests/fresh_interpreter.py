"""Code run in a fresh Python interpreter on this checkout: for what only a new process shows
(what an import brings in, start-up state), with tmp_path's config, state and cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_fresh(
    tmp_path: Path, code: str, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter (`sys.argv[1:]` = args), environment: `env` only, beside
    the checkout on PYTHONPATH and tmp_path's labeldesk folders."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={
            "PYTHONPATH": str(REPO),
            "PATH": "/usr/bin:/bin",
            "LABELDESK_CONFIG_DIR": str(tmp_path / "config"),
            "LABELDESK_STATE_DIR": str(tmp_path / "state"),
            "LABELDESK_CACHE_DIR": str(tmp_path / "cache"),
            **env,
        },
        timeout=120,
    )
