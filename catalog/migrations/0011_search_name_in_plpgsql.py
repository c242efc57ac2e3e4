"""animedex_search_name in PL/pgSQL rather than SQL: the same normal form, cheaper to plan.

Search's statements fold the visitor's text into their conditions while planning, and name it
some thirty times. PostgreSQL inlines a SQL function at each of them, parsing its body anew
(~17 µs each: ~0.5 ms of planning a search's first statement); a PL/pgSQL function's body is
compiled once per connection, and each call is ~4 µs. The generated columns call it once per
row written, a microsecond or two dearer than inlined.
"""

from importlib import import_module

from django.db import migrations

IN_SQL = import_module("catalog.migrations.0001_initial").CREATE_SEARCH_NAME


def in_plpgsql(definition: str) -> str:
    replaced = (
        definition.replace("LANGUAGE sql", "LANGUAGE plpgsql")
        .replace("AS $$\n    SELECT ", "AS $$\nBEGIN\n    RETURN ")
        .replace("\n$$", ";\nEND\n$$")
    )
    assert replaced.count("plpgsql") == 1 and "RETURN" in replaced and "END" in replaced
    return replaced


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_sort_indexes_hold_the_start")]

    operations = [migrations.RunSQL(in_plpgsql(IN_SQL), IN_SQL)]
