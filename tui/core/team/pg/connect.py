"""Connecting to the team's PostgreSQL server: quickly, or not at all.

psycopg is an optional dependency: a batch that names a database without it installed gets
one sentence saying what to install. Every connection times out within seconds (a key never
waits on it anyway: the session calls the coordinator from a worker) and every statement is
bounded, so a server that hangs cannot hold a worker forever.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_S = 3  # libpq's connect_timeout (whole seconds, at least 2 are honoured)
STATEMENT_TIMEOUT_MS = 10_000
INSTALL_HINT = (
    "this batch keeps its team in a PostgreSQL database, which needs the postgres extra: "
    "pip install 'labeldesk[postgres]' (psycopg 3)"
)


class DatabaseUnavailableError(RuntimeError):
    """The database cannot be used: psycopg missing, server unreachable, schema missing.
    The message is meant for the annotator or the lead, as it is."""


def require_psycopg() -> ModuleType:
    try:
        import psycopg
    except ImportError:
        raise DatabaseUnavailableError(INSTALL_HINT) from None
    return psycopg


def connect(url: str, *, autocommit: bool = False) -> psycopg.Connection[Any]:
    """A connection to `url` (a libpq connection string or URI); DatabaseUnavailableError
    with libpq's reason when the server cannot be reached."""
    pg = require_psycopg()
    try:
        conn: psycopg.Connection[Any] = pg.connect(
            url,
            autocommit=autocommit,
            connect_timeout=CONNECT_TIMEOUT_S,
            options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
            application_name="labeldesk",
        )
    except pg.Error as exc:
        raise DatabaseUnavailableError(
            f"cannot reach the database {redact(url)}: {first_line(exc)}"
        ) from None
    return conn


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def redact(url: str) -> str:
    """The connection string without its password, for messages and status lines."""
    pg = require_psycopg()
    try:
        params = pg.conninfo.conninfo_to_dict(url)
    except pg.Error:
        return "(an unreadable connection string)"
    host = params.get("host") or "localhost"
    dbname = params.get("dbname") or params.get("user") or ""
    return f"{dbname}@{host}"
