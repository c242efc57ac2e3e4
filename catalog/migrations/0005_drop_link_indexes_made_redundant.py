"""Drop the link tables' one-column (tag) and (studio) indexes.

Migration 0003's (tag, anime) and (studio, anime) indexes serve every lookup those served, so
keeping both only doubled the index upkeep of each new link. Django names an auto-created
many-to-many table's indexes the same way in every database; IF EXISTS for one that differs.
"""

from __future__ import annotations

from django.db import migrations

REDUNDANT_INDEXES = [
    ("catalog_anime_tags", "catalog_anime_tags_tag_id_90b7e4d9", "tag_id"),
    ("catalog_anime_studios", "catalog_anime_studios_studio_id_eae4a008", "studio_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_search_prefix_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"DROP INDEX IF EXISTS {index}",
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} ({column})",
        )
        for table, index, column in REDUNDANT_INDEXES
    ]
