"""Page-number pagination for every API list, strict about its parameters.

The rule: a `page_size` that is not a whole number from 1 to the maximum is a 400 with a
field error (DRF would silently fall back to the default), and a page number past the end
or not a number is a 404 problem, documented on every list operation (core/schema.py).

Lists that can be very long (the case search) count only up to COUNT_CAP rows
(CappedPaginator, CappedPagination): what "över 1 000 träffar" means in the UI."""

import functools

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_HELP = ("A page number from 1. A page past the last one, or a value that is not a "
             "number, answers 404.")


class ShortListPaginator(Paginator):
    """Django's paginator that counts nothing for a first page that holds the whole list:
    page 1 reads one row more than a page, and when that row is not there the rows read
    are the count. A longer list is counted as usual, its first page taken from the rows
    already read (docs/performance.md: the COUNT was one of five queries of a short
    list such as /api/v1/authorities/)."""

    def page(self, number):
        if str(number) != "1" or not hasattr(self.object_list, "_chain"):
            return super().page(number)
        head = list(self.object_list[: self.per_page + 1])
        if len(head) <= self.per_page:
            self.__dict__["count"] = len(head)  # Paginator.count is a cached_property
        return self._get_page(head[: self.per_page], 1, self)


class Pagination(PageNumberPagination):
    django_paginator_class = ShortListPaginator
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request) -> int:
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        if len(raw) == 1 and raw[0].isdigit() and 1 <= int(raw[0]) <= self.max_page_size:
            return int(raw[0])
        raise ValidationError({self.page_size_query_param: [
            _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
        ]})

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = PAGE_HELP
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


# Lists that may hold very many rows (the case search) count exactly up to this many;
# past it they say "more than 1 000" (docs/performance.md: counting every match under
# the permission filter was most of a search's time).
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A Django paginator whose count is exact up to `cap` rows. Past that, `capped` is
    True and `count` is one more than the rows up to the asked-for page (at least
    cap + 1), so that page and the next one can be asked for: the database stops
    counting there instead of counting every row."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, wanted: int = 1,
                 counted=None, **kwargs) -> None:
        """counted: a cheaper queryset with as many rows as object_list, to count
        instead of it (e.g. the case search's matching entries, one row per case)."""
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.wanted = max(1, wanted)
        self.counted = counted

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        limit = max(self.cap, self.wanted * self.per_page) + 1
        items = self.object_list if self.counted is None else self.counted
        if hasattr(items, "count_upto"):  # counts itself (registry.selectors.CaseHits)
            found = items.count_upto(limit)
            return found, found >= limit
        if hasattr(items, "order_by"):
            items = items.order_by()  # the order does not change a count
        found = items[:limit].count() if hasattr(items, "count") else len(items[:limit])
        return found, found >= limit

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._counted[0]

    @property
    def capped(self) -> bool:
        """More rows than counted: the count is a lower bound."""
        return self._counted[1]


def wanted_page(raw) -> int:
    """The page number asked for, as far as it is one (for CappedPaginator.wanted)."""
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 7 else 1


class CappedPagination(Pagination):
    """The API's pagination with a CappedPaginator: `count` is exact while
    `count_capped` is false; when true there are more rows than `count` says."""

    counted = None  # the view may set what to count instead (CappedPaginator.counted)

    def paginate_queryset(self, queryset, request, view=None):
        wanted = wanted_page(request.query_params.get(self.page_query_param))
        self.django_paginator_class = functools.partial(
            CappedPaginator, wanted=wanted, counted=self.counted)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"True when there are more than {COUNT_CAP} rows (or more rows "
            "than up to the page asked for): `count` is then a lower bound, counted no "
            "further.",
        }
        result["required"] = [*result.get("required", []), "count_capped"]
        return result
