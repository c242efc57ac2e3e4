"""Moderation: reports come in, staff hide a review (with a reason its author sees) or dismiss
the reports. What a review says stays its author's: the admin changes only whether it shows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from reviews.models import SCORE_FIELDS, Report, Review

HIDE_REASON = "Needs a reason: the author sees it."


class HiddenFilter(admin.SimpleListFilter):
    title = "visibility"
    parameter_name = "hidden"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Hidden"), ("no", "Shown")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        if self.value() == "yes":
            return queryset.exclude(hidden_at=None)
        if self.value() == "no":
            return queryset.visible()
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reported"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("open", "Open reports"), ("any", "Ever reported"), ("never", "Never reported")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        reports = Report.objects.filter(review=OuterRef("pk"))
        if self.value() == "open":
            return queryset.filter(Exists(reports.filter(handled_at=None)))
        if self.value() == "any":
            return queryset.filter(Exists(reports))
        if self.value() == "never":
            return queryset.filter(~Exists(reports))
        return queryset


class ReportStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("open", "Open"), ("handled", "Handled")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Report]) -> QuerySet[Report]:
        if self.value() == "open":
            return queryset.filter(handled_at=None)
        if self.value() == "handled":
            return queryset.exclude(handled_at=None)
        return queryset


class ReviewModerationForm(forms.ModelForm):
    hidden = forms.BooleanField(
        required=False,
        help_text="Takes the review off every page and the feed; its author still sees it, "
        "with the reason.",
    )

    class Meta:
        model = Review
        fields = ["hidden_reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hidden"].initial = self.instance.is_hidden

    def clean(self) -> dict[str, Any]:
        # Not ModelForm.clean(): the model's reason-when-hidden constraint would judge the new
        # reason against the old hidden_at. Review.hide() and unhide() change both together.
        hidden, reason = self.cleaned_data.get("hidden"), self.cleaned_data.get("hidden_reason")
        if hidden and not (reason or "").strip():
            self.add_error("hidden_reason", HIDE_REASON)
        return self.cleaned_data


class ReportInline(admin.TabularInline):
    model = Report
    fields = ["reason", "note", "reporter", "created_at", "handled_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ReviewModerationForm
    list_display = [
        "title",
        "anime",
        "author",
        "overall",
        "created_at",
        "helpful_votes",
        "unhelpful_votes",
        "open_reports",
        "is_hidden",
    ]
    list_filter = ["overall", "created_at", HiddenFilter, ReportedFilter, "spoilers"]
    search_fields = ["anime__title", "author__username", "title", "body"]
    list_select_related = ["anime", "author"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [
        "anime",
        "author",
        "title",
        "body",
        *SCORE_FIELDS,
        "spoilers",
        "created_at",
        "edited_at",
        "helpful_votes",
        "unhelpful_votes",
        "hidden_at",
        "hidden_by",
    ]
    fieldsets = [
        ("Moderation", {"fields": ["hidden", "hidden_reason", "hidden_at", "hidden_by"]}),
        ("Review", {"fields": ["anime", "author", "title", "body", *SCORE_FIELDS, "spoilers"]}),
        (
            "Dates and votes",
            {"fields": ["created_at", "edited_at", "helpful_votes", "unhelpful_votes"]},
        ),
    ]
    inlines = [ReportInline]
    actions = ["show_reviews"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return (
            super()
            .get_queryset(request)
            .annotate(open_report_count=Count("reports", filter=Q(reports__handled_at=None)))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Reviews come from their authors, through the one-per-anime and rate-limit checks.
        return False

    @admin.display(description="open reports", ordering="open_report_count")
    def open_reports(self, review: Review) -> int:
        return review.open_report_count

    @admin.display(description="hidden", boolean=True, ordering="hidden_at")
    def is_hidden(self, review: Review) -> bool:
        return review.is_hidden

    def save_model(
        self, request: HttpRequest, review: Review, form: ReviewModerationForm, change: bool
    ) -> None:
        reason = form.cleaned_data["hidden_reason"]
        if form.cleaned_data["hidden"]:
            review.hide(reason, by=request.user)
        elif review.is_hidden:
            review.unhide()

    @admin.action(description="Show the selected reviews again")
    def show_reviews(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        for review in queryset.exclude(hidden_at=None):
            review.unhide()


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    # The reason links to the report; the review links to the review's own moderation page.
    list_display = [
        "reason",
        "review_link",
        "note",
        "reporter",
        "created_at",
        "handled_at",
        "review_hidden",
    ]
    list_filter = [ReportStatusFilter, "reason", "created_at"]
    search_fields = ["review__title", "review__anime__title", "reporter__username", "note"]
    list_select_related = ["review", "reporter"]
    readonly_fields = ["review", "reporter", "reason", "note", "created_at", "handled_at"]
    actions = ["hide_reviews", "dismiss"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="review")
    def review_link(self, report: Report) -> str:
        url = reverse("admin:reviews_review_change", args=[report.review_id])
        return format_html('<a href="{}">{}</a>', url, report.review.title)

    @admin.display(description="review hidden", boolean=True)
    def review_hidden(self, report: Report) -> bool:
        return report.review.is_hidden

    @admin.action(description="Hide the reported reviews (the report's reason is the reason)")
    def hide_reviews(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        first_reports: dict[int, Report] = {}
        for report in queryset.filter(review__hidden_at=None).order_by("created_at"):
            first_reports.setdefault(report.review_id, report)
        for report in first_reports.values():
            report.review.hide(f"Reported: {report.get_reason_display()}.", by=request.user)

    @admin.action(description="Dismiss: keep the reviews, close the reports")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        queryset.filter(handled_at=None).update(handled_at=timezone.now())
