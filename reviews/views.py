from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from catalog.http import HtmxHttpRequest
from catalog.models import Anime
from reviews.forms import ReportForm, ReviewForm, VoteForm
from reviews.models import (
    RATE_LIMIT,
    REVIEW_SORTS,
    REVIEW_WRITES,
    AlreadyReviewed,
    HelpfulVote,
    Report,
    Review,
    ReviewLimitReached,
)
from throttle.http import limit_posts_per_user

REVIEWS_PER_PAGE = 20
SORTS = [
    ("helpful", "Most helpful"),
    ("newest", "Newest"),
    ("highest", "Highest score"),
    ("lowest", "Lowest score"),
]
RATE_LIMITED = (
    "You have posted {limit} reviews in the last minute, the most we take. "
    "Wait a minute and send this one again: your text is kept below."
)


@require_safe
@vary_on_headers("HX-Request")
def latest_reviews(request: HtmxHttpRequest) -> HttpResponse:
    reviews = Review.objects.visible().for_cards().sorted_by("newest")
    context = {"heading": "Latest reviews", "show_anime": True, "feed": True}
    return review_list_page(request, reviews, context)


@require_safe
@vary_on_headers("HX-Request")
def anime_reviews(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """All of an anime's reviews, sortable; htmx gets the list alone when the sort changes."""
    anime = get_object_or_404(Anime.objects.defer("synopsis"), slug=slug)
    sort = request.GET.get("sort", "")
    if sort not in REVIEW_SORTS:
        sort = "helpful"
    mine = None
    if request.user.is_authenticated:
        mine = anime.reviews.filter(author=request.user).only("pk").first()
    reviews = anime.reviews.visible().for_cards().sorted_by(sort)
    context = {"heading": f"Reviews of {anime.title}", "anime": anime, "mine": mine}
    return review_list_page(request, reviews, {**context, "sort": sort, "sorts": SORTS})


@require_safe
@vary_on_headers("HX-Request")
def user_reviews(request: HtmxHttpRequest, username: str) -> HttpResponse:
    owner = get_object_or_404(get_user_model(), username=username)
    reviews = Review.objects.visible_to(request.user).filter(author=owner).for_cards()
    context = {"heading": f"Reviews by {owner.get_username()}", "owner": owner, "show_anime": True}
    return review_list_page(request, reviews.sorted_by("newest"), context)


def review_list_page(
    request: HtmxHttpRequest, reviews: QuerySet[Review], context: dict[str, Any]
) -> HttpResponse:
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "reviews/review_list.html#review-list" if request.htmx else "reviews/review_list.html"
    )
    return render(request, template, {**context, "page": page})


@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reviews = Review.objects.visible_to(request.user).select_related("anime", "author")
    review = get_object_or_404(reviews.defer("anime__synopsis"), pk=pk)
    return render(request, "reviews/review_detail.html", vote_context(request, review))


def vote_context(request: HttpRequest, review: Review) -> dict[str, Any]:
    """The review and what its "was this helpful?" box needs to know about the reader."""
    user = request.user
    can_vote = user.is_authenticated and user.pk != review.author_id and not review.is_hidden
    my_vote = None
    if can_vote:
        votes = HelpfulVote.objects.filter(review=review, voter=user)
        my_vote = votes.values_list("helpful", flat=True).first()
    return {"review": review, "can_vote": can_vote, "my_vote": my_vote}


@login_required
@require_POST
@limit_posts_per_user(REVIEW_WRITES)
def vote(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Yes, no, or take one's vote back; htmx gets the vote box, others a redirect."""
    review = get_object_or_404(Review.objects.visible(), pk=pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Answer yes or no.")
    review.vote(request.user, form.vote())
    if not request.htmx:
        return redirect(f"{review.get_absolute_url()}#helpful-votes")
    return render(
        request, "reviews/review_detail.html#helpful-votes", vote_context(request, review)
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def write_review(request: HttpRequest, slug: str) -> HttpResponse:
    anime = get_object_or_404(Anime.objects.defer("synopsis"), slug=slug)
    if request.method != "POST":
        mine = anime.reviews.filter(author=request.user).only("pk").first()
        if mine is not None:
            return redirect("reviews:edit-review", pk=mine.pk)
    form = ReviewForm(request.POST or None)
    context = {"form": form, "anime": anime}
    status = 400 if form.is_bound else 200
    if form.is_valid():
        try:
            review = Review.objects.post(author=request.user, anime=anime, **form.cleaned_data)
        except AlreadyReviewed:
            form.add_error(None, "You have already reviewed this anime.")
            context["existing"], status = anime.reviews.get(author=request.user), 409
        except ReviewLimitReached as limited:
            form.add_error(None, RATE_LIMITED.format(limit=RATE_LIMIT))
            response = render(request, "reviews/review_form.html", context, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        else:
            return redirect(review)
    return render(request, "reviews/review_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts_per_user(REVIEW_WRITES)
def edit_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = own_review(request, pk)
    form = ReviewForm(request.POST or None, instance=review)
    if form.is_valid():
        form.save()
        return redirect(review)
    context = {"form": form, "anime": review.anime, "review": review}
    return render(
        request, "reviews/review_form.html", context, status=400 if form.is_bound else 200
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts_per_user(REVIEW_WRITES)
def delete_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = own_review(request, pk)
    if request.method == "POST":
        review.delete()
        messages.success(request, "Your review is deleted.")
        return redirect("reviews:anime-reviews", slug=review.anime.slug)
    return render(request, "reviews/review_confirm_delete.html", {"review": review})


def own_review(request: HttpRequest, pk: int) -> Review:
    """The review, if the user may see it (404 otherwise), and only if they wrote it (403)."""
    reviews = Review.objects.visible_to(request.user).select_related("anime")
    review = get_object_or_404(reviews, pk=pk)
    if review.author_id != request.user.pk:
        raise PermissionDenied("Only its author may change a review.")
    return review


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts_per_user(REVIEW_WRITES)
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(Review.objects.visible().select_related("anime", "author"), pk=pk)
    if review.author_id == request.user.pk:
        raise PermissionDenied("You cannot report your own review.")
    form = ReportForm(request.POST or None)
    if form.is_valid():
        Report.objects.file(review, request.user, **form.cleaned_data)
        messages.success(request, "Thank you: the moderators will read your report.")
        return redirect(review)
    status = 400 if form.is_bound else 200
    return render(
        request, "reviews/report_form.html", {"form": form, "review": review}, status=status
    )
