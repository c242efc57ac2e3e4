"""Throughput and latency under load: wrk against gunicorn, run as `make serve` runs it.

    apt-get install wrk                      # Debian's package, once (as root)
    make demo                                # or `make serve` once: the demo catalog and community
    uv run --frozen --no-sync python bench/load.py [--duration 10] [--connections 1,8,32]

It starts gunicorn with config/gunicorn.conf.py and production's settings (DEBUG off, the page
cache, the connection pool) against DATABASE_URL (default: the project-local database), warms
every worker's page cache, then runs wrk for each request at each number of connections and
prints requests/s, median and p99 latency and errors as a table, with the anime page's
throughput as a share of /healthz/'s at each level. The logged-in request is the status button:
a POST with a session cookie and CSRF token that writes (a list entry, the anime's figures, its
page version), rotating over 200 members, 50 popular anime and the four statuses.

wrk and gunicorn share the machine's cores, as do a client and a server on one box: the figures
are a floor for what a dedicated server does, and the ratio to /healthz/ is what carries over.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from benchenv import REPO, setup_django

# done() prints one JSON line wrk's own report would make us parse.
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d, \\"errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""

# Each wrk thread starts at its own place in the rotation of members, anime and statuses.
STATUS_POST_LUA = """
local sessions = {%(sessions)s}
local slugs = {%(slugs)s}
local statuses = {"watched", "watching", "want", "dropped"}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 7919)
end
function init(args)
  n = offset or 0
end
request = function()
  n = n + 1
  local slug = slugs[(n %% #slugs) + 1]
  local status = statuses[(math.floor(n / #slugs) %% #statuses) + 1]
  local headers = {
    ["Cookie"] = "sessionid=" .. sessions[(n %% #sessions) + 1] .. "; csrftoken=%(csrf)s",
    ["X-CSRFToken"] = "%(csrf)s",
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["HX-Request"] = "true",
  }
  return wrk.format("POST", "/anime/" .. slug .. "/my-anime/", headers, "status=" .. status)
end
"""


# Status clicks come from many members, as on the site: one member clicking hundreds of times a
# second would meet the per-member limit on list writes and measure the 429 page instead.
MEMBERS = 200


@dataclass(frozen=True)
class Request:
    name: str
    path: str
    logged_in: bool = False


REQUESTS = [
    Request("/healthz/", "/healthz/"),
    Request("anime page", "/anime/cowboy-bebop/"),
    Request("browse", "/anime/?kind=tv&sort=rating"),
    Request("search", "/anime/?q=steins"),
    Request("status POST (logged in)", "/anime/<slug>/my-anime/", logged_in=True),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def member_sessions(count: int = MEMBERS) -> list[str]:
    """Logged-in sessions of `count` bench members (created once, kept between runs)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import Client

    user_model = get_user_model()
    names = [f"bench-load-{n:03}" for n in range(count)]
    user_model.objects.bulk_create(
        [user_model(username=name, password=make_password(None)) for name in names],
        ignore_conflicts=True,
    )
    sessions = []
    for user in user_model.objects.filter(username__in=names):
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    return sessions


def popular_slugs(count: int = 50) -> list[str]:
    from catalog.models import Anime

    return list(Anime.objects.order_by("-members", "id").values_list("slug", flat=True)[:count])


def start_gunicorn(port: int, workers: int | None, threads: int | None) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "PORT": str(port),
    }
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    if threads:
        env["GUNICORN_THREADS"] = str(threads)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"], cwd=REPO, env=env
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(port, "GET", "/healthz/")[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("gunicorn did not start")


def fetch(port: int, method: str, path: str, body: str = "", headers=None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body or None, headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wrk(url: str, connections: int, seconds: float, script: Path) -> dict:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s"]
    out = subprocess.run(
        [*command, "-s", str(script), url], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("JSON "))
    result = json.loads(line.removeprefix("JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return head.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument("--connections", default="1,8,32", help="comma-separated (default 1,8,32)")
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)"
    )
    parser.add_argument(
        "--threads", type=int, help="threads per worker (default: gunicorn.conf.py's)"
    )
    parser.add_argument(
        "--only", help="comma-separated: run only the requests whose name contains one of these"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/load.py needs wrk: apt-get install wrk")
    levels = [int(n) for n in args.connections.split(",")]

    os.environ["DEBUG"] = "false"
    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    sessions, slugs = member_sessions(), popular_slugs()
    csrf = "b" * 32  # a CSRF secret the cookie and the header agree on

    work = Path(tempfile.mkdtemp(prefix="animedex-load-"))
    report = work / "report.lua"
    report.write_text(REPORT_LUA)
    post = work / "post.lua"
    slug_list = ", ".join(f'"{slug}"' for slug in slugs)
    session_list = ", ".join(f'"{session}"' for session in sessions)
    post.write_text(
        STATUS_POST_LUA % {"slugs": slug_list, "sessions": session_list, "csrf": csrf} + REPORT_LUA
    )

    port = free_port()
    server = start_gunicorn(port, args.workers, args.threads)
    base = f"http://127.0.0.1:{port}"
    wanted = args.only.split(",") if args.only else [""]
    requests = [r for r in REQUESTS if any(text in r.name for text in wanted)]
    results: dict[tuple[str, int], dict] = {}
    load_before = os.getloadavg()
    try:
        status, _ = fetch(
            port,
            "POST",
            f"/anime/{slugs[0]}/my-anime/",
            urlencode({"status": "watching"}),
            {
                "Cookie": f"sessionid={sessions[0]}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
            },
        )
        if status != 200:
            sys.exit(f"the logged-in status POST answered {status}, not 200")
        for request in requests:
            script = post if request.logged_in else report
            url = base + (f"/anime/{slugs[0]}/my-anime/" if request.logged_in else request.path)
            wrk(url, 8, 2, script)  # warm: every worker's page cache, the pool, the templates
            for connections in levels:
                results[request.name, connections] = wrk(url, connections, args.duration, script)
                print(
                    f"{request.name} x{connections}: {results[request.name, connections]['rps']:.0f}/s",
                    file=sys.stderr,
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()

    workers = args.workers or (os.cpu_count() or 1) + 1
    threads = args.threads or 4
    print(
        f"{datetime.date.today()}, commit {commit()}, {platform.node() and ''}"
        f"{os.cpu_count()} cores; gunicorn {workers} gthread workers x {threads} threads; "
        f"{args.duration:g} s per run; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after"
    )
    print()
    print("| request | connections | requests/s | p50 ms | p99 ms | errors |")
    print("|---|--:|--:|--:|--:|--:|")
    for request in requests:
        for connections in levels:
            r = results[request.name, connections]
            print(
                f"| {request.name} | {connections} | {r['rps']:,.0f} | {r['p50_us'] / 1000:.2f} "
                f"| {r['p99_us'] / 1000:.2f} | {r['errors']} |"
            )
    if ("anime page", levels[0]) in results and ("/healthz/", levels[0]) in results:
        print()
        for connections in levels:
            ratio = (
                results["anime page", connections]["rps"] / results["/healthz/", connections]["rps"]
            )
            print(
                f"- anime page at {connections} connections: {ratio:.0%} of /healthz/'s throughput"
            )


if __name__ == "__main__":
    main()
