from __future__ import annotations

from django.urls import path

from manga import views

app_name = "manga"

urlpatterns = [
    path("manga/", views.manga_list, name="manga-list"),
    path("manga/author/<slug:slug>/", views.author_detail, name="author-detail"),
    path("manga/<slug:slug>/", views.manga_detail, name="manga-detail"),
    path("manga/<slug:slug>/cover/", views.manga_cover, name="manga-cover"),
]
