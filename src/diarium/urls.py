from django.contrib import admin
from django.urls import include, path

from diarium.web import signin

# The Django admin signs in through Diarium's login (the lockout, the second factor).
admin.site.login = signin.LoginView.as_view()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("diarium.api.urls")),
    path("api/public/v1/", include("diarium.public.api_urls")),
    path("insyn/", include("diarium.public.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("diarium.web.urls")),
    path("", include("diarium.registry.urls")),
    path("", include("diarium.archive.urls")),
    path("", include("diarium.plan.urls")),
    path("", include("diarium.core.jobs.urls")),
    path("", include("diarium.operations.urls")),
    path("", include("diarium.disclosure.urls")),
    path("", include("diarium.board.public_urls")),
    path("", include("diarium.board.urls")),
]

# Under /api/ Django's own refusals answer in problem+json (core/problems.py).
handler400 = "diarium.core.problems.bad_request"
handler403 = "diarium.core.problems.permission_denied"
handler404 = "diarium.core.problems.page_not_found"
handler500 = "diarium.core.problems.server_error"
