"""gunicorn's settings for Animedex: `make serve` and production (docs/deploy.md) both use them.

    gunicorn -c config/gunicorn.conf.py          # serves config.wsgi on 127.0.0.1:$PORT

Workers and threads (README.md, "Serving"): a page is Python work (template rendering, the ORM)
with short waits for PostgreSQL in between. One process runs Python on one core at a time (the
GIL), so the processes give the parallelism: one per core, plus one so that a core whose worker
is waiting on the database has another to run. Threads (the gthread worker) overlap those waits;
4 per worker stays well under the database pool's 10 connections per process, so a thread never
waits for a connection because of its neighbours.

Each worker takes no more connections than it has threads, and closes each after its response
(no keep-alive). Waiting connections then queue in the listening socket, shared by every worker,
and the first free thread of any worker takes the oldest: first come, first served. With
keep-alive, a client stays with the worker that accepted it; at 32 connections the workers held
15, 13 and 4 of them, and the busiest worker's clients waited up to 750 ms (p99) while another
worker idled (bench/README.md). Every setting can be overridden on the command line or with the
variables below.
"""

from __future__ import annotations

import os

wsgi_app = "config.wsgi:application"
# Production binds a unix socket nginx proxies to (BIND=unix:/run/animedex/gunicorn.sock).
bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# Behind nginx the client's slow upload or download is nginx's business; 30 s is for a stuck
# request, which is then killed and logged.
timeout = 30
graceful_timeout = 20
# First come, first served across workers (see above); nginx opens a connection per request.
worker_connections = threads
keepalive = 0
# Requests are logged by the front web server; errors go to stderr (journald under systemd).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# X-Forwarded-For / -Proto are trusted from the local front server only.
forwarded_allow_ips = "127.0.0.1,::1"
proc_name = "animedex"
# No runtime control socket: one fixed path per user would clash between instances (tests, bench).
control_socket_disable = True
