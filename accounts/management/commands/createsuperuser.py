"""Django's createsuperuser, refusing an e-mail address another account has (in any case)
with a message rather than the database's IntegrityError (see accounts.emails).

It replaces django.contrib.auth's command because accounts comes before django.contrib.auth
in INSTALLED_APPS: of two commands with one name, the first app's wins.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError
from django.db import IntegrityError

from accounts.emails import EMAIL_TAKEN, email_is_taken, is_duplicate_email


class Command(createsuperuser.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        # Given on the command line or in the environment, it is not asked for: checked here.
        given = options.get("email") or os.environ.get("DJANGO_SUPERUSER_EMAIL")
        if given and email_is_taken(given):
            raise CommandError(EMAIL_TAKEN)
        try:
            super().handle(*args, **options)
        except IntegrityError as error:
            # Another account took the address while this one was being typed in.
            if is_duplicate_email(error):
                raise CommandError(EMAIL_TAKEN) from error
            raise

    def get_input_data(self, field, message: str, default: str | None = None) -> Any:
        """An address typed in that another account has is refused, and asked for again."""
        value = super().get_input_data(field, message, default)
        if field.name == "email" and value and email_is_taken(value):
            self.stderr.write(f"Error: {EMAIL_TAKEN}")
            return None
        return value
