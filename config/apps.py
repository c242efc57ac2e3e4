from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class AnimedexAdminConfig(AdminConfig):
    """django.contrib.admin with the site in config/admin.py (its log-in is rate-limited)."""

    default_site = "config.admin.AnimedexAdminSite"
