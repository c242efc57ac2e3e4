from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.privacy import can_see_list
from catalog.http import HtmxHttpRequest
from catalog.models import Anime
from throttle.http import limit_posts_per_user
from throttle.models import Rate
from userlists.forms import ListEntryForm
from userlists.models import LIST_SORT_ORDERS, RATING_CHOICES, ListEntry, Status
from userlists.widget import my_anime_context, user_stats_context

ENTRIES_PER_PAGE = 100
# Two list changes a second for a minute: more than any person clicks, less than a script floods.
LIST_WRITES = Rate(
    "list-writes",
    limit=120,
    window=timedelta(minutes=1),
    message="You are changing your list too fast.",
)
LIST_SORTS = [
    ("updated", "Last updated"),
    ("title", "Title"),
    ("rating", "My rating"),
    ("progress", "Progress"),
]


@login_required
@require_POST
@limit_posts_per_user(LIST_WRITES)
def update_entry(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Set status, progress, rating… of one's entry; htmx gets the widget, others a redirect."""
    anime = get_object_or_404(Anime, slug=slug)
    form = ListEntryForm(request.POST, anime=anime)
    before = ListEntry.objects.filter(user=request.user, anime=anime).values_list(
        "status", flat=True
    )
    offer_removal = False
    if form.is_valid():
        changes = form.changes()
        # Clicking the status the anime already has offers to take it off the list.
        offer_removal = changes.get("status") is not None and [changes["status"]] == list(before)
        try:
            ListEntry.objects.save_entry(request.user, anime, **changes)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return render_widget(request, anime, form, status=200 if request.htmx else 400)
    if not request.htmx:
        return redirect(anime)
    return render_widget(request, anime, offer_removal=offer_removal)


def apply_changes(request: HtmxHttpRequest, anime: Anime) -> ListEntryForm:
    """Validate the posted changes and save them; the form carries any error."""
    form = ListEntryForm(request.POST, anime=anime)
    if form.is_valid():
        try:
            ListEntry.objects.save_entry(request.user, anime, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
    return form


@login_required
@require_POST
@limit_posts_per_user(LIST_WRITES)
def remove_entry(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    anime = get_object_or_404(Anime, slug=slug)
    ListEntry.objects.remove_entry(request.user, anime)
    if not request.htmx:
        return redirect(anime)
    return render_widget(request, anime)


def render_widget(
    request: HtmxHttpRequest,
    anime: Anime,
    form: ListEntryForm | None = None,
    *,
    offer_removal: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The "my anime" widget, with the User Stats block swapped out of band beside it.

    Without htmx (a form error on a plain POST) the widget is a page of its own.
    """
    context = {
        **my_anime_context(request, anime, form=form, offer_removal=offer_removal),
        **user_stats_context(anime),
        "oob": True,
    }
    template = "userlists/my_anime.html" if request.htmx else "userlists/my_anime_page.html"
    return render(request, template, context, status=status)


@require_safe
@vary_on_headers("HX-Request")
def user_list(request: HtmxHttpRequest, username: str) -> HttpResponse:
    """A user's list, a tab per status; its owner edits progress and rating in place."""
    owner = get_object_or_404(get_user_model(), username=username)
    if not can_see_list(owner, request.user):
        return render(request, "userlists/private_list.html", {"owner": owner}, status=403)
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "")
    entries = ListEntry.objects.filter(user=owner)
    tabs = entries.summary()
    if status in Status.values:
        entries = entries.filter(status=status)
    else:
        status = ""
    if sort not in LIST_SORT_ORDERS:
        sort = "updated"
    page = Paginator(entries.for_list_page().sorted_by(sort), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "owner": owner,
        "is_owner": request.user == owner,
        "page": page,
        "status": status,
        "sort": sort,
        "tabs": [("", "All", tabs["total"])]
        + [(choice.value, choice.label, tabs[choice.value]) for choice in Status],
        "sorts": LIST_SORTS,
        "ratings": RATING_CHOICES,
    }
    template = "userlists/user_list.html#entries" if request.htmx else "userlists/user_list.html"
    return render(request, template, context)


@login_required
@require_POST
@limit_posts_per_user(LIST_WRITES)
def update_list_row(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """An in-place edit on one's list page: htmx gets the row back, others the page."""
    anime = get_object_or_404(Anime, slug=slug)
    form = apply_changes(request, anime)
    if not request.htmx:
        if form.errors:
            return render_widget(request, anime, form, status=400)
        return redirect(reverse("userlists:user-list", args=[request.user.username]))
    entry = get_object_or_404(ListEntry.objects.for_list_page(), user=request.user, anime=anime)
    context = {"entry": entry, "is_owner": True, "ratings": RATING_CHOICES, "form": form}
    return render(request, "userlists/user_list.html#entry-row", context)
