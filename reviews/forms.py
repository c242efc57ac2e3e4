from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from reviews.models import MIN_BODY_LENGTH, SCORE_FIELDS, Report, ReportReason, Review

TOO_SHORT = (
    "A review needs at least {minimum} characters; this one has {length}. "
    "Say a little more about what worked and what didn't."
)


class ReviewForm(forms.ModelForm):
    """Writing or editing one's review. Saving an edit that changes something dates it "edited"."""

    class Meta:
        model = Review
        fields = ("title", "body", *SCORE_FIELDS, "spoilers")
        error_messages = {
            name: {"required": "Give it a score from 1 to 10."} for name in SCORE_FIELDS
        }
        widgets = {
            "body": forms.Textarea(
                attrs={
                    "rows": 16,
                    "data-min-length": MIN_BODY_LENGTH,
                    "aria-describedby": "body-help body-count",
                }
            )
        }

    min_body_length = MIN_BODY_LENGTH

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._before = self._content(self.instance)
        for name in SCORE_FIELDS:
            self.fields[name].choices = [("", "–"), *self.fields[name].choices[1:]]

    def score_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SCORE_FIELDS]

    def clean_body(self) -> str:
        # Browsers send line breaks as CRLF; counted as one character, as the live counter does.
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if len(body) < MIN_BODY_LENGTH:
            raise forms.ValidationError(
                TOO_SHORT.format(minimum=MIN_BODY_LENGTH, length=len(body)), code="min_length"
            )
        return body

    def save(self, commit: bool = True) -> Review:
        review = super().save(commit=False)
        if review.pk and self._content(review) != self._before:
            review.edited_at = timezone.now()
        if commit:
            review.save()
        return review

    def _content(self, review: Review) -> tuple[Any, ...]:
        return tuple(getattr(review, name) for name in self._meta.fields)


VOTES = {"yes": True, "no": False, "withdraw": None}


class VoteForm(forms.Form):
    helpful = forms.ChoiceField(choices=[(value, value) for value in VOTES])

    def vote(self) -> bool | None:
        return VOTES[self.cleaned_data["helpful"]]


class ReportForm(forms.ModelForm):
    # Radio buttons without the model field's blank choice: a report always says what is wrong.
    reason = forms.ChoiceField(
        label="What is wrong with it?", choices=ReportReason.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Report
        fields = ("reason", "note")
        labels = {"note": "Anything the moderators should know (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
