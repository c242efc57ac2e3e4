"""Taking a list in and out: import a MyAnimeList export, export as MyAnimeList XML or CSV."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from throttle.http import limit_posts_per_user
from throttle.models import Rate
from userlists.forms_import import MalImportForm
from userlists.list_export import entries_for_export, export_filename, write_csv
from userlists.mal import ListFileError, import_entries, write_list

# An import writes a whole list at once: a dozen an hour is plenty for someone fixing their file.
LIST_IMPORTS = Rate(
    "list-imports",
    limit=12,
    window=timedelta(hours=1),
    message="You have imported lists too often.",
)


@login_required
@require_http_methods(["GET", "POST"])
@limit_posts_per_user(LIST_IMPORTS)
def list_import(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "userlists/import.html", {"form": MalImportForm()})
    form = MalImportForm(request.POST, request.FILES)
    summary = None
    if form.is_valid():
        try:
            summary = import_entries(request.user, form.cleaned_data["file"])
        except ListFileError as error:
            form.add_error("file", str(error))
        else:
            # The summary is the answer to this POST, shown rather than kept for a redirect:
            # posting the same file again changes nothing.
            form = MalImportForm()
    return render(request, "userlists/import.html", {"form": form, "summary": summary})


@never_cache
@login_required
@require_GET
def list_export_xml(request: HttpRequest) -> HttpResponse:
    username = request.user.get_username()
    body = write_list(username, list(entries_for_export(request.user)))
    return _attachment(body, "application/xml; charset=utf-8", username, "xml")


@never_cache
@login_required
@require_GET
def list_export_csv(request: HttpRequest) -> HttpResponse:
    entries = list(entries_for_export(request.user))
    body = write_csv(entries, request.build_absolute_uri)
    return _attachment(body, "text/csv; charset=utf-8", request.user.get_username(), "csv")


def _attachment(
    body: bytes | str, content_type: str, username: str, extension: str
) -> HttpResponse:
    filename = export_filename(username, extension, timezone.localdate())
    return HttpResponse(
        body,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
