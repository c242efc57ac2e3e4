from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from catalog.models import AiringStatus, Kind, Season, Studio, Tag

RELEVANCE = "relevance"
SORT_CHOICES = [
    (RELEVANCE, "Best match"),
    ("rank", "Rank"),
    ("popularity", "Popularity"),
    ("rating", "Average rating"),
    ("title", "Title"),
    ("year", "Newest"),
    ("episodes", "Most episodes"),
]


class KnownChoicesField(forms.MultipleChoiceField):
    """Keeps the values it knows and notes the others in `unknown`, rather than failing whole:
    kind=movie&kind=comic still filters movies."""

    def clean(self, value: list[str] | None) -> list[str]:
        values = value or []
        self.unknown = [item for item in values if not self.valid_value(item)]
        return super().clean([item for item in values if self.valid_value(item)])


class KnownTagsField(forms.ModelMultipleChoiceField):
    """Tags by slug, keeping the ones that exist and noting the others in `unknown`."""

    def clean(self, value: list[str] | None) -> list[Tag] | QuerySet:
        # None chosen is an empty list rather than the queryset's none(): the form tests each
        # value's truth, and a queryset compiles a query to answer.
        if not value:
            return []
        return super().clean(value)

    def _check_values(self, value: list[str]) -> QuerySet:
        # PostgreSQL refuses a NUL in text: such a value is simply not a slug we know.
        searchable = [item for item in value if "\x00" not in item]
        found = self.queryset.filter(**{f"{self.to_field_name}__in": searchable})
        known = {getattr(tag, self.to_field_name) for tag in found}
        self.unknown = [item for item in dict.fromkeys(value) if item not in known]
        return found


@dataclass(frozen=True)
class ActiveFilter:
    """A filter the visitor chose, with the query string that lifts it."""

    label: str
    query_without: str


class CatalogFilterForm(forms.Form):
    """The catalog's filters, read from the query string.

    A value that doesn't make sense (year=abc, an unknown tag) never fails the page: it is left
    out, and `notices` says what was done with it.
    """

    q = forms.CharField(label="Title", max_length=200, required=False)
    kind = KnownChoicesField(label="Type", choices=Kind.choices, required=False)
    status = KnownChoicesField(choices=AiringStatus.choices, required=False)
    year = forms.IntegerField(min_value=1900, max_value=2100, required=False)
    season = forms.ChoiceField(choices=[("", "Any season"), *Season.choices], required=False)
    tag = KnownTagsField(
        label="With tag", queryset=Tag.objects.all(), to_field_name="slug", required=False
    )
    notag = KnownTagsField(
        label="Without tag", queryset=Tag.objects.all(), to_field_name="slug", required=False
    )
    studio = forms.ModelChoiceField(
        queryset=Studio.objects.all(), to_field_name="slug", required=False
    )
    episodes_min = forms.IntegerField(label="Episodes from", min_value=1, required=False)
    episodes_max = forms.IntegerField(label="Episodes to", min_value=1, required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)

    def __init__(self, data: QueryDict, *, fixed: dict[str, Any] | None = None) -> None:
        super().__init__(data)
        # What the page's own URL fixes (the tag of a tag page): applied, but not offered.
        self.fixed = fixed or {}
        for name in self.fixed:
            self.fields.pop(name, None)
        self.notices: list[str] = []
        self.values: dict[str, Any] = {}
        self.is_valid()

    def clean(self) -> dict[str, Any]:
        # Django calls this whatever the field errors, with the valid fields in cleaned_data.
        values = {name: value for name, value in self.cleaned_data.items() if value}
        for name, errors in self.errors.items():
            shown = ", ".join(self.data.getlist(name))
            label = self.fields[name].label or name.replace("_", " ").capitalize()
            self.notices.append(f"Ignored {label} “{shown}”: {' '.join(errors)}")
        for name, field in self.fields.items():
            if unknown := getattr(field, "unknown", None):
                label = field.label or name.capitalize()
                self.notices.append(f"Ignored {label} “{', '.join(unknown)}”: not one we know.")
        low, high = values.get("episodes_min"), values.get("episodes_max")
        if low and high and low > high:
            values["episodes_min"], values["episodes_max"] = high, low
            self.notices.append(f"Read the episode range as {high} to {low}.")
        if values.get("season") and not (values.get("year") or self.fixed.get("year")):
            del values["season"]
            self.notices.append("Ignored the season: it needs a year.")
        if not values.get("sort"):
            values["sort"] = RELEVANCE if values.get("q") else "rank"
        elif values["sort"] == RELEVANCE and not values.get("q"):
            values["sort"] = "rank"
        self.values = {**values, **self.fixed}
        return self.cleaned_data

    @property
    def sort_order(self) -> str:
        """The sort the page uses: the chosen one, else best match for a search, else rank."""
        return self.values["sort"]

    @property
    def sort_choices(self) -> list[tuple[str, str]]:
        """The sorts offered: best match only for a search."""
        return [choice for choice in SORT_CHOICES if choice[0] != RELEVANCE or self.values.get("q")]

    @cached_property
    def ticked(self) -> dict[str, set[str]]:
        """The values of each checkbox filter in use, as the form's checkboxes carry them."""
        return {
            "kind": set(self.values.get("kind", ())),
            "status": set(self.values.get("status", ())),
            "tag": {tag.slug for tag in self.values.get("tag", ())},
            "notag": {tag.slug for tag in self.values.get("notag", ())},
        }

    @property
    def search_alone(self) -> str:
        """The search text, when it is the only filter and the results come best match first:
        the search's ranking is then the whole list, in order."""
        if self.catalog_filters().keys() == {"q"} and self.sort_order == RELEVANCE:
            return self.values["q"]
        return ""

    def catalog_filters(self) -> dict[str, Any]:
        """The keyword arguments of AnimeQuerySet.filtered()."""
        return {name: value for name, value in self.values.items() if name != "sort"}

    def active_filters(self) -> list[ActiveFilter]:
        """Each value the visitor chose, labelled, with a link that removes just that one."""
        labels = {
            "kind": dict(Kind.choices),
            "status": dict(AiringStatus.choices),
            "season": dict(Season.choices),
            "tag": {tag.slug: tag.name for tag in self.values.get("tag", [])},
            "notag": {tag.slug: f"not {tag.name}" for tag in self.values.get("notag", [])},
        }
        if studio := self.values.get("studio"):
            labels["studio"] = {studio.slug: studio.name}
        active = []
        for name in ("q", "kind", "status", "year", "season", "tag", "notag", "studio"):
            if name not in self.fields or name not in self.values:
                continue
            for raw in self.data.getlist(name):
                label = labels[name].get(raw) if name in labels else raw
                if name == "q":
                    label = f"“{raw}”"
                if label:
                    active.append(ActiveFilter(label, self._query_without(name, raw)))
        # The bounds as read (a reversed range was swapped), so a chip keeps the other bound.
        bounds = (
            ("episodes_min", "episodes_max", "from {} eps"),
            ("episodes_max", "episodes_min", "to {} eps"),
        )
        for name, other, template in bounds:
            if name in self.values:
                query = self.data.copy()
                for bound in (name, other, "page"):
                    query.pop(bound, None)
                if other in self.values:
                    query[other] = str(self.values[other])
                active.append(ActiveFilter(template.format(self.values[name]), query.urlencode()))
        return active

    def _query_without(self, name: str, raw: str) -> str:
        query = self.data.copy()
        query.setlist(name, [value for value in query.getlist(name) if value != raw])
        query.pop("page", None)
        return query.urlencode()
