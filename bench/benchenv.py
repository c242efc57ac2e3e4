"""What every bench script shares: Django set up from a plain `python bench/<script>.py`."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote_to_bytes

import django
from django.utils.encoding import iri_to_uri

REPO = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    # `python bench/x.py` puts bench/ on sys.path, not the repository, where `config` lives.
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def wsgi_get(app: Callable, url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET `url` from the WSGI application in-process, as a TLS proxy would pass it on.

    The response is read and closed as a server would, so Django's request_finished runs and
    hands the database connection back to the pool.
    """
    path, _, query = iri_to_uri(url).partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("iso-8859-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost",
        # Production redirects plain HTTP to HTTPS (SECURE_SSL_REDIRECT).
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    statuses = []
    body = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        content = b"".join(body)
    finally:
        body.close()
    return int(statuses[0].split()[0]), content
