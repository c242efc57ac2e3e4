from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client
from psycopg_pool import PoolTimeout

from config.views import server_error


@pytest.fixture
def exhausted_pool(monkeypatch):
    """The pool answers as it does when every connection stays busy past its timeout."""

    def no_free_connection(*args, **kwargs):
        try:
            raise PoolTimeout("couldn't get a connection after 5.00 sec")
        except PoolTimeout as timeout:
            raise OperationalError(str(timeout)) from timeout

    connection.close()
    monkeypatch.setattr(connection, "get_new_connection", no_free_connection)
    monkeypatch.setattr(connection, "ensure_connection", no_free_connection)


@pytest.mark.django_db(transaction=True)
def test_no_free_database_connection_answers_503(exhausted_pool):
    response = Client(raise_request_exception=False).get("/anime/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "busy" in response.text


@pytest.fixture
def dead_database(monkeypatch):
    """The server went away: every query fails as psycopg fails on a closed connection."""

    def server_gone(*args, **kwargs):
        raise OperationalError("consuming input failed: server closed the connection unexpectedly")

    connection.close()
    monkeypatch.setattr(connection, "ensure_connection", server_gone)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["/anime/", "/readyz/", "/users/nobody/anime/"])
def test_a_database_that_went_away_answers_503_without_a_traceback(dead_database, url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 503
    assert "Traceback" not in response.text
    assert "server closed" not in response.text


@pytest.mark.django_db(transaction=True)
def test_a_members_click_while_the_database_is_down_answers_503(dead_database):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32
    response = client.post("/anime/blame/my-anime/", {"status": "watched"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_the_500_handler_answers_503_for_a_database_error_raised_outside_a_view(rf):
    # A session saved in a middleware on the way out never reaches process_exception.
    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503


def test_the_500_handler_answers_500_for_anything_else(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
