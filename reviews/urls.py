from __future__ import annotations

from django.urls import path

from reviews import views
from reviews.feeds import LatestReviewsFeed

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.latest_reviews, name="latest"),
    path("reviews/feed/", LatestReviewsFeed(), name="feed"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/edit/", views.edit_review, name="edit-review"),
    path("reviews/<int:pk>/delete/", views.delete_review, name="delete-review"),
    path("reviews/<int:pk>/vote/", views.vote, name="vote"),
    path("reviews/<int:pk>/report/", views.report_review, name="report-review"),
    path("anime/<slug:slug>/reviews/", views.anime_reviews, name="anime-reviews"),
    path("anime/<slug:slug>/reviews/write/", views.write_review, name="write-review"),
    path("users/<str:username>/reviews/", views.user_reviews, name="user-reviews"),
]
