"""Import and export of the signed-in user's list; included by the project's URLs."""

from __future__ import annotations

from django.urls import path

from userlists import views_transfer

urlpatterns = [
    path("import/", views_transfer.list_import, name="list-import"),
    path("export/myanimelist.xml", views_transfer.list_export_xml, name="list-export-xml"),
    path("export/list.csv", views_transfer.list_export_csv, name="list-export-csv"),
]
