"""Reading a batch whose answers live in PostgreSQL: stats, audit, merge and export read it
from the database, through the same code that reads a folder.

The batch's `[team] database` names the server; its answers are pulled (`team pull`'s code)
into a private temporary folder in the batch folder format, and the report reads that
folder: every machine's answers, with the same output as from files. When the server cannot
be reached, the local folder is read and the caller says so (never a silent partial report).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tui.core.batch_config import read_batch_config
from tui.core.i18n import _

LOCAL_FOLDERS = ("results", "audits", "adjudications")


@contextmanager
def readable_batch(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """(the folder to read, a note for the user or None). A batch without a database is
    read where it is, with no note."""
    config, _problems = read_batch_config(folder / "batch.toml")
    url = config.team.database if config is not None and config.team is not None else None
    if config is None or url is None:
        yield folder, None
        return
    from tui.core.team.pg.batches import pull_batch
    from tui.core.team.pg.connect import DatabaseUnavailableError, connect, first_line, redact
    from tui.core.team.pg.schema import check_schema

    with tempfile.TemporaryDirectory(prefix="labeldesk-db-") as tmp:
        pulled = Path(tmp) / folder.name
        # This machine's files first: audits and adjudications live only here, and answers
        # not sent yet (offline) count too; the pull then adds every line the server has.
        for name in LOCAL_FOLDERS:
            if (folder / name).is_dir():
                shutil.copytree(folder / name, pulled / name, symlinks=True)
        try:
            with connect(url) as conn:
                check_schema(conn)
                pull_batch(conn, config.id, pulled)
        except (DatabaseUnavailableError, OSError) as exc:
            why = first_line(exc)
            yield (
                folder,
                _(
                    "the database {url} cannot be read ({why}): only the answers in {folder} "
                    "are counted"
                ).format(url=redact(url), why=why, folder=folder),
            )
            return
        yield (
            pulled,
            _("answers read from the database {url} (every machine's)").format(url=redact(url)),
        )
