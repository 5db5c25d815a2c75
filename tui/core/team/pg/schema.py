"""The schema as versioned SQL files (migrations/NNN_name.sql), applied in order, once.

labeldesk_schema records each applied version; `apply_migrations` applies the missing ones,
each in its own transaction, under an advisory lock so two `db-init` runs cannot interleave.
A database whose schema is newer than this labeldesk knows is refused (an older client must
not write into tables it does not understand).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from tui.core.team.pg.connect import DatabaseUnavailableError

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 0x6C6162656C64  # pg_advisory_xact_lock key: "labeld"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The SQL files shipped in the package, by version."""
    found: list[Migration] = []
    folder = resources.files("tui.core.team.pg").joinpath("migrations")
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    assert versions == list(range(1, len(found) + 1)), f"migration numbers not 1..n: {versions}"
    return found


def applied_versions(conn: Any) -> list[int]:
    row = conn.execute("SELECT to_regclass('labeldesk_schema')").fetchone()
    if row is None or row[0] is None:
        return []
    return [r[0] for r in conn.execute("SELECT version FROM labeldesk_schema ORDER BY version")]


def apply_migrations(conn: Any) -> list[Migration]:
    """Apply every migration not yet applied; returns the ones applied now."""
    done: list[Migration] = []
    known = migrations()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS labeldesk_schema ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        have = set(applied_versions(conn))
        newest = max(have, default=0)
        if newest > len(known):
            raise DatabaseUnavailableError(
                f"the database has schema version {newest}, newer than this labeldesk knows "
                f"({len(known)}): upgrade labeldesk"
            )
        for migration in known:
            if migration.version in have:
                continue
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO labeldesk_schema (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )
            done.append(migration)
    return done


def check_schema(conn: Any) -> None:
    """DatabaseUnavailableError unless the schema is exactly the one this labeldesk knows."""
    have = applied_versions(conn)
    want = len(migrations())
    if not have:
        raise DatabaseUnavailableError(
            "the database has no labeldesk schema yet: run `labeldesk team db-init --db URL`"
        )
    if max(have) < want:
        raise DatabaseUnavailableError(
            f"the database schema is version {max(have)}, this labeldesk needs {want}: run "
            "`labeldesk team db-init --db URL` to upgrade it"
        )
    if max(have) > want:
        raise DatabaseUnavailableError(
            f"the database has schema version {max(have)}, newer than this labeldesk knows "
            f"({want}): upgrade labeldesk"
        )
