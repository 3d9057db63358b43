"""Routing of the REST API under /api/v1/. Each app keeps its own serializers and views."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from diarium.archive.api.disposal import ArchiveHoldViewSet, DisposalRunViewSet
from diarium.archive.api.orders import DeliveryViewSet, DipOrderViewSet
from diarium.archive.api.search import ArchiveSearchViewSet
from diarium.archive.api.structure import AgreementViewSet
from diarium.archive.api.structure import SeriesViewSet as ArchiveSeriesViewSet
from diarium.archive.api.views import PackageViewSet
from diarium.core.jobs.api import JobViewSet
from diarium.core.problems import not_found
from diarium.disclosure.api import RequestViewSet
from diarium.organisation.api import AuthorityViewSet
from diarium.organisation.token_api import ApiTokenViewSet
from diarium.plan.api.plan_views import LookupViewSet, PlanVersionViewSet, PlanViewSet, RuleViewSet
from diarium.plan.api.system_views import ChecklistViewSet, SystemViewSet, TemplateViewSet
from diarium.registry.api.case_views import CaseViewSet
from diarium.registry.api.disposal_views import DisposalReportViewSet, HoldViewSet
from diarium.registry.api.document_views import DocumentViewSet
from diarium.registry.api.views import InboxViewSet, PartyViewSet, SeriesViewSet
from diarium.registry.dispatch.api import DispatchViewSet, DistributionListViewSet

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # no `.json` URL variants: ?format= is enough


router = Router()
router.register("authorities", AuthorityViewSet, basename="authority")
router.register("tokens", ApiTokenViewSet, basename="token")
router.register("series", SeriesViewSet, basename="series")
router.register("cases", CaseViewSet, basename="case")
router.register("documents", DocumentViewSet, basename="document")
router.register("parties", PartyViewSet, basename="party")
router.register("inbox", InboxViewSet, basename="inbox")
router.register("dispatches", DispatchViewSet, basename="dispatch")
router.register("distribution-lists", DistributionListViewSet, basename="distribution-list")
router.register("archive/packages", PackageViewSet, basename="archive-package")
router.register("archive/agreements", AgreementViewSet, basename="archive-agreement")
router.register("archive/series", ArchiveSeriesViewSet, basename="archive-series")
router.register("archive/search", ArchiveSearchViewSet, basename="archive-search")
router.register("archive/dip-orders", DipOrderViewSet, basename="archive-dip-order")
router.register("archive/deliveries", DeliveryViewSet, basename="archive-delivery")
router.register("archive/disposal-runs", DisposalRunViewSet, basename="archive-disposal-run")
router.register("archive/holds", ArchiveHoldViewSet, basename="archive-hold")
router.register("holds", HoldViewSet, basename="hold")
router.register("disposal-report", DisposalReportViewSet, basename="disposal-report")
router.register("plans", PlanViewSet, basename="plan")
router.register("plan-versions", PlanVersionViewSet, basename="plan-version")
router.register("plan-rules", RuleViewSet, basename="plan-rule")
router.register("plan-lookup", LookupViewSet, basename="plan-lookup")
router.register("systems", SystemViewSet, basename="system")
router.register("checklist-templates", TemplateViewSet, basename="checklist-template")
router.register("checklists", ChecklistViewSet, basename="checklist")
router.register("jobs", JobViewSet, basename="job")
router.register("requests", RequestViewSet, basename="request")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own: the
    # Content-Security-Policy allows no inline script (web/templates/web/swagger_ui.html).
    path("docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api:schema", template_name="web/swagger_ui.html"), name="docs"),
    *router.urls,
    # Last: every other path, whatever the method, is a 404 problem (core/problems.py).
    re_path(r"^.*$", not_found),
]
