from __future__ import annotations

from django.urls import path

from customlists import views

app_name = "customlists"

urlpatterns = [
    path("lists/", views.recent_lists, name="recent"),
    path("lists/new/", views.create_list, name="create"),
    path("lists/<int:pk>/", views.list_detail, name="list-detail"),
    path("lists/<int:pk>/edit/", views.edit_list, name="edit-list"),
    path("lists/<int:pk>/delete/", views.delete_list, name="delete-list"),
    path("lists/<int:pk>/items/<int:item_pk>/move/", views.move_item, name="move-item"),
    path("lists/<int:pk>/items/<int:item_pk>/remove/", views.remove_item, name="remove-item"),
    path("lists/<int:pk>/items/<int:item_pk>/note/", views.edit_note, name="edit-note"),
    path("anime/<slug:slug>/lists/", views.anime_lists, name="anime-lists"),
    path("anime/<slug:slug>/lists/add/", views.add_anime, name="add-anime"),
    path("users/<str:username>/lists/", views.user_lists, name="user-lists"),
]
