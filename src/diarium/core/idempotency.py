"""Idempotency-Key for creates: a retried request gets the first response again.

The key row is inserted first, in the same transaction as the create. A concurrent retry
with the same key waits on the unique (user, key) index until the first commits, fails to
insert, rolls back everything it did, and replays what the first stored. A key used for a
different request is a 409 conflict. Failed requests store nothing, so they may be retried
with the same key."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.models import IdempotencyKey
from diarium.core.transactions import atomic_with_retry

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

PARAMETER = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=False,
    description="A client-chosen key (at most 255 characters). Repeating the request with the "
    "same key and body replays the first response without creating anything; the same key "
    "with another body is answered 409.",
)


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This Idempotency-Key was already used for a different request.")
    default_code = "idempotency_conflict"


class _KeyTaken(Exception):
    pass


def idempotent(request: Request, create: Callable[[], Response]) -> Response:
    """Replay the stored response for the request's key, or create once and store it."""
    return replay(request) or run(request, create)


def replay(request: Request) -> Response | None:
    """The stored response for the request's key; None when there is no key or none stored.
    Raises IdempotencyConflict when the key was used for another request."""
    key = _key(request)
    if key is None:
        return None
    record = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if record is None:
        return None
    if record.fingerprint != fingerprint(request):
        raise IdempotencyConflict()
    return Response(record.response, status=record.status_code, headers={REPLAYED_HEADER: "true"})


def run(request: Request, create: Callable[[], Response]) -> Response:
    """Call create (which must return a Response) in one transaction with the key record."""
    key = _key(request)
    if key is None:
        return create()
    try:
        return _create_once(request, key, create)
    except _KeyTaken:
        stored = replay(request)
        if stored is None:  # the other request rolled back after all: try once more
            return _create_once(request, key, create)
        return stored


@atomic_with_retry
def _create_once(request: Request, key: str, create: Callable[[], Response]) -> Response:
    # A savepoint of its own, so that a failed create leaves no key behind even when an
    # enclosing transaction goes on.
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=request.user, key=key, fingerprint=fingerprint(request),
                    status_code=0, response={},
                )
        except IntegrityError as exc:
            raise _KeyTaken from exc
        response = create()
        record.status_code = response.status_code
        record.response = json.loads(JSONRenderer().render(response.data))
        record.save(update_fields=["status_code", "response"])
        return response


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {HEADER: [_("Use at most 255 printable characters.")]}
        )
    return key


def fingerprint(request: Request) -> str:
    """SHA-256 over method, path and the parsed body (uploaded files by their content), so
    that a multipart body with another boundary still counts as the same request."""
    cached = getattr(request, "_idempotency_fingerprint", None)
    if cached is None:
        data = request.data
        body = {k: data.getlist(k) for k in data} if isinstance(data, QueryDict) else data
        payload = json.dumps(
            [request.method, request.path, body], sort_keys=True, default=_jsonable
        )
        cached = hashlib.sha256(payload.encode()).hexdigest()
        request._idempotency_fingerprint = cached
    return cached


def _jsonable(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return ["file", value.name, value.size, digest.hexdigest()]
    return str(value)
