from __future__ import annotations

from django.apps import AppConfig


class UserlistsConfig(AppConfig):
    name = "userlists"
    verbose_name = "Watch lists"

    def ready(self) -> None:
        from userlists import signals  # noqa: F401 — connects the receivers
