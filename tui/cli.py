"""The `labeldesk` command."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui import __version__, collector
from tui.core.i18n import N_, _
from tui.pydantic_plugins import skip_plugin_discovery

if TYPE_CHECKING:  # imported where a command line is parsed: `labeldesk` alone parses none
    import argparse

COMMAND_MODULES = (
    "open",
    "validate",
    "keys",
    "stats",
    "audit",
    "demo",
    "merge",
    "export",
    "import_data",
    "team",
    "home",
)


# argparse's own words (usage, headings, its errors) as Python 3.11 spells them: marked here
# so the catalog holds them, and argparse is pointed at our translation in build_parser.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("expected one argument"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line parser; with `only`, just that command module's commands."""
    import argparse

    # argparse looks its module-level `_` up when it formats help and errors.
    setattr(argparse, "_", _)  # noqa: B010
    parser = argparse.ArgumentParser(
        prog="labeldesk",
        description=_("A keyboard-first labeling workstation for the terminal."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"labeldesk {__version__}",
        help=_("show program's version number and exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES if only is None else (only,):
        module = importlib.import_module(f"tui.commands.{name}")
        module.register(sub)
    return parser


# Every command's name, as the command modules register them (a test checks they agree):
# what tells `labeldesk NAME` (a command) from `labeldesk FOLDER` (a batch) without building
# every command's parser.
COMMAND_NAMES = frozenset(
    {
        "adjudicate",
        "audit",
        "demo",
        "export",
        "home",
        "import",
        "keys",
        "merge",
        "open",
        "stats",
        "team",
        "validate",
    }
)


def opens_a_batch(args_list: Sequence[str]) -> bool:
    """Whether the command line surely opens a batch: `open ...`, or a first argument that
    is neither an option nor a command's name (`labeldesk my-batch`, `labeldesk ./b1`). Then
    only the `open` command's module is imported (start-up: the other command modules take
    ~10 ms, ~4% of the time to the first item)."""
    first = args_list[0] if args_list else ""
    return first == "open" or (
        bool(first) and not first.startswith("-") and first not in COMMAND_NAMES
    )


def main(argv: Sequence[str] | None = None) -> int:
    # labeldesk uses no pydantic plugin: looking for them costs start-up time (unless
    # PYDANTIC_DISABLE_PLUGINS says otherwise; tui/pydantic_plugins.py).
    skip_plugin_discovery()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if opens_a_batch(args_list):
        if args_list[0] != "open":
            args_list.insert(0, "open")
        with collector.held_until_first_frame():
            return _run(build_parser(only="open").parse_args(args_list))
    if not args_list:
        # `labeldesk` alone opens home, with nothing to parse: no parser is built and argparse
        # is not imported (the home screen's first paint is measured against a bare app's;
        # every command's parser costs ~10 ms, argparse and the home parser ~2 ms).
        from tui.commands.home import run_home

        with collector.held_until_first_frame():
            return run_home(None, None)
    parser = build_parser()
    commands = {a for a in parser._subparsers._group_actions[0].choices}  # type: ignore[union-attr]
    # `labeldesk BATCH` is short for `labeldesk open BATCH`; `labeldesk` alone opens home.
    if not args_list:
        args_list = ["home"]
    if args_list and args_list[0] not in commands and not args_list[0].startswith("-"):
        args_list.insert(0, "open")
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
