"""The requests the benchmarks time and explain: what visitors ask for most, per the URL contract."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    # As a visitor types it; percent-encoded when sent.
    url: str
    headers: dict[str, str] = field(default_factory=dict)


# The search box asks with htmx; without the header the suggestions redirect to the full results.
HTMX = {"HX-Request": "true"}

TRIVIAL = Case("trivial view", "baseline", "/healthz/")

SEARCHES = {
    "exact": "Cowboy Bebop",
    "prefix": "steins",
    "typo": "fullmetal alchemst",
    "japanese": "進撃の巨人",
    "short": "blam",
    "common word": "gundam",
    "two letters": "sh",
}

CASES = [
    TRIVIAL,
    *(Case(f"search {kind}", "search", f"/anime/?q={text}") for kind, text in SEARCHES.items()),
    *(
        Case(f"suggest {kind}", "search", f"/anime/suggest/?q={text}", HTMX)
        for kind, text in SEARCHES.items()
    ),
    Case("catalog page 1", "browse", "/anime/"),
    Case("by popularity", "browse", "/anime/?sort=popularity"),
    Case("tv by rating", "browse", "/anime/?kind=tv&sort=rating"),
    Case("tag page", "browse", "/anime/tag/action/"),
    Case("season page", "browse", "/anime/season/2021/fall/"),
    Case("studio page", "browse", "/anime/studio/toei-animation/"),
    Case("2015 movies", "browse", "/anime/?year=2015&kind=movie"),
    Case("tag, not tag, tv", "browse", "/anime/?tag=action&notag=comedy&kind=tv"),
    Case("12-26 episodes", "browse", "/anime/?episodes_min=12&episodes_max=26&sort=episodes"),
    Case("deep page", "browse", "/anime/?page=500"),
    Case("filters as htmx", "browse", "/anime/?kind=tv&status=finished&sort=year", HTMX),
    Case("anime page", "anime", "/anime/cowboy-bebop/"),
]
