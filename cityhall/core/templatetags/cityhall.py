"""Template tags shared by the portal and the back office."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context: dict[str, Any], language_code: str) -> str:
    """The current page's address in another language (the same page, other prefix).

    Pages that no route matches (a 404) keep their path with the language prefix swapped,
    so the switch never sends a reader to the other language's home page by surprise.
    """
    request = context.get("request")
    if request is None:
        return f"/{language_code}/"
    full_path = request.get_full_path()
    url = str(translate_url(full_path, language_code))
    if url != full_path:
        return url
    return _swap_language_prefix(full_path, language_code)


def _swap_language_prefix(path: str, language_code: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    first, _slash, rest = path.lstrip("/").partition("/")
    if first in codes:
        return f"/{language_code}/{rest}"
    return f"/{language_code}/"


@register.simple_tag
def url_if_exists(view_name: str, *args: Any) -> str:
    """The address of `view_name`, or an empty string when no such route exists (yet).

    Lets shared navigation link to pages other apps provide without ever rendering a dead link:
    `{% url_if_exists "portal:sign_in" as sign_in_url %}{% if sign_in_url %}…{% endif %}`.
    """
    try:
        return reverse(view_name, args=args or None)
    except NoReverseMatch:
        return ""
