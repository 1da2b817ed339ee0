"""Template tags shared by the portal and the back office."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context: dict[str, Any], language_code: str) -> str:
    """The current page's address in another language (the same page, other prefix)."""
    request = context.get("request")
    if request is None:
        return f"/{language_code}/"
    url = translate_url(request.get_full_path(), language_code)
    return str(url)
