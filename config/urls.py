from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config.views import healthz, readyz

urlpatterns = [
    path("", include("catalog.urls")),
    path("", include("userlists.urls")),
    path("", include("reviews.urls")),
    path("", include("customlists.urls")),
    path("", include("accounts.urls")),
    path("", include("manga.urls")),
    path("", include("people.urls")),
    path("admin/", admin.site.urls),
    # Load balancers' probes don't follow APPEND_SLASH's redirect: both spellings answer.
    path("healthz/", healthz, name="healthz"),
    path("healthz", healthz),
    path("readyz/", readyz, name="readyz"),
    path("readyz", readyz),
]

handler500 = "config.views.server_error"

# Uploaded covers in development; static() adds nothing unless DEBUG is on, and in production
# the web server serves MEDIA_ROOT itself.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
