"""The URL conf the public API's schema is generated from: the open API alone."""

from django.urls import include, path

urlpatterns = [path("api/public/v1/", include("diarium.public.api_urls"))]
