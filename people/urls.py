from __future__ import annotations

from django.urls import path

from people import views

app_name = "people"

# An anime's full cast and staff live here, under the anime's own path, so that catalog (the
# ground floor) never imports this app. Catalog's patterns come first: its listing pages
# (/anime/tag/<slug>/, /anime/studio/<slug>/) would win only for an anime slugged "tag" or
# "studio", which the demo catalog does not have.
urlpatterns = [
    path("characters/<slug:slug>/", views.character_detail, name="character-detail"),
    path("characters/<slug:slug>/image/", views.character_image, name="character-image"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("anime/<slug:slug>/characters/", views.anime_characters, name="anime-characters"),
    path("anime/<slug:slug>/staff/", views.anime_staff, name="anime-staff"),
]
