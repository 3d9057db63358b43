"""Errors as RFC 9457 problem+json, with field details under `errors`."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from diarium.core.errors import TooLarge

PROBLEM = "application/problem+json"

TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Unauthorized"),
    403: gettext_lazy("Forbidden"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Payload too large"),
    415: gettext_lazy("Unsupported media type"),
    429: gettext_lazy("Too many requests"),
}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The upload is larger than the limit.")
    default_code = "payload_too_large"


def _django_to_drf(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, ObjectDoesNotExist):
        # A selector's DoesNotExist: the record does not exist for this user.
        return exceptions.NotFound()
    if isinstance(exc, TooLarge):
        limit_mb = exc.limit / (1024 * 1024)
        return PayloadTooLarge(
            _("The upload is larger than the limit of %(limit).0f MB.") % {"limit": limit_mb}
        )
    return exc


def exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = _django_to_drf(exc)
    response = drf_handler(exc, context)
    if response is None:
        return None
    problem = {
        "type": "about:blank",
        "title": str(_title(exc, response.status_code)),
        "status": response.status_code,
    }
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = _("Invalid input.")
        problem["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
    elif isinstance(data, dict) and "detail" in data:
        problem["detail"] = str(data["detail"])
    request = context.get("request")
    if request is not None:
        problem["instance"] = request.path
    response.data = problem
    response.content_type = PROBLEM
    return response


def not_found(request: HttpRequest) -> JsonResponse:
    """A path under /api/v1/ that names no resource: a problem, not an HTML page."""
    problem = {"type": "about:blank", "title": _("Not found"), "status": 404,
               "instance": request.path}
    return JsonResponse(problem, status=404, content_type=PROBLEM)


def _title(exc: Exception, code: int) -> str:
    if isinstance(exc, Http404):
        return _("Not found")
    return TITLES.get(code, gettext_lazy("Error"))


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem. Validation errors list messages per field under `errors`."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    instance = serializers.CharField(required=False)
    errors = serializers.DictField(
        required=False,
        help_text="Messages per field (400): a list of strings, or for a nested object, "
        "an object of the same shape.",
    )


DESCRIPTIONS = {
    400: "Invalid input; `errors` holds messages per field.",
    401: "Not authenticated.",
    403: "Authenticated, but the user's roles do not allow this.",
    404: "No such record, or one the user may not see.",
    409: "The Idempotency-Key was used for a different request.",
    413: "The upload is larger than the limit.",
}


def problem_responses(*codes: int) -> dict:
    """extend_schema `responses` entries for the given error status codes."""
    return {
        (code, PROBLEM): OpenApiResponse(ProblemSerializer, description=DESCRIPTIONS.get(code, ""))
        for code in codes
    }
