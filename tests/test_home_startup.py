"""The home screen paints before pydantic is imported (~0.4 s): `labeldesk` with no argument
and `labeldesk FOLDER` both list batches with the light readers; a batch is validated fully
only when it is opened."""

from __future__ import annotations

from pathlib import Path

from tests.batch_factory import make_batch
from tests.fresh_interpreter import run_fresh

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
    result = run_fresh(tmp_path, CODE, str(tmp_path / "batches"))
    assert result.returncode == 0, result.stdout + result.stderr


NO_ARGUMENT = """
import sys
import tui.home_app
built = []
loaded = []


def run(self):  # not in the terminal: what was built, and what was imported by then
    built.append(self)
    loaded.extend(m for m in sys.modules if m in ("argparse", "pydantic"))


tui.home_app.HomeApp.run = run
from tui.cli import main
code = main([])
(app,) = built
assert code == 0, code
assert [e.read for e in app.entries] == [True, True, False], app.entries  # LINES=2: 2 rows
assert app.entries[1].title == "Batch 1" and app.entries[2].title == "b2"
assert loaded == [], loaded  # nothing to parse; nothing to validate before the first paint
"""


def test_labeldesk_alone_parses_nothing_and_reads_the_first_screen(tmp_path: Path) -> None:
    for n in range(3):
        make_batch(tmp_path / "batches" / f"b{n}", [{"id": "t", "text": "x"}], title=f"Batch {n}")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        f'annotator = "anna"\nroots = ["{tmp_path / "batches"}"]\n', encoding="utf-8"
    )
    result = run_fresh(tmp_path, NO_ARGUMENT, LINES="2", COLUMNS="80")
    assert result.returncode == 0, result.stdout + result.stderr
