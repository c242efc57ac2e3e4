from __future__ import annotations

from typing import Any

from django import forms

from customlists.models import MAX_ITEMS, MAX_NOTE_LENGTH, CustomList


class CustomListForm(forms.ModelForm):
    """A list's title, description and privacy, when it is created or edited."""

    class Meta:
        model = CustomList
        fields = ("title", "description", "is_public")
        labels = {"is_public": "Public"}
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "description": "What ties these anime together, in a few lines.",
            "is_public": "Anyone may see a public list, and it shows on its anime’s pages; "
            "a private one only you.",
        }


class AddToListForm(forms.Form):
    """Which of the member's lists to put an anime in."""

    custom_list = forms.ModelChoiceField(
        queryset=CustomList.objects.none(),
        label="Add to a custom list",
        error_messages={"invalid_choice": "Pick one of your lists."},
    )

    def __init__(self, *args: Any, owner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["custom_list"].queryset = CustomList.objects.filter(owner=owner)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    """Up or down one place, or to a position."""

    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")], required=False)
    position = forms.IntegerField(min_value=1, max_value=MAX_ITEMS, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not data.get("direction") and data.get("position") is None:
            raise forms.ValidationError("Say where to move it: up, down or to a position.")
        return data

    def move(self) -> dict[str, int]:
        """The arguments of CustomList.move()."""
        direction = self.cleaned_data["direction"]
        if direction:
            return {"by": -1 if direction == "up" else 1}
        return {"to": self.cleaned_data["position"]}
