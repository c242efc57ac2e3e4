from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from catalog.models import Anime
from userlists.models import RATING_CHOICES, RATINGS, Status


class RatingField(forms.TypedChoiceField):
    """A half-star rating; "4" is as good as the "4.0" the select sends."""

    def valid_value(self, value: object) -> bool:
        try:
            return value == "" or Decimal(str(value)) in RATINGS
        except InvalidOperation:
            return False


class ListEntryForm(forms.Form):
    """A change to one's entry for an anime: only the fields the request carries change.

    The status buttons post just `status`, the +1 button just `progress`, the rating control
    just `rating`, the "more" form the rest.
    """

    status = forms.ChoiceField(choices=Status.choices, required=False)
    progress = forms.IntegerField(label="Episodes watched", min_value=0, required=False)
    rating = RatingField(
        choices=RATING_CHOICES,
        coerce=Decimal,
        empty_value=None,
        required=False,
    )
    started_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    finished_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    rewatch_count = forms.IntegerField(
        label="Times rewatched", min_value=0, max_value=1000, required=False
    )
    notes = forms.CharField(
        label="Private notes",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, anime: Anime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.anime = anime
        # Progress stops at the last episode, when the count is known.
        self.fields["progress"] = forms.IntegerField(
            label="Episodes watched", min_value=0, max_value=anime.episodes, required=False
        )

    def clean_status(self) -> str | None:
        # An empty status is "leave it as it is", never "no status".
        return self.cleaned_data["status"] or None

    def clean(self) -> dict[str, Any]:
        started, finished = (
            self.cleaned_data.get("started_on"),
            self.cleaned_data.get("finished_on"),
        )
        if started and finished and finished < started:
            self.add_error("finished_on", "The finish date cannot be before the start date.")
        return self.cleaned_data

    def changes(self) -> dict[str, Any]:
        """The cleaned values of the fields the request actually sent."""
        changes = {name: self.cleaned_data[name] for name in self.fields if name in self.data}
        if changes.get("status") is None:
            changes.pop("status", None)
        for name in ("progress", "rewatch_count"):
            if name in changes and changes[name] is None:
                changes[name] = 0
        return changes
