from __future__ import annotations

from django.urls import path
from django.views.generic.base import RedirectView

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="catalog:anime-list"), name="home"),
    path("anime/", views.anime_list, name="anime-list"),
    path("anime/<slug:slug>/", views.anime_detail, name="anime-detail"),
    path("anime/<slug:slug>/cover/", views.anime_cover, name="anime-cover"),
]
