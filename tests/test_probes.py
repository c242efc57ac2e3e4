"""/healthz/ and /readyz/, the load balancer's probes."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/healthz/", "/healthz"])
def test_healthz_answers_with_or_without_the_slash(client, url):
    response = client.get(url)
    assert (response.status_code, response.text) == (200, "ok")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/readyz/", "/readyz"])
def test_readyz_asks_the_database(client, url, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(url)
    assert (response.status_code, response.text) == (200, "ok")


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_503_when_the_database_cannot_be_reached(monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    connection.close()
    monkeypatch.setattr(connection, "ensure_connection", refused)
    response = Client().get("/readyz/")
    assert (response.status_code, response.text) == (503, "database unavailable")


def test_probes_refuse_post(client):
    assert client.post("/healthz/").status_code == 405
    assert client.post("/readyz/").status_code == 405
