"""Middleware of the staff UI and the API: uploads over the limit are refused before they
are read, a NUL character in the address is refused before any view parses it, and nothing
Diarium renders is kept in a browser's or a proxy's cache."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from diarium.organisation import twofactor
from diarium.organisation.signin_conf import LOCAL_BACKEND


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


class NulRefusalMiddleware:
    """No text stored by Diarium may hold a NUL character (PostgreSQL refuses it in text,
    SQLite would keep it and cut it short elsewhere). Form and serializer text fields check
    this themselves; lookups by code or name in the query string do not, so the address is
    checked once here for every view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            detail = _("The address contains a NUL character, which is never valid here.")
            fields = sorted({name for name, values in request.GET.lists()
                             if "\x00" in name or any("\x00" in v for v in values)})
            return refusal(request, 400, _("Bad request"), detail,
                           errors={name.replace("\x00", "") or "non_field_errors": [detail]
                                   for name in fields} or None)
        return self.get_response(request)


def too_large_response(request: HttpRequest) -> HttpResponse:
    limit_mb = settings.MAX_UPLOAD_BYTES / (1024 * 1024)
    detail = _("The upload is larger than the limit of %(limit).0f MB.") % {"limit": limit_mb}
    return refusal(request, 413, _("Payload too large"), detail)


def refusal(request: HttpRequest, status: int, title: str, detail: str,
            errors: dict[str, list[str]] | None = None) -> HttpResponse:
    """A refusal made before any view runs: problem+json for the API (with the fields at
    fault under `errors`, as the views' own refusals), a page otherwise."""
    if request.path.startswith("/api/"):
        problem = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        if errors:
            problem["errors"] = errors
        return JsonResponse(problem, status=status, content_type="application/problem+json")
    from django.template.loader import render_to_string

    html = render_to_string("web/error.html", {"status": status, "message": detail}, request)
    return HttpResponse(html, status=status)


class TwoFactorMiddleware:
    """With DIARIUM_REQUIRE_2FA_FOR_ADMINS on, a password session of an administrator who
    has not given a second factor (one from before the rule, or before their enrolment) is
    signed out, so the request goes on as anonymous and the login asks for the code or the
    enrolment. Single sign-on sessions are the identity provider's to secure."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (settings.REQUIRE_2FA_FOR_ADMINS and user is not None and user.is_authenticated
                and not user.is_verified()
                and request.session.get(BACKEND_SESSION_KEY) == LOCAL_BACKEND
                and twofactor.is_administrator(user)):
            logout(request)
        return self.get_response(request)
