from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from reviews.models import Report, ReportReason, Review
from tests.factories import make_anime, make_review, make_user

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:reviews_review_changelist")


@pytest.fixture
def review():
    return make_review(title="Buy cheap figures here", anime=make_anime(title="Texhnolyze"))


@pytest.fixture
def reader(client):
    user = make_user("ran")
    client.force_login(user)
    return user


def report_url(review) -> str:
    return reverse("reviews:report-review", args=[review.pk])


def listed_titles(response) -> list[str]:
    return [review.title for review in response.context["cl"].result_list]


# Reports


def test_a_reader_reports_a_review_with_a_reason_and_a_note(client, reader, review):
    assert "What is wrong with it?" in client.get(report_url(review)).text
    response = client.post(report_url(review), {"reason": "spam", "note": "A shop link."})
    assert response.url == review.get_absolute_url()
    report = Report.objects.get()
    assert (report.review, report.reporter, report.reason, report.note) == (
        review,
        reader,
        ReportReason.SPAM,
        "A shop link.",
    )
    assert "the moderators will read your report" in client.get(response.url).text


def test_reporting_again_replaces_ones_earlier_report(client, reader, review):
    client.post(report_url(review), {"reason": "spam"})
    client.post(report_url(review), {"reason": "abuse", "note": "Worse than spam."})
    assert Report.objects.get().reason == ReportReason.ABUSE


def test_a_report_needs_a_known_reason(client, reader, review):
    response = client.post(report_url(review), {"reason": "boring"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_authors_cannot_report_their_own_review(client, review):
    client.force_login(review.author)
    assert client.post(report_url(review), {"reason": "spam"}).status_code == 403


def test_anonymous_visitors_log_in_to_report(client, review):
    assert client.get(report_url(review)).url.startswith(reverse("accounts:login"))


# Admin: lists, search, filters


def test_admin_lists_reviews_and_reports(admin_client, review):
    Report.objects.create(review=review, reporter=make_user(), reason="spam")
    assert admin_client.get(CHANGELIST).status_code == 200
    reports = admin_client.get(reverse("admin:reviews_report_changelist"))
    assert "Buy cheap figures here" in reports.text
    assert reverse("admin:reviews_review_change", args=[review.pk]) in reports.text
    assert (
        admin_client.get(reverse("admin:reviews_review_change", args=[review.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("query", ["Texhnolyze", "lain", "figures", "soundtrack"])
def test_admin_searches_reviews_by_anime_author_title_and_text(admin_client, review, query):
    make_review(
        author=make_user("lain"), title="Other", anime=make_anime(title="Serial Experiments")
    )
    Review.objects.filter(title="Other").update(body="nothing in common")
    # "soundtrack" is in the factory's review body.
    expected = ["Other"] if query == "lain" else ["Buy cheap figures here"]
    assert listed_titles(admin_client.get(CHANGELIST, {"q": query})) == expected


def test_admin_filters_by_overall_score(admin_client):
    make_review(title="Nine", overall=9)
    make_review(title="Two", overall=2)
    assert listed_titles(admin_client.get(CHANGELIST, {"overall": 9})) == ["Nine"]


def test_admin_filters_by_date(admin_client):
    make_review(title="Today")
    old = make_review(title="Last year")
    Review.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    # As the filter's "Past 7 days" link has it.
    week_ago = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=7)
    response = admin_client.get(CHANGELIST, {"created_at__gte": str(week_ago)})
    assert listed_titles(response) == ["Today"]


def test_admin_filters_hidden_and_reported_reviews(admin_client, review):
    shown = make_review(title="Fine")
    hidden = make_review(title="Gone")
    Report.objects.create(review=review, reporter=make_user(), reason="spam")
    Report.objects.create(review=hidden, reporter=make_user(), reason="other")
    hidden.hide("Off topic.", by=make_user())
    assert listed_titles(admin_client.get(CHANGELIST, {"hidden": "yes"})) == ["Gone"]
    assert sorted(listed_titles(admin_client.get(CHANGELIST, {"hidden": "no"}))) == sorted(
        ["Fine", review.title]
    )
    # Hiding a review handles its reports; the spam report is still open.
    assert listed_titles(admin_client.get(CHANGELIST, {"reported": "open"})) == [review.title]
    assert sorted(listed_titles(admin_client.get(CHANGELIST, {"reported": "any"}))) == sorted(
        ["Gone", review.title]
    )
    assert listed_titles(admin_client.get(CHANGELIST, {"reported": "never"})) == [shown.title]


# Admin: hiding


def change_url(review) -> str:
    return reverse("admin:reviews_review_change", args=[review.pk])


def test_staff_hide_a_review_with_a_reason(admin_client, review):
    Report.objects.create(review=review, reporter=make_user(), reason="spam")
    response = admin_client.post(
        change_url(review), {"hidden": "on", "hidden_reason": "Advertising.", **NO_REPORT_FORMS}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_hidden
    assert review.hidden_reason == "Advertising."
    assert review.hidden_by.is_superuser
    assert Report.objects.get().handled_at is not None


def test_hiding_without_a_reason_is_refused(admin_client, review):
    response = admin_client.post(
        change_url(review), {"hidden": "on", "hidden_reason": " ", **NO_REPORT_FORMS}
    )
    assert response.status_code == 200
    assert "Needs a reason: the author sees it." in response.text
    review.refresh_from_db()
    assert not review.is_hidden


def test_staff_show_a_hidden_review_again(admin_client, review):
    review.hide("Mistake.", by=make_user())
    admin_client.post(change_url(review), {"hidden_reason": "", **NO_REPORT_FORMS})
    review.refresh_from_db()
    assert not review.is_hidden
    assert review.hidden_reason == ""


def test_the_admin_does_not_change_what_a_review_says(admin_client, review):
    admin_client.post(change_url(review), {"title": "Rewritten", "body": "x", **NO_REPORT_FORMS})
    review.refresh_from_db()
    assert review.title == "Buy cheap figures here"


def test_staff_hide_reported_reviews_from_the_reports_list(admin_client, review):
    first = Report.objects.create(review=review, reporter=make_user(), reason="spam")
    Report.objects.create(review=review, reporter=make_user(), reason="abuse")
    admin_client.post(
        reverse("admin:reviews_report_changelist"),
        {
            "action": "hide_reviews",
            "_selected_action": list(Report.objects.values_list("pk", flat=True)),
        },
    )
    review.refresh_from_db()
    assert review.is_hidden
    assert review.hidden_reason == f"Reported: {first.get_reason_display()}."
    assert not Report.objects.filter(handled_at=None).exists()


def test_admin_filters_open_and_handled_reports(admin_client, review):
    Report.objects.create(review=review, reporter=make_user(), reason="spam")
    Report.objects.create(
        review=review, reporter=make_user(), reason="other", handled_at=timezone.now()
    )
    url = reverse("admin:reviews_report_changelist")
    open_reports = admin_client.get(url, {"status": "open"}).context["cl"].result_list
    handled = admin_client.get(url, {"status": "handled"}).context["cl"].result_list
    assert [report.reason for report in open_reports] == ["spam"]
    assert [report.reason for report in handled] == ["other"]


def test_staff_dismiss_reports_and_the_review_stays(admin_client, review):
    report = Report.objects.create(review=review, reporter=make_user(), reason="other")
    admin_client.post(
        reverse("admin:reviews_report_changelist"),
        {"action": "dismiss", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.handled_at is not None
    assert Review.objects.visible().filter(pk=review.pk).exists()


def test_the_database_refuses_a_hidden_review_without_a_reason(review):
    with pytest.raises(IntegrityError):
        Review.objects.filter(pk=review.pk).update(hidden_at=timezone.now(), hidden_reason="")


# The change form's read-only inline of reports posts its management form.
NO_REPORT_FORMS = {
    "reports-TOTAL_FORMS": "0",
    "reports-INITIAL_FORMS": "0",
    "reports-MIN_NUM_FORMS": "0",
    "reports-MAX_NUM_FORMS": "1000",
}
