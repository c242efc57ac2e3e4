"""Lookups the catalog's queries need that Django lacks."""

from __future__ import annotations

from django.db import models


@models.IntegerField.register_lookup
class AnyOf(models.Lookup):
    """`id__any=[…]`: `id = ANY(%s)` with one array parameter.

    `__in` sends one parameter per value; a search's few hundred ids then cost more to
    build, quote and parse than the index lookups they ask for.
    """

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection) -> tuple[str, list]:
        return "%s", [list(value)]

    def as_sql(self, compiler, connection) -> tuple[str, tuple]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
