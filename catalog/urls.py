from __future__ import annotations

from django.urls import path
from django.views.generic.base import RedirectView

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="catalog:anime-list"), name="home"),
    path("anime/", views.anime_list, name="anime-list"),
    path("anime/suggest/", views.anime_suggestions, name="anime-suggestions"),
    path("anime/tag/<slug:slug>/", views.anime_by_tag, name="anime-by-tag"),
    path("anime/studio/<slug:slug>/", views.anime_by_studio, name="anime-by-studio"),
    path("anime/season/<int:year>/<str:season>/", views.anime_by_season, name="anime-by-season"),
    path("anime/<slug:slug>/", views.anime_detail, name="anime-detail"),
    path("anime/<slug:slug>/cover/", views.anime_cover, name="anime-cover"),
]
