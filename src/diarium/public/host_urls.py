"""The URL conf of the public host name (DIARIUM_PUBLIC_HOST): the public diary at the
root, its open API, the board's notice board and published meetings, the request form
and its delivery links, and nothing of the staff interface."""

from django.urls import include, path

from diarium.disclosure.urls import public_urlpatterns as requests

urlpatterns = [
    path("api/public/v1/", include("diarium.public.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # the language switch
    path("insyn/", include("diarium.public.urls", namespace="public_insyn")),
    path("", include("diarium.board.public_urls")),  # /insyn/anslagstavla/, /insyn/moten/
    path("", include((requests, "disclosure"))),  # /insyn/begar/ and the delivery links
    path("", include("diarium.public.urls")),
]

handler400 = "diarium.public.views.bad_request"
handler403 = "diarium.public.views.permission_denied"
handler404 = "diarium.public.views.page_not_found"
handler500 = "diarium.public.views.server_error"
