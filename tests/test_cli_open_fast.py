"""`labeldesk open ...` builds a parser with the open command only (start-up): it must parse
exactly as the full parser does, and only where no other command can be meant."""

from __future__ import annotations

import pytest

from tui.cli import COMMAND_NAMES, build_parser, opens_a_batch

OPEN_LINES = [
    ["open", "batch"],
    ["open", "some/batch", "--annotator", "anna", "--results", "out", "--keymap", "vim"],
    ["open", "tasks.jsonl", "--task-type", "binary", "--labels", "A,B"],
]


@pytest.mark.parametrize("argv", OPEN_LINES)
def test_open_parses_the_same_with_its_module_only(argv: list[str]) -> None:
    assert vars(build_parser(only="open").parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_only_lines_no_other_command_can_mean_take_the_short_parser() -> None:
    assert opens_a_batch(["open", "batch"])
    assert opens_a_batch(["./batch"])
    assert opens_a_batch(["/data/batches/b1", "--annotator", "anna"])
    assert opens_a_batch(["batch"])  # no command has that name
    assert opens_a_batch(["batch", "--keymap", "vim"])
    assert not opens_a_batch([])
    assert not opens_a_batch(["stats", "some/batch"])
    assert not opens_a_batch(["stats"])
    assert not opens_a_batch(["--version"])
    assert not opens_a_batch(["-h"])


def test_the_command_names_are_the_commands_the_parser_knows() -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) == COMMAND_NAMES


@pytest.mark.parametrize(
    "argv", [["batch"], ["my-batch", "--annotator", "anna"], ["b1", "--results", "out"]]
)
def test_a_folder_name_alone_parses_as_the_full_parser_reads_it(argv: list[str]) -> None:
    """`labeldesk NAME`: the full parser reads it as `open NAME` (no command has the name)."""
    full = build_parser()
    choices = full._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert argv[0] not in choices
    assert vars(build_parser(only="open").parse_args(["open", *argv])) == vars(
        full.parse_args(["open", *argv])
    )


def test_home_alone_parses_the_same_with_its_module_only() -> None:
    """`labeldesk` with no argument builds the home command's parser only."""
    assert vars(build_parser(only="home").parse_args(["home"])) == vars(
        build_parser().parse_args(["home"])
    )
