"""A request's status page, commenting on it, following and unfollowing it, reopening it, and
the citizen's "My requests" (filed by them, or followed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.models import User
from cityhall.core.errors import (
    CityHallError,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from cityhall.open311.caching import CATALOG, PLACES, REQUESTS
from cityhall.portal.page_cache import shared_with_anonymous_visitors
from cityhall.portal.views_requests.tracking import TrackForm, render_unknown_number
from cityhall.servicerequests.access import partner_organisation_ids_for
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import (
    get_service_request_for_reporter,
    get_service_request_to_follow,
    get_status_page_for_citizen,
    service_requests_followed_by,
    service_requests_for_citizen,
)
from cityhall.servicerequests.services import (
    COMMENT_MAX_LENGTH,
    REOPEN_WINDOW,
    add_comment,
    can_rate,
    change_service_request_status,
    follow_service_request,
    unfollow_service_request,
)

Status = ServiceRequest.Status
#: How many of the citizen's requests "My requests" lists.
MY_REQUESTS_LIMIT = 100


class CommentForm(forms.Form):
    """A comment to the city. Who reads it depends on who writes it (see `comments_for_citizen`):
    a reporter's comment only staff; a follower's comment staff and the reporter, unnamed."""

    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Write your comment.")},
    )

    def __init__(self, data: Any = None, *, is_reporter: bool = True) -> None:
        super().__init__(data, prefix="comment")
        self.fields["body"].help_text = (
            _("Only the city's staff read it; followers do not. The city answers in the updates.")
            if is_reporter
            else _(
                "The city's staff read it, and so does the person who filed the request, "
                "without your name. The city answers in the updates."
            )
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why reopen it? (optional)"),
        help_text=gettext_lazy("Only the city's staff read it."),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": gettext_lazy("Keep the reason under %(limit_value)d characters.")
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _own(request: HttpRequest, tracking_number: str) -> ServiceRequest | None:
    try:
        return get_service_request_for_reporter(tracking_number=tracking_number, user=request.user)
    except NotFound:
        return None


def _can_reopen(service_request: ServiceRequest) -> bool:
    settled_at = service_request.closed_at or service_request.resolved_at
    if service_request.status not in {Status.RESOLVED, Status.CLOSED} or settled_at is None:
        return False
    return timezone.now() - settled_at <= REOPEN_WINDOW


@shared_with_anonymous_visitors(REQUESTS, CATALOG, PLACES)
@require_http_methods(["GET", "HEAD", "POST"])
def request_status(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """Anyone with the number sees the public status; the reporter also sees what they wrote.

    The reporter and followers read and send their comments to the city here (POST).
    """
    try:
        page = get_status_page_for_citizen(tracking_number=tracking_number, user=request.user)
    except NotFound:
        return render_unknown_number(request, tracking_number)
    is_reporter = page.own is not None
    comment_form = CommentForm(is_reporter=is_reporter)
    if request.method == "POST":
        comment_form = CommentForm(request.POST, is_reporter=is_reporter)
        if _comment(request, tracking_number, comment_form):
            messages.success(request, _("Your comment is sent to the city's staff."))
            return redirect(
                reverse("portal:request_status", args=[page.public.tracking_number]) + "#comments"
            )
    own = page.own
    context = {
        "public": page.public,
        "expected": page.expected,
        "own": own,
        "can_reopen": own is not None and _can_reopen(own),
        "can_rate": own is not None
        and isinstance(request.user, User)
        and can_rate(own, request.user),
        "can_follow": page.can_follow,
        "is_following": page.is_following,
        "is_followable": page.is_followable,
        "comments": page.comments,
        "comment_form": comment_form,
        "reopen_form": ReopenForm(),
    }
    return _revalidated(request, render(request, "portal/requests/status.html", context))


def _revalidated(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """`response`, kept by browsers only (the reporter's page holds personal data) and checked
    with the server before reuse, so that a new update shows at once.

    An anonymous visitor's page gets an ETag of its content, so that revalidating an
    unchanged page answers 304; a signed-in visitor's page differs each time (CSRF tokens).
    """
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    if request.method == "POST" or request.user.is_authenticated:
        return response
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def _comment(request: HttpRequest, tracking_number: str, form: CommentForm) -> bool:
    """Send the comment in `form`; False, with the reason on the form, when it is refused."""
    if not form.is_valid():
        return False
    try:
        add_comment(
            service_request=get_service_request_to_follow(tracking_number=tracking_number),
            author=request.user,
            body=form.cleaned_data["body"],
        )
    except PermissionDenied as error:
        # The form is shown only to those who may comment, so say it above the page.
        messages.error(request, error.message)
        return False
    except CityHallError as error:
        show_service_error(form, error)
        return False
    return True


@login_required
@require_POST
def follow_request(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """Have the signed-in citizen told about the request's progress."""
    try:
        service_request = get_service_request_to_follow(tracking_number=tracking_number)
        follow_service_request(service_request=service_request, user=request.user)
    except NotFound as error:
        raise Http404 from error
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You follow this request: you will hear of its progress."))
    return redirect("portal:request_status", tracking_number=service_request.tracking_number)


@login_required
@require_POST
def unfollow_request(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """Stop telling the signed-in citizen about the request's progress."""
    try:
        service_request = get_service_request_to_follow(tracking_number=tracking_number)
    except NotFound as error:
        raise Http404 from error
    unfollow_service_request(service_request=service_request, user=request.user)
    messages.success(request, _("You no longer follow this request."))
    return redirect("portal:request_status", tracking_number=service_request.tracking_number)


@login_required
@require_POST
def reopen_request(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The reporter reopens a resolved or closed request within REOPEN_WINDOW, optionally
    saying why (for staff only)."""
    user = request.user
    assert isinstance(user, User)  # login_required
    own = _own(request, tracking_number)
    if own is None:
        raise Http404
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["reason"][0]))
        return redirect("portal:request_status", tracking_number=own.tracking_number)
    reason = form.cleaned_data["reason"]
    try:
        # Staff read the reason in the reopening step's internal note, as through the API.
        change_service_request_status(
            service_request=own, actor=user, to_status=Status.IN_PROGRESS, internal_note=reason
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request is open again."))
    return redirect("portal:request_status", tracking_number=own.tracking_number)


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    """The requests the signed-in citizen filed (`?show=filed`, the default) or follows
    (`?show=following`), newest first, with their status."""
    user = request.user
    assert isinstance(user, User)  # login_required
    show = "following" if request.GET.get("show") == "following" else "filed"
    listed = (
        service_requests_followed_by(user=user)
        if show == "following"
        else service_requests_for_citizen(user=user)
    )
    context = {
        "show": show,
        "requests": list(listed[:MY_REQUESTS_LIMIT]),
        "is_partner_member": bool(partner_organisation_ids_for(user)),
        "track_form": TrackForm(),
    }
    return render(request, "portal/requests/my_requests.html", context)
