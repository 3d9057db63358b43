"""The open API under /api/public/v1/ with its own OpenAPI schema and docs page."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from diarium.core.problems import not_found
from diarium.public import api

app_name = "public_api"


class PublicSchema(SpectacularAPIView):
    authentication_classes: list = []
    permission_classes = api.PublicView.permission_classes
    throttle_classes = api.PublicView.throttle_classes
    urlconf = "diarium.public.api_only_urls"
    custom_settings = {
        "TITLE": "Diarium – öppet API för den offentliga diariet",
        "DESCRIPTION": "The public diary of every authority: cases, documents, postlistor "
                       "and the list of registers. No token; rate limited per client. "
                       "Only public fields: a secret registration shows its number, date "
                       "and legal ground.",
        "SCHEMA_PATH_PREFIX": "/api/public/v1",
        "PREPROCESSING_HOOKS": [],
    }


class PublicDocs(SpectacularSwaggerSplitView):
    authentication_classes: list = []
    permission_classes = api.PublicView.permission_classes


urlpatterns = [
    path("schema/", PublicSchema.as_view(), name="schema"),
    path("docs/", PublicDocs.as_view(url_name="public_api:schema",
                                     template_name="web/swagger_ui.html"), name="docs"),
    path("authorities/", api.AuthorityList.as_view(), name="authorities"),
    path("cases/", api.CaseList.as_view(), name="cases"),
    path("cases/<uuid:case_id>/", api.CaseDetail.as_view(), name="case"),
    path("documents/", api.DocumentList.as_view(), name="documents"),
    path("documents/<uuid:document_id>/", api.DocumentDetail.as_view(), name="document"),
    path("postlista/<str:code>/", api.Postlista.as_view(), name="postlista"),
    path("registers/", api.RegisterList.as_view(), name="registers"),
    re_path(r"^.*$", not_found),
]
