from __future__ import annotations

from django.apps import AppConfig


class CustomlistsConfig(AppConfig):
    name = "customlists"
    verbose_name = "Custom lists"

    def ready(self) -> None:
        from customlists import signals  # noqa: F401 — connects the receivers
