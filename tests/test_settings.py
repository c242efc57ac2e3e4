from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import localdb
from config.settings import database_from_url


def test_database_url_with_host_and_password():
    database = database_from_url("postgresql://anime:s%40cret@db.example.org:6543/animedex")
    assert (database["USER"], database["PASSWORD"]) == ("anime", "s@cret")
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.example.org",
        "6543",
        "animedex",
    )


def test_database_url_with_a_socket_directory():
    database = database_from_url("postgresql://animedex@/animedex?host=/tmp/pg")
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("/tmp/pg", "", "animedex")


def test_database_url_query_parameters_become_libpq_options():
    assert database_from_url("postgres://u@h/d?sslmode=require")["OPTIONS"] == {
        "sslmode": "require"
    }


def test_database_url_must_be_postgresql():
    with pytest.raises(ImproperlyConfigured):
        database_from_url("sqlite:///db.sqlite3")


def test_local_cluster_url_points_at_its_socket_directory():
    url = localdb.database_url()
    assert database_from_url(url)["HOST"] == str(localdb.cluster_dir())


def test_local_cluster_socket_path_fits_a_unix_socket():
    assert len(str(localdb.cluster_dir()) + "/.s.PGSQL.5432") < 108


@pytest.mark.django_db
def test_healthz_answers_ok_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.text == "ok"
