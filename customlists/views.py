from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from catalog.http import HtmxHttpRequest
from catalog.models import Anime
from customlists.blocks import anime_lists_context
from customlists.forms import AddToListForm, CustomListForm, MoveForm, NoteForm
from customlists.models import CustomList, CustomListError, ListGone
from throttle.http import limit_posts_per_user
from throttle.models import Rate

LISTS_PER_PAGE = 20
# Two changes a second for a minute: more than any person clicks, less than a script floods.
LIST_WRITES = Rate(
    "custom-list-writes",
    limit=120,
    window=timedelta(minutes=1),
    message="You are changing your lists too fast.",
)


@require_safe
@vary_on_headers("HX-Request")
def recent_lists(request: HtmxHttpRequest) -> HttpResponse:
    """Public lists with at least one anime, the latest changed first."""
    lists = CustomList.objects.public().not_empty().recent()
    return list_cards_page(request, lists, {"heading": "Recent custom lists"})


@require_safe
@vary_on_headers("HX-Request")
def anime_lists(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Every public list holding the anime, the ones that added it last first."""
    anime = get_object_or_404(Anime.objects.defer("synopsis"), slug=slug)
    lists = CustomList.objects.public().holding(anime)
    context = {"heading": f"Custom lists with {anime.title}", "anime": anime}
    return list_cards_page(request, lists, context)


@require_safe
@vary_on_headers("HX-Request")
def user_lists(request: HtmxHttpRequest, username: str) -> HttpResponse:
    """A member's public lists; their own private ones too when they look."""
    owner = get_object_or_404(get_user_model(), username=username)
    lists = CustomList.objects.visible_to(request.user).filter(owner=owner).recent()
    context = {"heading": f"Custom lists by {owner.get_username()}", "owner": owner}
    return list_cards_page(request, lists, context)


def list_cards_page(
    request: HtmxHttpRequest, lists: QuerySet[CustomList], context: dict[str, Any]
) -> HttpResponse:
    page = Paginator(lists.for_cards(), LISTS_PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "customlists/list_index.html#list-cards" if request.htmx else "customlists/list_index.html"
    )
    return render(request, template, {**context, "page": page})


@require_safe
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lists = CustomList.objects.visible_to(request.user).select_related("owner")
    custom_list = get_object_or_404(lists, pk=pk)
    return render(request, "customlists/list_detail.html", list_context(request, custom_list))


def list_context(request: HttpRequest, custom_list: CustomList, **extra: Any) -> dict[str, Any]:
    return {
        "custom_list": custom_list,
        "items": custom_list.items.for_list_page(),
        "is_owner": custom_list.owner_id == request.user.pk,
        **extra,
    }


def own_list(request: HttpRequest, pk: int) -> CustomList:
    """The list, if the user may see it (404 otherwise), and only if it is theirs (403)."""
    lists = CustomList.objects.visible_to(request.user).select_related("owner")
    custom_list = get_object_or_404(lists, pk=pk)
    if custom_list.owner_id != request.user.pk:
        raise PermissionDenied("Only its owner may change a list.")
    return custom_list


def still_there[T](change: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Make the change to the list; a list deleted in the meantime is a 404, as it would have
    been a moment earlier."""
    try:
        return change(*args, **kwargs)
    except ListGone as error:
        raise Http404(str(error)) from error


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts_per_user(LIST_WRITES)
def create_list(request: HttpRequest) -> HttpResponse:
    """A new list; from an anime's page (?anime=slug) it starts with that anime, and the member
    goes back there."""
    slug = request.POST.get("anime") or request.GET.get("anime")
    anime = get_object_or_404(Anime.objects.defer("synopsis"), slug=slug) if slug else None
    form = CustomListForm(request.POST or None)
    if form.is_valid():
        try:
            custom_list = CustomList.objects.create_list(
                owner=request.user, anime=anime, **form.cleaned_data
            )
        except CustomListError as error:
            form.add_error(None, str(error))
        else:
            if anime is not None:
                return redirect(f"{anime.get_absolute_url()}#custom-lists")
            messages.success(request, "Your list is created: add anime to it from their pages.")
            return redirect(custom_list)
    status = 400 if form.is_bound else 200
    context = {"form": form, "anime": anime}
    return render(request, "customlists/list_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts_per_user(LIST_WRITES)
def edit_list(request: HttpRequest, pk: int) -> HttpResponse:
    custom_list = own_list(request, pk)
    form = CustomListForm(request.POST or None, instance=custom_list)
    if form.is_valid():
        form.save()
        messages.success(request, "Your list is saved.")
        return redirect(custom_list)
    status = 400 if form.is_bound else 200
    context = {"form": form, "custom_list": custom_list}
    return render(request, "customlists/list_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts_per_user(LIST_WRITES)
def delete_list(request: HttpRequest, pk: int) -> HttpResponse:
    custom_list = own_list(request, pk)
    if request.method == "POST":
        custom_list.delete()
        messages.success(request, f"“{custom_list.title}” is deleted.")
        return redirect("customlists:user-lists", username=request.user.get_username())
    return render(request, "customlists/list_confirm_delete.html", {"custom_list": custom_list})


@login_required
@require_POST
@limit_posts_per_user(LIST_WRITES)
def add_anime(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Put the anime in one of the member's lists, from its page: htmx gets the page's
    "Custom lists" block back with a confirmation, others go back to the page."""
    anime = get_object_or_404(Anime.objects.defer("synopsis"), slug=slug)
    form = AddToListForm(request.POST, owner=request.user)
    added = None
    if form.is_valid():
        try:
            form.cleaned_data["custom_list"].add(anime)
        except CustomListError as error:
            form.add_error(None, str(error))
        else:
            added = form.cleaned_data["custom_list"]
    if not request.htmx and not form.errors:
        return redirect(f"{anime.get_absolute_url()}#custom-lists")
    context = anime_lists_context(request.user, anime, form=form, added=added)
    if request.htmx:
        return render(request, "customlists/blocks.html#anime-lists", context)
    return render(request, "customlists/add_error.html", context, status=400)


@login_required
@require_POST
@limit_posts_per_user(LIST_WRITES)
def move_item(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Up, down or to a position: htmx gets the reordered items, others the list again."""
    custom_list = own_list(request, pk)
    item = get_object_or_404(custom_list.items.only("pk"), pk=item_pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        still_there(custom_list.move, item.pk, **form.move())
        if not request.htmx:
            return redirect(f"{custom_list.get_absolute_url()}#item-{item.pk}")
        context = list_context(request, custom_list, moved=item.pk)
        return render(request, "customlists/list_detail.html#list-items", context)
    context = list_context(request, custom_list, move_errors=form.errors, error_item=item.pk)
    if request.htmx:
        return render(request, "customlists/list_detail.html#list-items", context)
    return render(request, "customlists/list_detail.html", context, status=400)


@login_required
@require_POST
@limit_posts_per_user(LIST_WRITES)
def remove_item(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    custom_list = own_list(request, pk)
    item = get_object_or_404(custom_list.items.only("pk"), pk=item_pk)
    removed = still_there(custom_list.remove, item.pk)
    if not request.htmx:
        return redirect(f"{custom_list.get_absolute_url()}#list-items")
    context = list_context(request, custom_list, removed=removed)
    return render(request, "customlists/list_detail.html#list-items", context)


@login_required
@require_POST
@limit_posts_per_user(LIST_WRITES)
def edit_note(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The item's note: htmx gets the item back, others the list (with the error, if any)."""
    custom_list = own_list(request, pk)
    item = get_object_or_404(custom_list.items.for_list_page(), pk=item_pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        still_there(custom_list.set_note, item.pk, form.cleaned_data["note"])
        item.note = form.cleaned_data["note"]
    if not request.htmx:
        if form.errors:
            context = list_context(request, custom_list, note_form=form, error_item=item.pk)
            return render(request, "customlists/list_detail.html", context, status=400)
        return redirect(f"{custom_list.get_absolute_url()}#item-{item.pk}")
    context = {"item": item, "custom_list": custom_list, "is_owner": True, "note_form": form}
    context["error_item"] = item.pk if form.errors else None
    return render(request, "customlists/list_detail.html#list-item", context)
