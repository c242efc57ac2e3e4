from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from catalog.covers import cover_height
from catalog.models import Anime

register = template.Library()


@register.simple_tag
def cover(
    anime: Anime,
    width: int,
    *,
    alt: str = "",
    title: str = "",
    css_class: str = "",
    eager: bool = False,
) -> SafeString:
    """The anime's cover `width` CSS pixels wide: an <img> with its width and height (no layout
    shift while it loads), a srcset the browser picks the sharpest fitting file from, and lazy
    loading unless `eager` (the cover at the top of the anime's page)."""
    return mark_safe(  # noqa: S308 — every value is escaped in cover_img
        cover_img(anime, width, alt=alt, title=title, css_class=css_class, eager=eager)
    )


def cover_img(
    anime: Anime,
    width: int,
    *,
    alt: str = "",
    title: str = "",
    css_class: str = "",
    eager: bool = False,
) -> str:
    """The markup of `cover`, for code that builds HTML in Python (catalog rows); built with
    f-strings, as a catalog page has a hundred of them."""
    urls = sorted(anime.cover_urls().items())
    # Browsers without srcset get the smallest file that is wide enough.
    src = next((url for w, url in urls if w >= width), urls[-1][1])
    srcset = ", ".join(f"{url} {w}w" for w, url in urls)
    return (
        "<img"
        + (f' class="{escape(css_class)}"' if css_class else "")
        + f' src="{escape(src)}" srcset="{escape(srcset)}" sizes="{int(width)}px"'
        + f' width="{int(width)}" height="{cover_height(int(width))}" alt="{escape(alt)}"'
        + (f' title="{escape(title)}"' if title else "")
        + ("" if eager else ' loading="lazy"')
        + ">"
    )
