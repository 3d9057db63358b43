"""Refuse uploads over the configured limit before reading them."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_BYTES:
            return too_large_response(request)
        return self.get_response(request)


def too_large_response(request: HttpRequest) -> HttpResponse:
    limit_mb = settings.MAX_UPLOAD_BYTES / (1024 * 1024)
    detail = _("The upload is larger than the limit of %(limit).0f MB.") % {"limit": limit_mb}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"type": "about:blank", "title": _("Payload too large"), "status": 413,
             "detail": detail},
            status=413, content_type="application/problem+json",
        )
    from django.template.loader import render_to_string

    html = render_to_string("web/error.html", {"status": 413, "message": detail}, request)
    return HttpResponse(html, status=413)
