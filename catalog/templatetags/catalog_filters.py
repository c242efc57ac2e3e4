from __future__ import annotations

from collections.abc import Collection, Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Built in Python rather than in template loops: the filter form offers every type, status,
# genre and theme (the tags twice, with and without), and those loops were a third of the
# catalog page's rendering time.


@register.simple_tag
def checkboxes(
    name: str, choices: Iterable[tuple[str, str]], ticked: Collection[str]
) -> SafeString:
    """A labelled checkbox per (value, label) choice, those in `ticked` ticked."""
    return mark_safe(  # noqa: S308 — every value is escaped just below
        "".join(
            f'<label class="check"><input id="{name}-{escape(value)}" type="checkbox" '
            f'name="{name}" value="{escape(value)}"{" checked" if value in ticked else ""}> '
            f"{escape(label)}</label>"
            for value, label in choices
        )
    )


@register.simple_tag
def options(choices: Iterable[tuple[str, str]], selected: str | None) -> SafeString:
    """An <option> per (value, label) choice, the `selected` one selected."""
    return mark_safe(  # noqa: S308 — every value is escaped just below
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )
