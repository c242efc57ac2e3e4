"""The site as `make serve` and production run it: gunicorn's worker processes, real HTTP.

Static files come hashed, compressed and cached for a year; anonymous pages revalidate with
304s; and many members clicking on one anime at once lose no update: every figure equals a
recount from the lists.
"""

from __future__ import annotations

import http.client
import random
import re
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test import Client

from tests.factories import make_anime, make_user
from tests.gunicorn_server import database_url, get, gunicorn, request
from userlists.models import RATING_CHOICES, AnimeListStats, ListEntry, Status

MEMBERS = 12
CLICKS_EACH = 10
# Some members click in two tabs at once: their own clicks race too.
TWO_TABS = 4


@pytest.fixture(scope="module")
def port(django_db_setup, django_db_blocker) -> Iterator[int]:
    """One gunicorn for the module, on the test database: 2 workers, so requests meet
    different processes (and different page caches)."""
    with django_db_blocker.unblock(), gunicorn(database_url(connection.settings_dict)) as port:
        yield port


def test_static_files_are_hashed_compressed_and_cached_for_a_year(port):
    # The page names the stylesheet by its content's hash: /static/css/site.1a2b3c4d5e6f.css
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', get(port, "/anime/")[1])
    assert stylesheet, "no hashed stylesheet link on the page"
    stylesheet = stylesheet[1]
    response = request(port, "GET", stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")
    assert "max-age=315360000" in response.getheader("Cache-Control")


def test_each_response_closes_its_connection(port):
    # So waiting clients queue in the socket every worker takes from, oldest first, instead of
    # staying with a busy worker (config/gunicorn.conf.py).
    response = request(port, "GET", "/healthz/", headers={"Connection": "keep-alive"})
    assert (response.status, response.getheader("Connection")) == (200, "close")


@pytest.mark.django_db(transaction=True)
def test_a_browser_revalidating_an_anonymous_page_gets_a_304(port):
    anime = make_anime(title="Revalidated Over HTTP")
    first = request(port, "GET", anime.get_absolute_url())
    etag = first.getheader("ETag")
    again = request(port, "GET", anime.get_absolute_url(), headers={"If-None-Match": etag})
    assert (first.status, again.status) == (200, 304)
    assert {"Cookie", "HX-Request"} <= {v.strip() for v in first.getheader("Vary").split(",")}


def member_session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def click_away(port: int, slug: str, session: str, seed: int) -> list[int]:
    """CLICKS_EACH status or rating changes from one client, one after another; their statuses."""
    chooser = random.Random(seed)
    csrf = secrets.token_hex(16)  # a 32-character secret, sent as cookie and header alike
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    ratings = [value for value, _ in RATING_CHOICES if value]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    statuses = []
    try:
        for _ in range(CLICKS_EACH):
            if chooser.random() < 0.5:
                form = {"status": chooser.choice(Status.values)}
            else:
                form = {"rating": chooser.choice(ratings)}
            # Half as htmx (the widget comes back), half as a plain form (a redirect).
            extra = {"HX-Request": "true"} if chooser.random() < 0.5 else {}
            connection.request(
                "POST", f"/anime/{slug}/my-anime/", urlencode(form), {**headers, **extra}
            )
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        connection.close()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_concurrent_status_and_rating_clicks_lose_no_update(port):
    anime = make_anime(title="Concurrent Clicks", episodes=12)
    sessions = [member_session(make_user()) for _ in range(MEMBERS)]
    clickers = [*sessions, *sessions[:TWO_TABS]]

    with ThreadPoolExecutor(max_workers=len(clickers)) as pool:
        results = pool.map(
            lambda args: click_away(port, anime.slug, *args),
            [(session, seed) for seed, session in enumerate(clickers)],
        )
        statuses = [status for result in results for status in result]
    pages = [get(port, anime.get_absolute_url())[1] for _ in range(6)]

    assert len(statuses) == len(clickers) * CLICKS_EACH
    assert set(statuses) <= {200, 302}, sorted(set(statuses))

    entries = ListEntry.objects.filter(anime=anime)
    recount = entries.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
        votes=Count("rating"),
        rating_sum=Sum("rating", default=Decimal(0)),
    )
    stats = AnimeListStats.objects.get(anime=anime)
    assert {name: getattr(stats, name) for name in recount} == recount
    assert entries.count() == MEMBERS
    anime.refresh_from_db()
    assert anime.members == MEMBERS
    assert anime.votes == recount["votes"]
    if recount["votes"]:
        mean = (recount["rating_sum"] / recount["votes"]).quantize(Decimal("0.001"))
        assert anime.average_rating == mean
    # Whichever worker answered, the anonymous page shows the final figures, not a stale copy.
    watching = f"<dt>Watching</dt><dd>{recount['watching']}</dd>"
    assert all(watching in page.replace("\n", "").replace(" ", "") for page in pages)
