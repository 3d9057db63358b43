"""Page-number pagination for every API list, strict about its parameters.

The rule: a `page_size` that is not a whole number from 1 to the maximum is a 400 with a
field error (DRF would silently fall back to the default), and a page number past the end
or not a number is a 404 problem, documented on every list operation (core/schema.py)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_HELP = ("A page number from 1. A page past the last one, or a value that is not a "
             "number, answers 404.")


class Pagination(PageNumberPagination):
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
