from __future__ import annotations

from django.urls import include, path

from userlists import views

app_name = "userlists"

urlpatterns = [
    path("anime/<slug:slug>/my-anime/", views.update_entry, name="update-entry"),
    path("anime/<slug:slug>/my-anime/remove/", views.remove_entry, name="remove-entry"),
    path("anime/<slug:slug>/my-anime/row/", views.update_list_row, name="update-list-row"),
    path("users/<str:username>/anime/", views.user_list, name="user-list"),
    path("my-list/", include("userlists.urls_transfer")),
]
