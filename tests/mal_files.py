"""MyAnimeList list files for the import and export tests, written as MyAnimeList writes them."""

from __future__ import annotations

import gzip

_ENTRY_DEFAULTS = {
    "series_animedb_id": "0",
    "series_title": "",
    "series_type": "TV",
    "series_episodes": "12",
    "my_id": "0",
    "my_watched_episodes": "0",
    "my_start_date": "0000-00-00",
    "my_finish_date": "0000-00-00",
    "my_rated": "",
    "my_score": "0",
    "my_status": "Plan to Watch",
    "my_comments": "",
    "my_times_watched": "0",
    "my_tags": "",
    "update_on_import": "0",
}
_CDATA = {"series_title", "my_comments", "my_tags"}


def mal_entry(**fields: object) -> str:
    values = {**_ENTRY_DEFAULTS, **{tag: str(value) for tag, value in fields.items()}}
    lines = [
        f"\t\t\t<{tag}><![CDATA[{value}]]></{tag}>"
        if tag in _CDATA
        else f"\t\t\t<{tag}>{value}</{tag}>"
        for tag, value in values.items()
    ]
    return "\t\t<anime>\n" + "\n".join(lines) + "\n\t\t</anime>\n"


def mal_file(*entries: str, export_type: int = 1) -> bytes:
    """A list export holding the entries (from `mal_entry`)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "\t\t<!--\n\t\t Created by XML Export feature at MyAnimeList.net\n"
        "\t\t Version 1.1.0\n\t\t-->\n\n"
        "\t\t<myanimelist>\n\n\t\t\t<myinfo>\n"
        "\t\t\t\t<user_id>123</user_id>\n\t\t\t\t<user_name>someone</user_name>\n"
        f"\t\t\t\t<user_export_type>{export_type}</user_export_type>\n"
        f"\t\t\t\t<user_total_anime>{len(entries)}</user_total_anime>\n"
        "\t\t\t</myinfo>\n\n" + "".join(entries) + "\n\t\t</myanimelist>\n"
    ).encode()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)
