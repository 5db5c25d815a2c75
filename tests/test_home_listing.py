"""The home screen's listing before the first paint: the roots walked in full, batch.toml read
only for the first screen's rows (`read_first`), folders told apart by device and inode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, texts
from tui.commands.home import first_screen_rows
from tui.core.home.listing import find_batches, list_batches, read_entry


def make_root(tmp_path: Path, count: int) -> Path:
    root = tmp_path / "root"
    for n in range(count):
        make_batch(root / f"b{n}", texts(1), id=f"id{n}", title=f"Title {n}", language="nl")
    return root


def test_only_the_first_rows_are_read_the_rest_keep_their_place(tmp_path: Path) -> None:
    root = make_root(tmp_path, 5)
    full = list_batches([root])
    assert all(e.read for e in full) and [e.title for e in full][:2] == ["Title 0", "Title 1"]
    lazy = list_batches([root], read_first=2)
    assert [e.folder for e in lazy] == [e.folder for e in full]  # same rows, same order
    assert lazy[:2] == full[:2]
    for entry in lazy[2:]:  # named after the folder until read; nothing from batch.toml
        assert not entry.read and entry.title == entry.folder.name and entry.task_type == ""
        assert entry.root == root and entry.error is None
        assert read_entry(entry.folder, entry.root) in full
    assert all(not e.read for e in list_batches([root], read_first=0))
    assert list_batches([root], read_first=99) == full


def test_an_unreadable_batch_toml_is_said_when_its_row_is_read(tmp_path: Path) -> None:
    root = make_root(tmp_path, 2)
    (root / "b1" / "batch.toml").write_text("title = [\n", encoding="utf-8")
    lazy = list_batches([root], read_first=1)
    assert not lazy[1].read and lazy[1].error is None  # not read: nothing to say yet
    read = read_entry(lazy[1].folder, lazy[1].root)
    assert read.read and read.error is not None and read.task_type == "?"


def test_the_same_folder_under_two_roots_is_listed_once(tmp_path: Path) -> None:
    root = make_root(tmp_path, 2)
    (tmp_path / "alias").symlink_to(root)  # a root reached through a symlink
    found = find_batches([root, root / "b1", tmp_path / "alias", tmp_path / "missing"])
    assert found == [(root / "b0", root), (root / "b1", root)]
    assert [e.folder for e in list_batches([tmp_path / "alias", root])] == [
        tmp_path / "alias" / "b0",
        tmp_path / "alias" / "b1",
    ]


def test_two_batches_sharing_a_hard_linked_batch_toml_are_both_listed(tmp_path: Path) -> None:
    # `cp -al` copies a batch folder with hard links: another folder, another batch.
    root = make_root(tmp_path, 1)
    copy = root / "b0-copy"
    copy.mkdir()
    os.link(root / "b0" / "batch.toml", copy / "batch.toml")
    assert [folder.name for folder, _root in find_batches([root])] == ["b0", "b0-copy"]


@pytest.mark.parametrize(("lines", "rows"), [(24, 13), (50, 26), (1, 1)])
def test_the_first_screen_is_the_terminal_height_in_rows(
    monkeypatch: pytest.MonkeyPatch, lines: int, rows: int
) -> None:
    monkeypatch.setenv("LINES", str(lines))  # shutil asks the environment first, as Textual does
    monkeypatch.setenv("COLUMNS", "80")
    assert first_screen_rows() == rows


def test_batches_are_listed_in_path_order_by_folder_name(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name in ("project-x/a", "project/b", "project/a", "projectz", "Project"):
        make_batch(root / name, texts(1), id=name.replace("/", "-"))
    folders = [folder for folder, _root in find_batches([root])]
    assert folders == sorted(folders)  # as Paths sort: component by component
    assert [f.relative_to(root).as_posix() for f in folders] == [
        "Project",
        "project/a",
        "project/b",
        "project-x/a",
        "projectz",
    ]
