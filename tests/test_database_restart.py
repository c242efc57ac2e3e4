"""The database restarts under load: pages fail cleanly (503, the friendly page, no traceback)
and the site recovers by itself once the database is back.

It runs a throwaway PostgreSQL cluster of its own (never the one the test suite uses), with the
test database's schema, and gunicorn against it, then stops and starts that cluster while a
client keeps asking for pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from config import localdb
from config.pool import check_connection
from tests.gunicorn_server import get, gunicorn

OUTAGE_SECONDS = 3
RECOVERY_SECONDS = 30


class ThrowawayCluster:
    """initdb + pg_ctl in a temporary folder, as config.localdb runs the project's own (as an
    unprivileged user when we are root), listening on a unix socket in that folder only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.bin = localdb.bindir()
        self.user = localdb.server_user()

    @property
    def url(self) -> str:
        return f"postgresql://{localdb.ROLE}@/{localdb.DATABASE_NAME}?host={self.folder}"

    def run(self, *args: str) -> None:
        subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            user=self.user,
            cwd="/",
            env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin", "HOME": "/"},
            check=True,
            capture_output=True,
        )

    def create(self) -> None:
        if self.user is not None:
            shutil.chown(self.folder, self.user)
        self.run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            localdb.ROLE,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()

    def start(self) -> None:
        options = f"-c listen_addresses='' -c unix_socket_directories='{self.folder}' -c fsync=off"
        log = str(self.folder / "server.log")
        self.run("pg_ctl", "start", "--wait", "-D", str(self.data), "-l", log, "-o", options)

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "stop", "--wait", "-m", mode, "-D", str(self.data))

    def copy_schema_of(self, settings_dict: dict) -> None:
        """The test database's tables, empty: what the pages need to run."""
        source = ["-h", settings_dict["HOST"], "-U", settings_dict["USER"]]
        if settings_dict["PORT"]:
            source += ["-p", str(settings_dict["PORT"])]
        password = {"PGPASSWORD": settings_dict["PASSWORD"]} if settings_dict["PASSWORD"] else {}
        schema = subprocess.run(
            [
                str(self.bin / "pg_dump"),
                *source,
                "--schema-only",
                "--no-owner",
                settings_dict["NAME"],
            ],
            capture_output=True,
            check=True,
            env={**os.environ, **password},
        ).stdout
        target = ["-h", str(self.folder), "-U", localdb.ROLE]
        psql = [str(self.bin / "psql"), *target, "-q", "-v", "ON_ERROR_STOP=1"]
        subprocess.run([*psql, "-d", "postgres", "-c", "CREATE DATABASE animedex"], check=True)
        subprocess.run([*psql, "-d", "animedex"], input=schema, check=True, capture_output=True)


@pytest.fixture
def cluster() -> Iterator[ThrowawayCluster]:
    try:
        localdb.bindir()
    except SystemExit:  # a checkout that uses a remote DATABASE_URL may have no server binaries
        pytest.skip("needs PostgreSQL's server binaries (initdb, pg_ctl) for a throwaway cluster")
    folder = Path(tempfile.mkdtemp(prefix="animedex-restart-"))
    throwaway = ThrowawayCluster(folder)
    try:
        throwaway.create()
        yield throwaway
    finally:
        with suppress(subprocess.CalledProcessError):  # never started, or already stopped
            throwaway.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


class Prober(threading.Thread):
    """Asks for a catalog page and /readyz/ in turn until told to stop; keeps every answer."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.answers: list[tuple[float, str, int, str]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for path in ("/anime/", "/readyz/"):
                try:
                    status, body = get(self.port, path)
                except OSError as error:  # the connection itself failing counts against us
                    status, body = 0, repr(error)
                self.answers.append((time.monotonic(), path, status, body))

    def timeline(self) -> str:
        """'0.0s 200 x40; 1.2s 503 x6 (…); 5.3s 200 x12': for a failure's message."""
        if not self.answers:
            return "no answers"
        start, runs = self.answers[0][0], []
        for at, _, status, body in self.answers:
            if runs and runs[-1][1] == status:
                runs[-1][2] += 1
            else:
                runs.append([at - start, status, 1, "" if status == 200 else body[-120:]])
        return "; ".join(f"{at:.1f}s {status} x{n} {body!r}" for at, status, n, body in runs)

    def last_ok_run(self, length: int) -> bool:
        recent = self.answers[-length:]
        return len(recent) == length and all(status == 200 for _, _, status, _ in recent)


@pytest.mark.django_db
def test_a_database_restart_gives_clean_503s_and_the_site_recovers(cluster):
    cluster.copy_schema_of(connection.settings_dict)
    # A short pool timeout keeps each failing request short; production's is 5 s.
    env = {"DATABASE_POOL_TIMEOUT": "1"}
    with gunicorn(cluster.url, workers=1, threads=4, env=env) as port:
        prober = Prober(port)
        prober.start()
        try:
            time.sleep(1)
            cluster.stop()
            time.sleep(OUTAGE_SECONDS)
            cluster.start()
            back_at = time.monotonic()
            while not prober.last_ok_run(6) and time.monotonic() < back_at + RECOVERY_SECONDS:
                time.sleep(0.2)
        finally:
            prober.done.set()
            prober.join(timeout=30)

    statuses = [status for _, _, status, _ in prober.answers]
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    assert 503 in statuses
    for _, path, status, body in prober.answers:
        assert "Traceback" not in body
        if status == 503 and path == "/anime/":
            assert "Animedex is busy" in body
    assert prober.last_ok_run(6), f"no recovery once the database was back: {prober.timeline()}"


@pytest.mark.django_db
def test_the_pool_check_throws_out_a_connection_the_server_closed():
    settings_dict = connection.settings_dict
    victim = psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
        autocommit=True,
    )
    check_connection(victim)  # alive: passes
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [victim.info.backend_pid])
    time.sleep(0.2)
    with pytest.raises(psycopg.OperationalError):
        check_connection(victim)
    assert victim.closed  # so the pool discards it rather than putting it back
