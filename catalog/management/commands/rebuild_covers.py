from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.cover_files import rebuild_cover
from catalog.models import Anime


class Command(BaseCommand):
    help = (
        "Store every uploaded cover anew as WebP with its thumbnails (catalog.cover_files): for"
        " covers uploaded before thumbnails existed, or after a change of their widths."
    )

    def handle(self, *args, **options) -> None:
        rebuilt = failed = 0
        for anime in Anime.objects.exclude(cover="").order_by("pk").iterator():
            try:
                with transaction.atomic():
                    rebuild_cover(anime)
            except (FileNotFoundError, ValidationError) as error:
                failed += 1
                self.stderr.write(f"{anime.slug}: cover {anime.cover.name} skipped: {error}")
                continue
            rebuilt += 1
        self.stdout.write(f"Covers rebuilt: {rebuilt:,}, skipped: {failed:,}")
