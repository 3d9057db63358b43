"""Middleware of the staff UI and the API: uploads over the limit are refused before they
are read, and nothing Diarium renders is kept in a browser's or a proxy's cache."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response Diarium renders: pages, API answers,
    downloads and errors. Staff pages and downloads carry secret content, and a shared
    computer's cache or a proxy must never keep a copy. Static files are served before
    this middleware runs (WhiteNoise) and keep their long cache lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response


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
