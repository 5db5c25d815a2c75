"""Every screen's and overlay's keys come from the keymap (issue 10, part 1): each binding
labeldesk declares has an id the keymap knows, and remapping an overlay's keys in batch.toml
(`[keymap]`) reaches the open overlay — scrolling included (`scroll.*`, shared by the keys,
guidelines, summary, statistics and audits-of-your-work overlays)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.widget import Widget

import task_types
import tui
from tests.batch_factory import make_batch, texts
from tests.demo_app import running
from tui.core.keymap import build_keymap

LONG_GUIDELINES = "# Guidelines\n\n" + "".join(f"Rule {n}: label carefully.\n\n" for n in range(80))


def _our_classes() -> list[type[DOMNode]]:
    found: dict[str, type[DOMNode]] = {}
    for package in (tui, task_types):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".pg" in info.name:  # needs psycopg: its screens-free modules are not Textual
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, DOMNode)
                    and value.__module__ == info.name
                ):
                    found[f"{info.name}.{value.__qualname__}"] = value
    return list(found.values())


def test_every_binding_of_ours_has_an_id_the_keymap_knows() -> None:
    known = set(build_keymap(None).descriptions)
    for task_type_name in ("write", "compare", "image", "rate", "spans", "audio", "video"):
        from task_types.registry import all_task_types

        known |= set(build_keymap(all_task_types()[task_type_name]).descriptions)
    classes = _our_classes()
    assert len(classes) > 30
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), f"{cls.__qualname__}: {binding!r} is a tuple"
            assert binding.id, f"{cls.__qualname__}: {binding.key} has no id"
            assert binding.id in known, f"{cls.__qualname__}: {binding.id} is not in the keymap"


def test_the_default_keymap_gives_every_overlay_binding_its_keys() -> None:
    keymap = build_keymap(None)
    textual = keymap.textual_keymap()
    for binding_id in ("scroll.down", "scroll.page_down", "help.close", "my_audits.close"):
        assert textual[binding_id], binding_id
    assert textual["scroll.down"] == "down,j"


async def _wait(pilot: Pilot[Any], check: Callable[[], bool], what: str) -> None:
    for _ in range(300):
        if check():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never: {what}")


def _scroll_y(app: Any, kind: type[Widget]) -> float:
    return float(app.screen.query_one(kind).scroll_y)


@pytest.mark.parametrize(
    ("opens", "area"),
    [("ctrl+g", "GuidelinesView"), ("f1", "VerticalScroll")],
)
async def test_a_remapped_scroll_key_scrolls_the_open_overlay(
    tmp_path: Path, opens: str, area: str
) -> None:
    from tui.screens.guidelines import GuidelinesView

    kind: type[Widget] = GuidelinesView if area == "GuidelinesView" else VerticalScroll
    folder = make_batch(
        tmp_path / "b",
        texts(3),
        guidelines=LONG_GUIDELINES,
        extra='[keymap]\n"scroll.down" = "n"\n"scroll.end" = "G"\n',
    )
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(opens)
        await _wait(pilot, lambda: getattr(app.screen, "keys_ready", False), "overlay painted")
        await _wait(pilot, lambda: bool(app.screen.query(kind)), "scroll area mounted")
        assert _scroll_y(app, kind) == 0
        await pilot.press("n")
        await _wait(pilot, lambda: _scroll_y(app, kind) == 1, "n scrolled one line")
        await pilot.press("j")  # no longer a scroll key: the remap replaced its keys
        await pilot.pause()
        assert _scroll_y(app, kind) == 1
        await pilot.press("G")
        await _wait(pilot, lambda: _scroll_y(app, kind) > 10, "G went to the bottom")
        await pilot.press("q")
        await _wait(pilot, lambda: type(app.screen).__name__ == "LabelingScreen", "closed")


async def test_j_and_k_scroll_the_guidelines_by_default(tmp_path: Path) -> None:
    from tui.screens.guidelines import GuidelinesView

    folder = make_batch(tmp_path / "b", texts(3), guidelines=LONG_GUIDELINES)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press("ctrl+g")
        await _wait(pilot, lambda: getattr(app.screen, "keys_ready", False), "overlay painted")
        await pilot.press("j", "j", "j")
        await _wait(pilot, lambda: _scroll_y(app, GuidelinesView) == 3, "three lines down")
        await pilot.press("k")
        await _wait(pilot, lambda: _scroll_y(app, GuidelinesView) == 2, "one line up")
        await pilot.press("space")
        await _wait(pilot, lambda: _scroll_y(app, GuidelinesView) > 10, "a page down")


@pytest.mark.parametrize(
    ("opens", "extra", "said"),
    [
        ("f1", "", "Esc/q closes it, then Ctrl+q quits"),
        ("ctrl+g", '[keymap]\n"guidelines.close" = "x,escape"\n', "x/Esc closes it"),
        ("f5", "", "Esc/q closes it"),
    ],
)
async def test_ctrl_q_on_an_overlay_names_the_keys_that_close_it(
    tmp_path: Path, opens: str, extra: str, said: str
) -> None:
    folder = make_batch(tmp_path / "b", texts(3), guidelines=LONG_GUIDELINES, extra=extra)
    async with running(folder, (80, 24)) as (app, pilot):
        await pilot.press(opens)
        await _wait(pilot, lambda: app.screen.is_modal, "the overlay is open")
        await _wait(pilot, lambda: getattr(app.screen, "keys_ready", False), "overlay painted")
        before = len(app.notices)
        await pilot.press("ctrl+q")
        await _wait(
            pilot,
            lambda: any(said in n.message for n in app.notices[before:]),
            f"a notice saying {said!r}",
        )
        assert app.is_running  # nothing quit
