"""Changing a plan from the UI: importing a file into the draft, adopting the draft."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.plan import selectors, services
from diarium.plan.forms import AdoptForm, ImportForm
from diarium.plan.io.errors import PlanFileError
from diarium.plan.views.common import apply_errors, or_404, staff_view
from diarium.plan.views.plans import sections


def _editable_plan(request: HttpRequest, plan_id):
    plan = or_404(selectors.get_plan, request.user, plan_id)
    if not selectors.can_edit_plan(request.user, plan):
        raise PermissionDenied
    return plan


def _version_url(plan, number: int) -> str:
    return f"{reverse('plan:plan', args=[plan.pk])}?version={number}"


@staff_view
def plan_import(request: HttpRequest, plan_id) -> HttpResponse:
    """Upload CSV, XLSX or JSON: every problem is listed and nothing is imported, or the
    file replaces the content of the plan's draft."""
    plan = _editable_plan(request, plan_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    issues = []
    if request.method == "POST" and form.is_valid():
        try:
            data, fmt = form.data_and_format()
            result = services.import_plan(request.user, plan, data, fmt)
        except PlanFileError as exc:
            issues = exc.issues
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _(
                "Imported into draft version %(n)s (processes: %(processes)s, record types: "
                "%(types)s). Check the draft, then record the board's decision to adopt it.") % {
                "processes": result.processes, "types": result.record_types,
                "n": result.version.number})
            return redirect(_version_url(plan, result.version.number))
    return render(request, "plan/import.html", {
        "plan": plan, "form": form, "issues": issues, "draft": selectors.draft_of(plan),
    }, status=400 if issues else 200)


@require_POST
@staff_view
def plan_adopt(request: HttpRequest, plan_id, number: int) -> HttpResponse:
    plan = _editable_plan(request, plan_id)
    version = or_404(selectors.version_numbered, request.user, plan, number)
    form = AdoptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.adopt_version(request.user, version, decision_date=data["decision_date"],
                                   decision_reference=data["decision_reference"],
                                   valid_from=data["valid_from"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Version %(n)s is adopted.") % {"n": number})
            return redirect(_version_url(plan, number))
    return render(request, "plan/plan.html", {
        "plan": plan, "version": version, "versions": selectors.versions(request.user, plan),
        "sections": sections(version), "summary": selectors.version_summary(version),
        "may_edit": True, "adopt_form": form, "formats": [],
    }, status=400)
