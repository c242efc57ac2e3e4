from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client
from psycopg_pool import PoolTimeout


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
