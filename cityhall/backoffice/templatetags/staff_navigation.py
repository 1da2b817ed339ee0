"""The back office's navigation for templates: `{% staff_navigation as links %}`."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.http import HttpRequest

from cityhall.backoffice.access import is_verified_staff_session
from cityhall.backoffice.navigation import navigation_for

register = template.Library()


@dataclass(frozen=True)
class MenuItem:
    """A navigation link as drawn: `current` is the aria-current value, or "" when not current."""

    label: str
    url: str
    current: str


@register.simple_tag(takes_context=True)
def staff_navigation(context: template.Context) -> list[MenuItem]:
    """The links the signed-in staff member may use, once their session passed two-factor.

    The entry whose address is the longest prefix of the current path is marked: "page" when it
    is this very page, "true" when the page lies within its section. Before the second factor
    (on the sign-in pages) there is no navigation: every link would lead back to sign-in.
    """
    request = context.get("request")
    if not isinstance(request, HttpRequest) or not is_verified_staff_session(request):
        return []
    links = navigation_for(request.user)
    sections = [link.url for link in links if request.path.startswith(link.url)]
    section = max(sections, key=len, default="")
    return [
        MenuItem(
            label=link.label,
            url=link.url,
            current=("page" if request.path == link.url else "true") if link.url == section else "",
        )
        for link in links
    ]
