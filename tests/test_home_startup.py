"""The home screen paints before pydantic is imported (~0.4 s): `labeldesk` with no argument
and `labeldesk FOLDER` both list batches with the light readers; a batch is validated fully
only when it is opened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.batch_factory import make_batch

REPO = Path(__file__).resolve().parent.parent

CODE = """
import argparse, sys
from pathlib import Path
from tui.cli import build_parser
args = build_parser().parse_args(["open", sys.argv[1]])
from tui.core.batch_discovery import is_batch_folder
assert not is_batch_folder(args.batch)
from tui.core.annotator_name import resolve_name
from tui.core.home.listing import list_batches
from tui.core.home.roots import Roots
from tui.core.home.settings import quick_settings
import tui.home_app
quick_settings()
resolve_name("anna", None)
entries = list_batches(Roots([args.batch], "argument").folders)
assert len(entries) == 2, entries
loaded = sorted(m for m in sys.modules if m == "pydantic" or m.startswith("pydantic."))
print(loaded)
sys.exit(1 if loaded else 0)
"""


def test_a_folder_of_batches_lists_without_pydantic(tmp_path: Path) -> None:
    tasks = [{"id": "t-1", "text": "Een zin."}]
    make_batch(tmp_path / "batches" / "one", tasks, id="one", title="One")
    make_batch(tmp_path / "batches" / "two", tasks, id="two", title="Two")
    result = subprocess.run(
        [sys.executable, "-c", CODE, str(tmp_path / "batches")],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={
            "PYTHONPATH": str(REPO),
            "PATH": "/usr/bin:/bin",
            "LABELDESK_CONFIG_DIR": str(tmp_path / "config"),
            "LABELDESK_STATE_DIR": str(tmp_path / "state"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
