from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config.views import healthz

urlpatterns = [
    path("", include("catalog.urls")),
    path("", include("userlists.urls")),
    path("", include("reviews.urls")),
    path("", include("customlists.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
