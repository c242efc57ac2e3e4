"""Lookups the catalog's queries need that Django lacks."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


def int_array(values: Iterable[int]) -> str:
    """Integers as one PostgreSQL array literal ('{1,2,3}'), for a parameter: psycopg quotes a
    list of them one by one, ~0.9 µs an integer (a search's 300 ids: 0.27 ms), this ~0.1 µs."""
    return "{" + ",".join(str(int(value)) for value in values) + "}"


@models.IntegerField.register_lookup
class AnyOf(models.Lookup):
    """`id__any=[…]`: `id = ANY(%s)` with one array parameter.

    `__in` sends one parameter per value; a search's few hundred ids then cost more to
    build, quote and parse than the index lookups they ask for.
    """

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection) -> tuple[str, list]:
        return "%s", [int_array(value)]

    def as_sql(self, compiler, connection) -> tuple[str, tuple]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
