from __future__ import annotations

from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from reviews.markup import render_body
from reviews.models import Review
from tests.factories import REVIEW_BODY, make_anime, make_user

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body { display: none }</style>",
    '<p style="background: url(javascript:alert(1))">styled</p>',
    '<a href="https://example.com" onclick="alert(1)">click</a>',
    '<iframe src="https://example.com"></iframe>',
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java%0ascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    '[click](https://example.com "x\\" onmouseover=\\"alert(1)")',
    "![x](https://example.com/x.png)",
    "[click](//example.com/protocol-relative)",
]
ALLOWED = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "br"}


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


def assert_inert_fragment(html: str) -> None:
    """Only the allowed tags; links carry nothing but an http(s) address and the rel we set."""
    for tag, attrs in tags_of(html):
        assert tag in ALLOWED, html
        if tag == "a":
            assert set(attrs) <= {"href", "rel"}, html
            assert attrs.get("href") is None or attrs["href"].startswith(("http://", "https://"))
            assert attrs["rel"] == "nofollow ugc noopener"
        else:
            assert not attrs, html


def assert_inert_page(html: str) -> None:
    """No event handlers, no script of anyone's but the site's, no script or data URLs."""
    for tag, attrs in tags_of(html):
        assert tag not in {"svg", "iframe", "object", "embed", "style"}, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/static/"), attrs
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_in_a_body_come_back_inert(payload):
    assert_inert_fragment(render_body(f"Intro.\n\n{payload}\n\nOutro."))


def test_script_text_is_shown_as_text_not_run():
    assert render_body("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )


def test_the_markdown_subset_renders():
    html = render_body(
        "*Quiet* and **kind**\nsecond line\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n> a quote\n\n"
        "[a link](https://example.com/page)"
    )
    assert "<p><em>Quiet</em> and <strong>kind</strong><br>\nsecond line</p>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html
    assert "<blockquote>\n<p>a quote</p>\n</blockquote>" in html
    assert '<a href="https://example.com/page" rel="nofollow ugc noopener">a link</a>' in html


def test_headings_code_and_images_stay_plain_text():
    html = render_body("# Heading\n\n`code`\n\n---")
    assert tags_of(html) == [("p", {}), ("p", {}), ("p", {})]


def test_relative_links_lose_their_address():
    assert "href" not in render_body("[home](/admin/)")


@pytest.mark.django_db
def test_payloads_in_the_title_and_body_are_inert_on_every_page(client):
    anime = make_anime(title="Serial Experiments Lain")
    author = make_user("lain")
    client.force_login(author)
    payloads = "\n\n".join(XSS_PAYLOADS)
    client.post(
        reverse("reviews:write-review", args=[anime.slug]),
        {
            "title": '"><script>alert(1)</script><img src=x onerror=alert(1)>',
            "body": f"{REVIEW_BODY}\n\n{payloads}",
            **dict.fromkeys(["story", "animation", "sound", "characters", "overall"], "8"),
        },
    )
    review = Review.objects.get()
    client.logout()
    for url in [
        review.get_absolute_url(),
        anime.get_absolute_url(),
        reverse("reviews:anime-reviews", args=[anime.slug]),
        reverse("reviews:latest"),
        reverse("accounts:profile", args=["lain"]),
    ]:
        html = client.get(url).text
        assert_inert_page(html)
        assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html, url

    feed = ElementTree.fromstring(client.get(reverse("reviews:feed")).content)
    summary = feed.findtext(
        "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary"
    )
    assert_inert_fragment(summary)
