"""Orders the catalog's queries need that Django lacks."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models


def in_choice_order(field: str, choices: type[models.Choices]) -> models.Func:
    """Sort by the order the choices are declared in (a sequel before a side story, the
    director before the animators), not alphabetically; a value not among them goes last.

    The value's position in the declared list (array_position): one expression, where a CASE
    with a WHEN per choice cost Django ~0.1 ms a choice to build, the anime page ~6 ms in all.
    """
    return models.Func(
        models.Value(list(choices.values), output_field=ArrayField(models.TextField())),
        models.F(field),
        function="array_position",
        output_field=models.IntegerField(),
    )
