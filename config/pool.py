"""The check psycopg's pool runs on a connection before handing it to a request."""

from __future__ import annotations

import select

import psycopg


def check_connection(connection: psycopg.Connection) -> None:
    """Raise if the server has closed this idle connection; the pool then replaces it.

    psycopg_pool's own `ConnectionPool.check_connection` sends an empty query: a round trip on
    every request, as dear as the query a cached page needs. An idle connection never has
    anything to read, so a readable socket means the server hung up (a restart, an
    administrator's pg_terminate_backend, idle_session_timeout) and sent its farewell or EOF:
    one poll() of the socket tells, with no round trip. A connection that dies silently (a
    network cut) still fails its first query, and that request answers 503 (config.middleware).
    """
    if not connection.closed and not connection.broken:
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
        if not poller.poll(0):
            return
        # Closed, so the pool discards it: it would put back a connection that still looks
        # fine (psycopg has not noticed yet), and hand it out again.
        connection.close()
    raise psycopg.OperationalError("the server closed the connection")
