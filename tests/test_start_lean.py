"""Start-up (issue 10): the collector held off until the first frame, and pydantic without
its plugin loader's imports. What is measured lives in bench/ssh_bytes_bench.py; these check
that the behaviour stays what it claims to be."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import ComposeResult
from textual.widgets import Static

from tests.batch_factory import make_batch
from tests.fresh_interpreter import run_fresh
from tui import collector
from tui.terminal import TerminalApp


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it on and nothing frozen."""
    yield
    collector.release(freeze=False)
    gc.unfreeze()
    gc.enable()


def test_hold_and_release(collector_restored: None) -> None:
    collector.hold()
    assert not gc.isenabled() and collector.is_held()
    collector.release(freeze=False)
    assert gc.isenabled() and not collector.is_held()
    collector.release(freeze=False)  # nothing held: nothing happens
    assert gc.isenabled()


def test_release_leaves_a_collector_it_did_not_stop_alone(collector_restored: None) -> None:
    """Switched off by someone else (an embedding program, a test): not ours to switch on."""
    gc.disable()
    collector.hold()
    assert not collector.is_held()
    collector.release(freeze=True)
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_the_block_switches_it_on_again_even_on_an_error(collector_restored: None) -> None:
    with pytest.raises(RuntimeError), collector.held_until_first_frame():
        assert not gc.isenabled()
        raise RuntimeError("the batch could not be opened")
    assert gc.isenabled() and not collector.is_held()


class OneLine(TerminalApp):
    def compose(self) -> ComposeResult:
        yield Static("item one")


async def test_the_first_frame_releases_and_freezes(collector_restored: None) -> None:
    collector.hold()
    app = OneLine()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        assert gc.isenabled() and not collector.is_held()
        # The start-up objects are out of the collector's reach from now on.
        assert gc.get_freeze_count() > 0
        assert "item one" in str(app.screen.query_one(Static).render())


def fresh_stdout(tmp_path: Path, code: str, *args: str, **env: str) -> str:
    result = run_fresh(tmp_path, code, *args, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


OPEN_UNTIL_RUN = """
import gc, json, os, sys
import textual.app
seen = {}


def run(self, *args, **kwargs):  # in place of the terminal: the state when the app starts
    seen["collector on"] = gc.isenabled()
    never = ("importlib.metadata", "ctypes", "tui.core.team.queue", "tui.core.team.settings")
    seen["loaded"] = sorted(m for m in never if m in sys.modules)
    seen["plugins"] = os.environ.get("PYDANTIC_DISABLE_PLUGINS", "unset")


textual.app.App.run = run
from tui.cli import main
code = main(["open", sys.argv[1], "--annotator", "anna"])
assert code == 0, code
seen["collector on after"] = gc.isenabled()
print(json.dumps(seen))
"""


def test_opening_a_batch_holds_the_collector_and_imports_no_plugin_finder(
    tmp_path: Path,
) -> None:
    batch = make_batch(tmp_path / "b", [{"id": "t-1", "text": "Een zin."}], task_type="binary")
    seen = json.loads(fresh_stdout(tmp_path, OPEN_UNTIL_RUN, str(batch)))
    assert seen == {
        "collector on": False,  # held from the command line to the first frame
        "loaded": [],
        "plugins": "unset",  # the environment is not changed (editors, viewers inherit it)
        "collector on after": True,  # and on again once the app has ended, painted or not
    }
    # A value the user set is pydantic's to read, as without labeldesk: it looks for the
    # plugins (and imports what finds them).
    env = {"PYDANTIC_DISABLE_PLUGINS": "logfire"}
    seen = json.loads(fresh_stdout(tmp_path, OPEN_UNTIL_RUN, str(batch), **env))
    assert seen["plugins"] == "logfire" and "importlib.metadata" in seen["loaded"]


STAND_IN = """
import os, sys
from tui.pydantic_plugins import LOADER, skip_plugin_discovery
assert "PYDANTIC_DISABLE_PLUGINS" not in os.environ
assert skip_plugin_discovery()
from pydantic import BaseModel, ValidationError


class Item(BaseModel):
    text: str


assert Item.model_validate({"text": "a"}).text == "a"
try:
    Item.model_validate({"text": 3})
except ValidationError as exc:
    assert exc.errors()[0]["loc"] == ("text",)
else:
    raise AssertionError("not validated")
assert "importlib.metadata" not in sys.modules
assert sys.modules[LOADER].get_plugins() == ()
import pydantic.plugin
assert pydantic.plugin._loader is sys.modules[LOADER]
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
assert sys.modules[LOADER].get_plugins() == ()
assert "importlib.metadata" not in sys.modules
# Plugins switched on: pydantic's own loader answers, and answers everything else too.
os.environ["PYDANTIC_DISABLE_PLUGINS"] = ""
assert list(sys.modules[LOADER].get_plugins()) == []
assert sys.modules[LOADER].PYDANTIC_ENTRY_POINT_GROUP == "pydantic"
assert not getattr(sys.modules[LOADER], "__labeldesk_stand_in__", False)
assert pydantic.plugin._loader is sys.modules[LOADER]
print("ok")
"""


def test_the_stand_in_answers_as_pydantic_does(tmp_path: Path) -> None:
    assert fresh_stdout(tmp_path, STAND_IN).strip() == "ok"


NOT_INSTALLED = """
import os, sys
from tui.pydantic_plugins import LOADER, skip_plugin_discovery
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "logfire"
assert not skip_plugin_discovery()  # the user's own choice: pydantic's loader, untouched
assert LOADER not in sys.modules
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
import pydantic.plugin._loader
assert not skip_plugin_discovery()  # already imported: left as it is
print("ok")
"""


def test_no_stand_in_when_the_user_chose_or_the_loader_is_imported(
    tmp_path: Path,
) -> None:
    assert fresh_stdout(tmp_path, NOT_INSTALLED).strip() == "ok"


def test_empty_defaults_are_each_instances_own() -> None:
    """Models take empty defaults from tui/core/task_type.py (start-up): every instance
    still gets its own."""
    from task_types.write.models import WriteOptions
    from tui.core.batch_config import BatchConfig
    from tui.core.team.settings import TeamSettings
    from tui.core.user_config import UserConfig

    first, second = UserConfig(), UserConfig()
    first.roots.append("~/batches")
    first.viewers["image"] = "feh {path}"
    assert second.roots == [] and second.viewers == {}
    one = BatchConfig(id="a", task_type="binary")
    one.task["label"] = "X"
    one.keymap["app.quit"] = "ctrl+x"
    assert BatchConfig(id="b", task_type="binary").task == {}
    assert BatchConfig(id="b", task_type="binary").keymap == {}
    options = WriteOptions()
    options.forbidden.append("lorem")
    assert WriteOptions().forbidden == []
    team = TeamSettings()
    team.quotas["anna"] = 3
    assert TeamSettings().quotas == {}


def test_building_the_models_reads_no_builtin_signature(tmp_path: Path) -> None:
    """No model on the way to the first item has a builtin as its default factory: pydantic
    would read its text signature (tokenize, ~1.8 ms on first use; tui/core/task_type.py, empty_list)."""
    code = """
import inspect, sys
read = []
original = inspect._signature_fromstr
def spy(cls, obj, *args, **kwargs):
    read.append(repr(obj))
    return original(cls, obj, *args, **kwargs)
inspect._signature_fromstr = spy
import tui.launch, tui.app, tui.screens.labeling
from task_types.registry import all_task_types
all_task_types()  # every task type's models
print(read)
"""
    assert fresh_stdout(tmp_path, code).strip() == "[]"
