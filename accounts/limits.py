"""How fast one account, or one address, may try passwords, sign up and ask for reset e-mails."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest

from throttle.http import client_address
from throttle.models import Rate

# Five wrong passwords for one username lock that username out for what is left of the quarter
# hour, from everywhere: a password guesser gets 20 tries an hour at most. The owner waits too,
# the price of stopping guessers who spread their tries over many addresses.
LOGIN_FAILURES_PER_ACCOUNT = Rate(
    "login-failures-account",
    limit=5,
    window=timedelta(minutes=15),
    message="Too many failed log-in attempts for this account.",
)
# More from one address, where several people may share a network, but not a dictionary's worth.
LOGIN_FAILURES_PER_ADDRESS = Rate(
    "login-failures-address",
    limit=30,
    window=timedelta(minutes=15),
    message="Too many failed log-in attempts from your network.",
)
SIGN_UPS_PER_ADDRESS = Rate(
    "sign-ups-address",
    limit=5,
    window=timedelta(hours=1),
    message="Too many new accounts were made from your network in the last hour.",
)
PASSWORD_RESETS_PER_ADDRESS = Rate(
    "password-resets-address",
    limit=5,
    window=timedelta(hours=1),
    message="Too many password reset e-mails were asked for from your network in the last hour.",
)


def account_key(username: str) -> str:
    # Usernames are unique whatever their case (UserCreationForm checks), so "Ann" and "ann"
    # share one count.
    return username.strip().casefold()


def check_log_in(request: HttpRequest, username: str) -> None:
    """Raise Throttled if this username or this address has failed too often to try again yet."""
    if account_key(username):
        LOGIN_FAILURES_PER_ACCOUNT.check(account_key(username))
    LOGIN_FAILURES_PER_ADDRESS.check(client_address(request))


def count_failed_log_in(request: HttpRequest, username: str) -> None:
    if account_key(username):
        LOGIN_FAILURES_PER_ACCOUNT.record(account_key(username))
    LOGIN_FAILURES_PER_ADDRESS.record(client_address(request))


def count_log_in(username: str) -> None:
    """A successful log-in: the account's failures are forgiven (the address's are not)."""
    LOGIN_FAILURES_PER_ACCOUNT.reset(account_key(username))
