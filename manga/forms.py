from __future__ import annotations

from django import forms

from manga.models import MangaKind

QUERY_MAX_LENGTH = 200


class MangaSearchForm(forms.Form):
    """The manga list's title search and kind filter. A value that does not validate (an
    unknown kind, a NUL character) is ignored rather than answered with an error page."""

    q = forms.CharField(required=False, max_length=QUERY_MAX_LENGTH, strip=True)
    kind = forms.ChoiceField(required=False, choices=[("", "All"), *MangaKind.choices])

    def value(self, name: str) -> str:
        self.is_valid()
        return self.cleaned_data.get(name) or ""
