"""The project-local PostgreSQL cluster that `make run` and `make test` use when DATABASE_URL is unset.

Standard library only: settings import it before any dependency is guaranteed, and the Makefile
runs it as `python -m config.localdb start|stop|status|url`.

The cluster lives in `.local/postgres/` (git-ignored) and listens on a unix socket in that folder
only, never on TCP, so it cannot clash with another server on port 5432. initdb and postgres refuse
to run as root, so as root the server runs as an unprivileged user (`postgres`, the owner Debian's
packages create). That user must be able to reach the data folder; when it cannot (a checkout under
/root, say) or when the socket path would be too long for a unix socket, the cluster goes to a folder
under the temporary directory keyed by the checkout path instead.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "animedex"
ROLE = "animedex"
# sun_path is 108 bytes on Linux; leave room for "/.s.PGSQL.5432" and the terminating NUL.
MAX_SOCKET_DIR_LENGTH = 90


def server_user() -> str | None:
    """The OS user the server runs as: None means the current user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    sys.exit("localdb: running as root, but there is no 'postgres' user to run PostgreSQL as.")


def _can_reach(user: str | None, path: Path) -> bool:
    if user is None:
        return True
    entry = pwd.getpwnam(user)
    for parent in reversed(path.parents):
        try:
            st = parent.stat()
        except FileNotFoundError:
            return True
        if st.st_uid == entry.pw_uid:
            mode = st.st_mode >> 6
        elif st.st_gid == entry.pw_gid:
            mode = st.st_mode >> 3
        else:
            mode = st.st_mode
        if not mode & 0o1:
            return False
    return True


def cluster_dir() -> Path:
    preferred = BASE_DIR / ".local" / "postgres"
    if len(str(preferred)) <= MAX_SOCKET_DIR_LENGTH and _can_reach(server_user(), preferred):
        return preferred
    key = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"animedex-{os.geteuid()}-{key}" / "postgres"


def database_url() -> str:
    return f"postgresql://{ROLE}@/{DATABASE_NAME}?host={cluster_dir()}"


def bindir() -> Path:
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(out.stdout.strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    sys.exit(
        "localdb: PostgreSQL server binaries (initdb, pg_ctl) not found.\n"
        "Install them (Debian: apt-get install postgresql) or set DATABASE_URL to a server."
    )


def _run_as_server(args: list[str], *, quiet: bool = False) -> None:
    user = server_user()
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    if user is not None:
        env["HOME"] = "/"
    result = subprocess.run(
        args, user=user, env=env, cwd="/", capture_output=quiet, text=True, check=False
    )
    if result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"localdb: {Path(args[0]).name} failed (exit {result.returncode})")


def _is_running(data: Path) -> bool:
    status = subprocess.run(
        [str(bindir() / "pg_ctl"), "status", "-D", str(data)],
        user=server_user(),
        cwd="/",
        capture_output=True,
        check=False,
    )
    return status.returncode == 0


def start() -> None:
    data = cluster_dir()
    user = server_user()
    if not (data / "PG_VERSION").exists():
        data.mkdir(parents=True, exist_ok=True)
        if user is not None:
            shutil.chown(data, user)
        data.chmod(0o700)
        print(f"localdb: creating a PostgreSQL cluster in {data}")
        _run_as_server(
            [
                str(bindir() / "initdb"),
                "-D",
                str(data),
                "-U",
                ROLE,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ],
            quiet=True,
        )
    if _is_running(data):
        print(f"localdb: PostgreSQL already running in {data}")
    else:
        print(f"localdb: starting PostgreSQL in {data} (unix socket only)")
        _run_as_server(
            [
                str(bindir() / "pg_ctl"),
                "start",
                "--wait",
                "-D",
                str(data),
                "-l",
                str(data / "server.log"),
                "-o",
                f"-c listen_addresses='' -c unix_socket_directories='{data}'",
            ]
        )
    _ensure_database(data)


def _ensure_database(data: Path) -> None:
    psql = [str(bindir() / "psql"), "-h", str(data), "-U", ROLE, "-d", "postgres", "-tAq"]
    exists = subprocess.run(
        [*psql, "-c", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    if exists.stdout.strip() != "1":
        subprocess.run([*psql, "-c", f"CREATE DATABASE {DATABASE_NAME}"], check=True)
        print(f"localdb: created database {DATABASE_NAME}")


def stop() -> None:
    data = cluster_dir()
    if (data / "PG_VERSION").exists() and _is_running(data):
        _run_as_server([str(bindir() / "pg_ctl"), "stop", "--wait", "-m", "fast", "-D", str(data)])
    else:
        print("localdb: not running")


def main(argv: list[str]) -> None:
    commands = {
        "start": start,
        "stop": stop,
        "url": lambda: print(database_url()),
        "status": lambda: print("running" if _is_running(cluster_dir()) else "stopped"),
    }
    if len(argv) != 1 or argv[0] not in commands:
        sys.exit(f"usage: python -m config.localdb {{{'|'.join(commands)}}}")
    commands[argv[0]]()


if __name__ == "__main__":
    main(sys.argv[1:])
