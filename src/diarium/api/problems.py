"""Errors as RFC 9457 problem+json, with field details under `errors`."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from diarium.documents.services import FileTooLarge

PROBLEM = "application/problem+json"


def _django_to_drf(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, FileTooLarge):
        err = exceptions.APIException(str(exc))
        err.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        return err
    return exc


def exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = _django_to_drf(exc)
    response = drf_handler(exc, context)
    if response is None:
        return None
    problem = {
        "type": "about:blank",
        "title": _title(exc, response.status_code),
        "status": response.status_code,
    }
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = "Invalid input."
        problem["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
    elif isinstance(data, dict) and "detail" in data:
        problem["detail"] = str(data["detail"])
    response.data = problem
    response.content_type = PROBLEM
    return response


def _title(exc: Exception, code: int) -> str:
    if isinstance(exc, Http404):
        return "Not found"
    return {
        400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
        405: "Method not allowed", 409: "Conflict", 413: "Payload too large",
        415: "Unsupported media type", 429: "Too many requests",
    }.get(code, "Error")
