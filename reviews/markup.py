"""Review bodies: plain text with a small Markdown subset, turned into HTML that is safe to show.

Two layers. markdown-it renders paragraphs, line breaks, emphasis, links, lists and quotes and
nothing else; raw HTML is off, so a `<script>` in a body comes out as text. nh3 then keeps only
the tags that subset produces and links to http(s) addresses, so nothing the renderer might let
through (a `javascript:` link, an attribute) reaches the page.
"""

from __future__ import annotations

import nh3
from django.utils.text import Truncator
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "br"}
LINK_REL = "nofollow ugc noopener"

# "zero" starts with paragraphs and text alone; `breaks` keeps a plain-text writer's line breaks.
_markdown = MarkdownIt("zero", {"breaks": True}).enable(
    ["newline", "escape", "entity", "emphasis", "link", "autolink", "list", "blockquote"]
)


def _web_links_only(tag: str, attribute: str, value: str) -> str | None:
    # nh3's scheme check lets relative URLs through; a review links out to the web or nowhere.
    if attribute == "href" and not value.lower().startswith(("http://", "https://")):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    # The empty "*" entry drops nh3's default attributes for every tag (title, lang).
    attributes={"a": {"href"}, "*": set()},
    attribute_filter=_web_links_only,
    url_schemes={"http", "https"},
    link_rel=LINK_REL,
)


def render_body(text: str) -> str:
    """The review body as sanitised HTML."""
    return _cleaner.clean(_markdown.render(text))


def excerpt(html: str, words: int) -> str:
    """The first `words` words of sanitised HTML, its tags closed, sanitised again: Truncator
    reads HTML with regular expressions, and what it returns is shown as is."""
    return _cleaner.clean(Truncator(html).words(words, html=True, truncate="…"))
