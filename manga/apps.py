from __future__ import annotations

from django.apps import AppConfig


class MangaConfig(AppConfig):
    name = "manga"
