"""The test server itself: it starts, answers on its Unix socket only, and survives a restart."""

from __future__ import annotations

import pytest

from tests.pg_server import PgServer


def test_server_answers_on_its_socket_and_restarts(pg_server: PgServer, pg_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (n int)")
        conn.execute("INSERT INTO kept VALUES (7)")
        row = conn.execute("SHOW listen_addresses").fetchone()
        assert row == ("",)
    pg_server.restart(mode="immediate")
    with pytest.raises(psycopg.OperationalError):
        pg_server.stop()
        psycopg.connect(pg_url, connect_timeout=2)
    pg_server.start()
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT n FROM kept").fetchall() == [(7,)]
