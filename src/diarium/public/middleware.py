"""Serves the public diary at the root of its own host name, when DIARIUM_PUBLIC_HOST is
set: requests for that host see only the public URL conf (host_urls.py)."""

from django.conf import settings


class PublicHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = getattr(settings, "PUBLIC_HOST", "")
        if host and request.get_host().split(":")[0].lower() == host.lower():
            request.urlconf = "diarium.public.host_urls"
        return self.get_response(request)
