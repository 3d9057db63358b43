"""Errors as RFC 9457 problem+json, with field details under `errors`.

Everything under /api/ answers in problem+json, including what Django itself refuses before
a view runs (request too large, too many fields, a failed CSRF check, an unknown path, a
server error): the error views at the end of this module are the project's handler400,
handler403, handler404, handler500 and CSRF_FAILURE_VIEW, and keep Django's HTML pages for
everything outside /api/."""

from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from diarium.core.errors import Conflict, TooLarge
from diarium.core.serializers import Serializer

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
    500: gettext_lazy("Server error"),
}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The upload is larger than the limit.")
    default_code = "payload_too_large"


class ConflictProblem(exceptions.ValidationError):
    """A core.errors.Conflict: the errors as for invalid input, with status 409."""

    status_code = status.HTTP_409_CONFLICT


def _django_to_drf(exc: Exception) -> Exception:
    if isinstance(exc, Conflict):
        return ConflictProblem(exc.message_dict if hasattr(exc, "error_dict")
                               else {"non_field_errors": exc.messages})
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, ObjectDoesNotExist):
        # A selector's DoesNotExist: the record does not exist for this user.
        return exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge(_("The request body is larger than the limit."))
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return exceptions.ParseError(_("The request has too many fields or files."))
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


def problem_response(request: HttpRequest, status: int, detail: str = "") -> JsonResponse:
    """A problem+json response outside DRF (middleware, Django's error handlers)."""
    problem = {"type": "about:blank", "title": str(TITLES.get(status, _("Error"))),
               "status": status, "instance": request.path}
    if detail:
        problem["detail"] = detail
    return JsonResponse(problem, status=status, content_type=PROBLEM)


@csrf_exempt  # answers 404 whatever the method: a CSRF failure would hide that
def not_found(request: HttpRequest) -> HttpResponse:
    """A path under /api/v1/ that names no resource: a problem, not an HTML page. A GET of
    a resource path without its final slash is redirected to it, as APPEND_SLASH would."""
    if request.method in ("GET", "HEAD") and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            target = f"{request.path}/" + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(target)
    return problem_response(request, 404)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: Django's refusals (SuspiciousOperation) before or outside a view."""
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return problem_response(request, 413, _("The request body is larger than the limit."))
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return problem_response(request, 400, _("The request has too many fields or files."))
    detail = "" if isinstance(exception, SuspiciousOperation) else str(exception)
    return problem_response(request, 400, detail)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return problem_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return problem_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if not _is_api(request):
        return defaults.server_error(request)
    return problem_response(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. Token clients never meet it (the API's views are exempt and
    check the session's CSRF token themselves); a browser session under /api/ gets JSON."""
    if not _is_api(request):
        return django_csrf_failure(request, reason)
    return problem_response(request, 403, _("CSRF check failed: %(reason)s") % {"reason": reason})


def _title(exc: Exception, code: int) -> str:
    if isinstance(exc, Http404):
        return _("Not found")
    return TITLES.get(code, gettext_lazy("Error"))


class ProblemSerializer(Serializer):
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
