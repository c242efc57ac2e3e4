"""One account per e-mail address, whatever its case.

Forms check it first (`email_is_taken`) to say so nicely; the database guarantees it with a
unique index on lower(email) (migration accounts 0002), for the writes that race past a form's
check and for code that skips forms. Blank addresses (allowed for staff accounts made with
createsuperuser) are not counted.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError

EMAIL_TAKEN = "An account with this e-mail address already exists."
# On auth_user, which is Django's: created by accounts' migration 0002.
UNIQUE_EMAIL_INDEX = "accounts_user_email_lower_unique"


def email_is_taken(email: str, *, apart_from: AbstractBaseUser | None = None) -> bool:
    # Case-insensitive: Ann@… and ann@… reach one mailbox in practice, and the password reset
    # form looks users up with iexact, so two accounts would share one reset e-mail.
    others = get_user_model().objects.filter(email__iexact=email)
    if apart_from is not None:
        others = others.exclude(pk=apart_from.pk)
    return others.exists()


def is_duplicate_email(error: IntegrityError) -> bool:
    """Whether the database refused a write because another account has the e-mail address."""
    diagnostic = getattr(error.__cause__, "diag", None)
    return getattr(diagnostic, "constraint_name", None) == UNIQUE_EMAIL_INDEX
