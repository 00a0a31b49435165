"""Page links for the GOV.UK pagination component."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.http import QueryDict


def pagination_links(page: Page, query: QueryDict, *, window: int = 1) -> dict[str, Any]:
    """Build the previous, next and numbered links for ``page``, keeping the other GET parameters.

    Shows the first and last pages, ``window`` pages either side of the current one, and an
    ellipsis for each gap, as the GOV.UK pagination guidance recommends for long lists.
    """

    def href(number: int) -> str:
        params = query.copy()
        params["page"] = str(number)
        return "?" + params.urlencode()

    current = page.number
    last = page.paginator.num_pages
    shown = {1, last} | set(range(current - window, current + window + 1))
    items: list[dict[str, Any]] = []
    previous_number = 0
    for number in sorted(n for n in shown if 1 <= n <= last):
        if number - previous_number > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == current})
        previous_number = number
    return {
        "items": items,
        "previous": href(current - 1) if page.has_previous() else None,
        "next": href(current + 1) if page.has_next() else None,
    }
