"""No manager offers delete(): `Model.objects.delete()` would empty the table.

Django keeps QuerySet.delete() off managers (queryset_only); a queryset that overrides it must
say so again.
"""

from __future__ import annotations

import pytest
from django.apps import apps


@pytest.mark.parametrize("model", apps.get_models(), ids=lambda model: model._meta.label)
def test_no_manager_offers_delete(model):
    for manager in model._meta.managers:
        assert not hasattr(manager, "delete")
