"""The archivist's pages: upload a package, the list of packages, a package's page with its
receipt, copies, events and file inventory."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from diarium.archive import naming, selectors
from diarium.archive.api.views import receipt
from diarium.archive.forms import UploadForm
from diarium.archive.models import Package, PackageDescription, PackageState
from diarium.archive.tasks import start_ingest
from diarium.core import visibility
from diarium.core.jobs.selectors import latest_for
from diarium.core.pages import apply_errors, or_404, paginate

MAX_FINDINGS = 200
MAX_RECORDS = 500


def shown_page(request: HttpRequest) -> visibility.Page:
    """The visibility policy's page of this request: it audits the secret (restricted)
    content the page is told it shows."""
    return visibility.policy_for(request.user).page(request.resolver_match.view_name)


def require_archivist(request: HttpRequest) -> None:
    if not selectors.is_archivist(request.user):
        raise PermissionDenied(_("Only archivists may use the e-archive."))


@login_required
def packages(request: HttpRequest) -> HttpResponse:
    require_archivist(request)
    user = request.user
    form = UploadForm(user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_ingest(user, upload=form.cleaned_data["package"],
                               agreement=form.cleaned_data["agreement"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.info(request, _("The package is queued for ingest; its progress is "
                                     "shown below."))
            return redirect("core:job", job_id=job.pk)
    items = selectors.packages(user)
    state = request.GET.get("state", "")
    if state in PackageState.values:
        items = items.filter(state=state)
    page = paginate(request, items)
    page.object_list = list(page.object_list)
    with shown_page(request) as shown:
        naming.name_packages(shown, page.object_list)
        return render(request, "archive/packages.html", {
            "form": form, "page": page, "states": PackageState.choices, "state": state})


@login_required
def package_detail(request: HttpRequest, package_id) -> HttpResponse:
    require_archivist(request)
    package = or_404(selectors.package_detail, request.user, package_id)
    findings = (package.report or {}).get("findings", [])
    order = {"ERROR": 0, "WARN": 1, "INFO": 2}
    findings = sorted(findings, key=lambda f: order.get(f.get("severity"), 3))
    language = getattr(request, "LANGUAGE_CODE", "sv")
    records = list(package.records.all()[:MAX_RECORDS])
    with shown_page(request) as shown:
        shown.note(selectors.restricted_shown([package], records))
        naming.name_packages(shown, [package])
        return render(request, "archive/package_detail.html", {
            **_package_context(request, package, findings, records),
            "english": language == "en",
        })


def _package_context(request: HttpRequest, package: Package, findings: list,
                     records: list) -> dict:
    return {
        "package": package,
        "findings": findings[:MAX_FINDINGS],
        "more_findings": max(0, len(findings) - MAX_FINDINGS),
        "error_count": sum(1 for f in findings if f.get("severity") == "ERROR"),
        "copies": package.copies.select_related("location"),
        "events": package.events.select_related("location", "actor"),
        "files": paginate(request, package.files.all(), 100),
        "job": latest_for(package),
        "description": PackageDescription.objects.filter(package=package).select_related(
            "series").first(),
        "records": records,
        "record_count": package.records.count(),
        "orders": package.dip_orders.select_related("ordered_by")[:20],
        "cases": package.archived_cases.all(),
    }


@login_required
def package_receipt(request: HttpRequest, package_id) -> HttpResponse:
    require_archivist(request)
    package = or_404(selectors.package_detail, request.user, package_id)
    with shown_page(request) as shown:
        shown.note(selectors.restricted_shown([package]))
        body = json.dumps(receipt(package), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-{package.pk}.json"'
    return response
