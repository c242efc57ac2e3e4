from __future__ import annotations

from django.apps import AppConfig


class CustomlistsConfig(AppConfig):
    name = "customlists"
    verbose_name = "Custom lists"
