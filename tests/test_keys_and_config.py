"""Keymaps as data (`labeldesk keys`), who is labeling, and resources from a wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, texts
from tui.core.user_config import UserConfig, load_user_config, resolve_annotator


def _keys(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABELDESK_CONFIG_DIR": str(config)}
    return subprocess.run(["labeldesk", "keys", *args], capture_output=True, text=True, env=env)


def _bindings(out: str) -> dict[str, dict[str, object]]:
    return {b["id"]: b for b in json.loads(out)["bindings"]}


def test_keys_json_shows_every_layer(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('[app]\nundo = "u"\n')
    folder = make_batch(
        tmp_path / "b",
        texts(2),
        task_type="binary",
        task={},
        extra='[keymap]\nbinary.accept = "y"\n',
    )
    run = _keys(str(folder), "--json", "--keymap", "vim", config=config)
    assert run.returncode == 0, run.stdout + run.stderr
    b = _bindings(run.stdout)
    assert b["binary.accept"]["keys"] == ["y"] and b["binary.accept"]["source"] == "batch"
    assert b["binary.reject"]["keys"] == ["x"] and b["binary.reject"]["source"] == "binary default"
    assert b["app.undo"]["keys"] == ["u"] and b["app.undo"]["source"] == "user"
    assert "ctrl+k" in b["app.back"]["keys"] and b["app.back"]["source"] == "vim"  # type: ignore[operator]
    assert b["app.help"]["description"]
    assert "label.1" not in b  # binary uses no label keys


def test_keys_lists_the_overlays_and_text_fields_too(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    folder = make_batch(
        tmp_path / "b", texts(2), extra='[keymap]\n"scroll.down" = "n"\n"text.newline" = "ctrl+n"\n'
    )
    run = _keys(str(folder), "--json", config=config)
    assert run.returncode == 0, run.stdout + run.stderr
    screens = {b["id"]: b for b in json.loads(run.stdout)["screens"]}
    assert screens["scroll.down"]["keys"] == ["n"] and screens["scroll.down"]["source"] == "batch"
    assert screens["text.newline"]["keys"] == ["ctrl+n"]
    assert screens["help.close"]["keys"] == ["escape", "q", "question_mark", "f1"]
    assert "scroll.down" not in _bindings(run.stdout)  # not beside the item screen's keys
    text = _keys(str(folder), config=config)
    assert "scroll.down" in text.stdout and "my_audits.close" in text.stdout


def test_keys_reports_conflicts_and_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('[app]\nskip = "1"\n')
    run = _keys("--task-type", "classify", config=config)
    assert run.returncode == 1
    assert "conflict" in run.stdout and "'1'" in run.stdout and "app.skip" in run.stdout
    run = _keys("--task-type", "classify", "--json", config=config)
    assert json.loads(run.stdout)["conflicts"] == [{"key": "1", "ids": ["app.skip", "label.1"]}]


def test_unknown_binding_id_and_keymap_name_are_reported(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('[app]\nundoo = "u"\n')
    run = _keys("--task-type", "classify", "--keymap", "emacs", "--json", config=config)
    problems = json.loads(run.stdout)["problems"]
    assert any("unknown binding id 'app.undoo'" in p for p in problems)
    assert any("no keymap named 'emacs'" in p for p in problems)


def test_every_task_type_has_a_conflict_free_default_keymap(tmp_path: Path) -> None:
    from task_types.registry import task_type_names

    for name in task_type_names():
        run = _keys("--task-type", name, config=tmp_path / "none")
        assert run.returncode == 0, f"{name}: {run.stdout}"


def test_annotator_comes_from_flag_then_config_then_login(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_annotator("anna", UserConfig(annotator="bram")) == "anna"
    assert resolve_annotator(None, UserConfig(annotator="bram")) == "bram"
    monkeypatch.setenv("USER", "carla")
    monkeypatch.setenv("LOGNAME", "carla")
    assert resolve_annotator(None, UserConfig()) == "carla"
    with pytest.raises(ValueError, match="not usable as a file name"):
        resolve_annotator("../etc/passwd", UserConfig())


def test_config_file_is_read_and_bad_values_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABELDESK_CONFIG_DIR", str(tmp_path))
    (tmp_path / "config.toml").write_text('annotator = "dirk"\nidle_threshold_s = 45\n')
    config, problems = load_user_config()
    assert (config.annotator, config.idle_threshold_s, problems) == ("dirk", 45.0, [])
    (tmp_path / "config.toml").write_text("idle_threshold_s = -1\n")
    config, problems = load_user_config()
    assert problems and problems[0].field == "idle_threshold_s"


def test_wheel_carries_keymaps_and_samples(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(repo),
        ],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0 and "hatchling" in run.stderr:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "-q",
                "-w",
                str(tmp_path),
                str(repo),
            ],
            capture_output=True,
            text=True,
        )
    assert run.returncode == 0, run.stderr
    [wheel] = list(tmp_path.glob("labeldesk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tui/_data/keymaps/default.toml" in names
    assert "tui/_data/samples/classify-nl/batch.toml" in names
    assert "task_types/binary/keys.toml" in names
    assert "tui/core/team/pg/migrations/001_init.sql" in names  # the schema (issue 13)
    assert "tui/locale/nl/LC_MESSAGES/labeldesk.mo" in names  # the Dutch interface
    assert not any("/results/" in n for n in names)


def test_scrolling_and_span_jumps_have_a_key_without_ctrl_arrows(tmp_path: Path) -> None:
    """PuTTY sends Ctrl+arrows as plain arrows: every Ctrl+arrow binding has a fallback, in
    every task type and in the vim keymap, without conflicts."""
    from task_types.registry import task_type_names

    for keymap in ((), ("--keymap", "vim")):
        for name in task_type_names():
            run = _keys("--task-type", name, "--json", *keymap, config=tmp_path / "none")
            assert run.returncode == 0, f"{name} {keymap}: {run.stdout}"
            assert json.loads(run.stdout)["conflicts"] == []
            for binding_id, b in _bindings(run.stdout).items():
                keys = b["keys"]
                assert isinstance(keys, list)
                arrows = ("ctrl+up", "ctrl+down", "ctrl+left", "ctrl+right")
                if any(k in arrows for k in keys):
                    assert any(k not in arrows for k in keys), f"{name}: {binding_id} {keys}"
