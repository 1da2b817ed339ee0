"""The API's numbered pages: `?page=N&page_size=M`, answered as {count, next, previous, results}.

A page number or size that is not a positive whole number (or is past the last page) is
answered 400 with the error contract's field errors, rather than DRF's bare 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound

from cityhall.core.api_inputs import whole_number
from cityhall.core.errors import InvalidInput

if TYPE_CHECKING:  # rest_framework.views loads this module through its settings
    from rest_framework.request import Request
    from rest_framework.views import APIView

MAX_PAGE_SIZE = 200
#: The query parameters the paginator reads (for `api_inputs.validated(also_known=…)`).
PAGE_PARAMETERS = ("page", "page_size")


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of `PAGE_SIZE` items (the caller may ask up to MAX_PAGE_SIZE with `page_size`)."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        errors: dict[str, list[str]] = {}
        for name, limit in (("page", None), ("page_size", MAX_PAGE_SIZE)):
            problem = _positive_number_problem(request.query_params.get(name), limit)
            if problem:
                errors[name] = [problem]
        if errors:
            raise InvalidInput(fields=errors)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise InvalidInput(
                fields={"page": [_("There is no page with this number.")]}
            ) from error


#: Past any real page; a larger number is refused before the paginator multiplies it.
MAX_PAGE = 1_000_000


def _positive_number_problem(value: str | None, limit: int | None) -> str | None:
    if value is None:
        return None
    maximum = limit or MAX_PAGE
    if whole_number(value, minimum=1, maximum=maximum) is not None:
        return None
    if value.isascii() and value.isdigit() and value.strip("0"):
        return _("Enter a number no greater than %(limit)d.") % {"limit": maximum}
    return _("Enter a whole number of at least 1.")
