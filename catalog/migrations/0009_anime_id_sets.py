"""The id sets that count combinations of kind, status and tag filters (catalog.AnimeIdSet),
and the triggers that keep them right.

Statement triggers for inserts and deletes (a bulk insert of 100,000 anime changes each set
once); row triggers for the rare update that moves an anime to another kind or status, or a
link to another tag or anime (an update of other columns, such as the ranks, fires nothing).
"""

import django.contrib.postgres.fields
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models

# Each set is split into buckets of 4,096 ids (`id >> 12`), so a change rewrites a few KB rather
# than an array of every TV anime. Writers of the sets first lock the catalog version's row, the
# row every catalog write bumps anyway: they take turns, so none waits on another's sets in a
# different order (a deadlock). The functions carry the search_path they were created with, so a
# session with another one (pg_restore's, say) finds the tables and intarray.
FUNCTIONS = r"""
CREATE FUNCTION animedex_id_sets_add(keys text[], ids integer[]) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $$
    SELECT 1 FROM catalog_catalogversion WHERE id = 1 FOR NO KEY UPDATE;
    INSERT INTO catalog_animeidset AS idset (key, bucket, anime_ids)
    SELECT key, id >> 12, uniq(sort(array_agg(id))) FROM unnest(keys, ids) AS change(key, id)
     GROUP BY key, id >> 12
    ON CONFLICT (key, bucket) DO UPDATE SET anime_ids = idset.anime_ids | excluded.anime_ids
$$;

CREATE FUNCTION animedex_id_sets_remove(keys text[], ids integer[]) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $$
    SELECT 1 FROM catalog_catalogversion WHERE id = 1 FOR NO KEY UPDATE;
    UPDATE catalog_animeidset AS idset SET anime_ids = idset.anime_ids - change.ids
      FROM (SELECT key, id >> 12 AS bucket, array_agg(id) AS ids
              FROM unnest(keys, ids) AS c(key, id) GROUP BY key, id >> 12) AS change
     WHERE idset.key = change.key AND idset.bucket = change.bucket
$$;

CREATE FUNCTION animedex_id_sets_rows_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    keys text[];
    ids integer[];
BEGIN
    IF TG_TABLE_NAME = 'catalog_anime' THEN
        SELECT array_agg(key), array_agg(id) INTO keys, ids FROM (
            SELECT 'kind:' || coalesce(kind, ''), id FROM changed
            UNION ALL
            SELECT 'status:' || coalesce(airing_status, ''), id FROM changed
        ) AS facet(key, id);
    ELSE
        SELECT array_agg('tag:' || tag_id), array_agg(anime_id) INTO keys, ids FROM changed;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM animedex_id_sets_add(keys, ids);
    ELSE
        PERFORM animedex_id_sets_remove(keys, ids);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION animedex_id_sets_row_moved() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    old_keys text[] := '{}';
    new_keys text[] := '{}';
    old_id integer;
    new_id integer;
BEGIN
    IF TG_TABLE_NAME = 'catalog_anime' THEN
        old_id := OLD.id;
        new_id := NEW.id;
        IF OLD.kind IS DISTINCT FROM NEW.kind OR old_id <> new_id THEN
            old_keys := old_keys || ('kind:' || coalesce(OLD.kind, ''));
            new_keys := new_keys || ('kind:' || coalesce(NEW.kind, ''));
        END IF;
        IF OLD.airing_status IS DISTINCT FROM NEW.airing_status OR old_id <> new_id THEN
            old_keys := old_keys || ('status:' || coalesce(OLD.airing_status, ''));
            new_keys := new_keys || ('status:' || coalesce(NEW.airing_status, ''));
        END IF;
    ELSE
        old_id := OLD.anime_id;
        new_id := NEW.anime_id;
        old_keys := ARRAY['tag:' || OLD.tag_id];
        new_keys := ARRAY['tag:' || NEW.tag_id];
    END IF;
    PERFORM animedex_id_sets_remove(old_keys, array_fill(old_id, ARRAY[cardinality(old_keys)]));
    PERFORM animedex_id_sets_add(new_keys, array_fill(new_id, ARRAY[cardinality(new_keys)]));
    RETURN NULL;
END
$$;

CREATE FUNCTION animedex_id_sets_truncated() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM catalog_animeidset
     WHERE key LIKE (CASE TG_TABLE_NAME WHEN 'catalog_anime' THEN 'kind:%' ELSE 'tag:%' END)
        OR (TG_TABLE_NAME = 'catalog_anime' AND key LIKE 'status:%');
    RETURN NULL;
END
$$;
"""

TRIGGERS = r"""
CREATE TRIGGER anime_id_sets_insert AFTER INSERT ON catalog_anime
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION animedex_id_sets_rows_changed();
CREATE TRIGGER anime_id_sets_delete AFTER DELETE ON catalog_anime
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION animedex_id_sets_rows_changed();
CREATE TRIGGER anime_id_sets_update AFTER UPDATE OF id, kind, airing_status ON catalog_anime
    FOR EACH ROW WHEN ((OLD.id, OLD.kind, OLD.airing_status) IS DISTINCT FROM (NEW.id, NEW.kind, NEW.airing_status))
    EXECUTE FUNCTION animedex_id_sets_row_moved();
CREATE TRIGGER anime_id_sets_truncate AFTER TRUNCATE ON catalog_anime
    FOR EACH STATEMENT EXECUTE FUNCTION animedex_id_sets_truncated();
CREATE TRIGGER anime_tag_id_sets_insert AFTER INSERT ON catalog_anime_tags
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION animedex_id_sets_rows_changed();
CREATE TRIGGER anime_tag_id_sets_delete AFTER DELETE ON catalog_anime_tags
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION animedex_id_sets_rows_changed();
CREATE TRIGGER anime_tag_id_sets_truncate AFTER TRUNCATE ON catalog_anime_tags
    FOR EACH STATEMENT EXECUTE FUNCTION animedex_id_sets_truncated();

CREATE TRIGGER anime_tag_id_sets_update AFTER UPDATE OF anime_id, tag_id ON catalog_anime_tags
    FOR EACH ROW WHEN ((OLD.anime_id, OLD.tag_id) IS DISTINCT FROM (NEW.anime_id, NEW.tag_id))
    EXECUTE FUNCTION animedex_id_sets_row_moved();
"""

FILL = r"""
INSERT INTO catalog_catalogversion (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
INSERT INTO catalog_animeidset (key, bucket, anime_ids)
SELECT key, id >> 12, sort(array_agg(id)) FROM (
    SELECT 'kind:' || coalesce(kind, ''), id::integer FROM catalog_anime
    UNION ALL SELECT 'status:' || coalesce(airing_status, ''), id::integer FROM catalog_anime
    UNION ALL SELECT 'tag:' || tag_id, anime_id::integer FROM catalog_anime_tags
) AS facet(key, id) GROUP BY key, id >> 12;
"""

DROP = r"""
DROP TRIGGER anime_id_sets_insert ON catalog_anime;
DROP TRIGGER anime_id_sets_delete ON catalog_anime;
DROP TRIGGER anime_id_sets_update ON catalog_anime;
DROP TRIGGER anime_id_sets_truncate ON catalog_anime;
DROP TRIGGER anime_tag_id_sets_insert ON catalog_anime_tags;
DROP TRIGGER anime_tag_id_sets_delete ON catalog_anime_tags;
DROP TRIGGER anime_tag_id_sets_update ON catalog_anime_tags;
DROP TRIGGER anime_tag_id_sets_truncate ON catalog_anime_tags;
DROP FUNCTION animedex_id_sets_truncated();
DROP FUNCTION animedex_id_sets_row_moved();
DROP FUNCTION animedex_id_sets_rows_changed();
DROP FUNCTION animedex_id_sets_remove(text[], integer[]);
DROP FUNCTION animedex_id_sets_add(text[], integer[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_sort_indexes_hold_kind_and_status"),
    ]

    operations = [
        CreateExtension("intarray"),
        migrations.CreateModel(
            name="AnimeIdSet",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "key",
                        "bucket",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("key", models.TextField()),
                ("bucket", models.IntegerField()),
                (
                    "anime_ids",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.IntegerField(), size=None
                    ),
                ),
            ],
        ),
        migrations.RunSQL(FUNCTIONS + TRIGGERS + FILL, DROP),
    ]
