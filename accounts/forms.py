from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction

from accounts.emails import EMAIL_TAKEN, email_is_taken
from accounts.models import Profile

User = get_user_model()


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label="E-mail",
        help_text="Only for resetting a forgotten password; never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email_is_taken(email):
            raise forms.ValidationError(EMAIL_TAKEN, code="unique")
        return email

    @transaction.atomic
    def save(self) -> AbstractBaseUser:
        user = super().save()
        Profile.objects.create(user=user)
        return user


class SettingsForm(forms.ModelForm):
    """The profile's fields, plus the e-mail address, which lives on the user."""

    email = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    # Two radio buttons rather than the model's checkbox: a missing answer is an error, not
    # "private", and both choices are spelt out.
    list_is_public = forms.TypedChoiceField(
        label="Who can see my list",
        choices=[
            (True, "Everyone: my list and its statistics are public"),
            (False, "Only me: my list is private"),
        ],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Profile
        fields = ("email", "list_is_public", "about")
        widgets = {"about": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = self.instance.user.email

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email_is_taken(email, apart_from=self.instance.user):
            raise forms.ValidationError(EMAIL_TAKEN, code="unique")
        return email

    @transaction.atomic
    def save(self) -> Profile:
        user = self.instance.user
        user.email = self.cleaned_data["email"]
        user.save(update_fields=["email"])
        return super().save()


class UserChangeForm(auth_forms.UserChangeForm):
    """The admin's form for a user: an address another account has is an error, not a 500
    from the database's unique index. Blank is allowed, as Django allows it."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email and email_is_taken(email, apart_from=self.instance):
            raise forms.ValidationError(EMAIL_TAKEN, code="unique")
        return email
