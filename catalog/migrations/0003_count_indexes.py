"""Indexes that let a filtered catalog count its results from indexes alone.

A tag's links by (tag, anime) come out in anime order, and so do the anime of a kind by
(kind, id): "action TV anime without comedy" is then two merge joins of index-only scans
instead of hash joins over tens of thousands of heap rows (bench/README.md).
"""

from __future__ import annotations

from django.db import migrations, models

LINK_INDEXES = [
    ("catalog_anime_tags", "anime_tags_tag_anime_idx", "tag_id"),
    ("catalog_anime_studios", "anime_studios_studio_anime_idx", "studio_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_cover_webp_thumbnails"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="anime",
            name="anime_kind_idx",
        ),
        migrations.AddIndex(
            model_name="anime",
            index=models.Index(
                fields=["kind", "id"], include=("airing_status",), name="anime_kind_idx"
            ),
        ),
        # The link tables are Django's own for the many-to-many fields, so their indexes are SQL.
        *(
            migrations.RunSQL(
                f"CREATE INDEX {index} ON {table} ({column}, anime_id)",
                f"DROP INDEX {index}",
            )
            for table, index, column in LINK_INDEXES
        ),
    ]
