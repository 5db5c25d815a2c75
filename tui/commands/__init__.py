"""Subcommands of the `labeldesk` CLI.

Each module here defines `register(subparsers) -> None`, which adds its parser and sets
`func=run` with `run(args: argparse.Namespace) -> int` (the exit code). Modules import
heavy things inside run(), so `labeldesk --help` stays fast.
"""
