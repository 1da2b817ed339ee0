"""The back office's navigation for templates: `{% staff_navigation as links %}`."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from cityhall.backoffice.access import is_verified_staff_session
from cityhall.backoffice.navigation import NavigationLink, navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_navigation(context: template.Context) -> list[NavigationLink]:
    """The links the signed-in staff member may use, once their session passed two-factor.

    Before the second factor (on the sign-in pages) there is no navigation: every link would
    only lead back to sign-in.
    """
    request = context.get("request")
    if not isinstance(request, HttpRequest) or not is_verified_staff_session(request):
        return []
    return navigation_for(request.user)
