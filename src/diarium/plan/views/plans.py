"""Reading the plan: the list of plans, one plan version as a page, its exports, and
"Vad gör jag med …?"."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.plan import lookup, selectors, services
from diarium.plan.forms import AdoptForm, LookupForm
from diarium.plan.models import Plan, PlanVersion, Process, RecordType, RecordTypeRule
from diarium.plan.views.common import or_404, staff_view

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
}


@dataclass
class Section:
    """A process of the classification and the record types filed under it."""

    process: Process
    rules: list[RecordTypeRule] = field(default_factory=list)

    @property
    def level(self) -> int:
        return self.process.level


def sections(version: PlanVersion) -> list[Section]:
    """Processes in code order; level-3 processes without record types are left out."""
    by_id = {p.pk: Section(p) for p in selectors.processes(version)}
    for rule in selectors.rules(version):
        by_id[rule.process_id].rules.append(rule)
    return [s for s in by_id.values() if s.level < 3 or s.rules]


@staff_view
def plan_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plans = sorted(selectors.visible_plans(request.user),
                   key=lambda p: (not p.is_base, p.name.casefold()))
    rows = [(plan, selectors.shown_version(request.user, plan, today)) for plan in plans]
    return render(request, "plan/index.html", {
        "rows": rows, "lookup_form": LookupForm(request.user),
    })


def chosen_version(request: HttpRequest, plan: Plan) -> PlanVersion | None:
    """?version=N, else the version shown by default."""
    number = request.GET.get("version", "")
    if number:
        if not number.isdigit():
            raise Http404
        return or_404(selectors.version_numbered, request.user, plan, int(number))
    return selectors.shown_version(request.user, plan, timezone.localdate())


@staff_view
def plan_page(request: HttpRequest, plan_id) -> HttpResponse:
    user = request.user
    plan = or_404(selectors.get_plan, user, plan_id)
    version = chosen_version(request, plan)
    in_force = (selectors.version_in_force(plan.authority_id, timezone.localdate())
                if plan.authority_id else selectors.latest_adopted(plan))
    may_edit = selectors.can_edit_plan(user, plan)
    lookup_form = LookupForm(user, initial={"authority": plan.authority}) \
        if plan.authority_id else None
    return render(request, "plan/plan.html", {
        "plan": plan, "version": version, "in_force": in_force,
        "versions": selectors.versions(user, plan),
        "sections": sections(version) if version else [],
        "summary": selectors.version_summary(version) if version else "",
        "may_edit": may_edit,
        "adopt_form": AdoptForm() if may_edit and version and not version.is_adopted else None,
        "lookup_form": lookup_form, "formats": list(CONTENT_TYPES),
    })


@staff_view
def plan_export(request: HttpRequest, plan_id) -> HttpResponse:
    plan = or_404(selectors.get_plan, request.user, plan_id)
    fmt = request.GET.get("format", "csv")
    version = chosen_version(request, plan)
    if fmt not in CONTENT_TYPES or version is None:
        raise Http404
    data = selectors.export_version(request.user, version, fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = f"{plan.authority.code if plan.authority_id else 'plan'}-v{version.number}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=fmt != "pdf", filename=f"informationshanteringsplan-{name}")
    return response


@staff_view
def what_to_do(request: HttpRequest) -> HttpResponse:
    """"Vad gör jag med …?": answers from the chosen authority's plan in force today."""
    form = LookupForm(request.user, request.GET or None)
    hits, authority, version = None, None, None
    if form.is_valid():
        authority = form.cleaned_data["authority"] or form.fields["authority"].initial
        if authority is not None:
            today = timezone.localdate()
            version = selectors.version_in_force(authority.pk, today)
            hits = lookup.what_to_do(authority.pk, form.cleaned_data["q"], today)
    return render(request, "plan/lookup.html", {
        "form": form, "hits": hits, "authority": authority, "version": version,
        "plan": version.plan if version else None,
    })


@staff_view
@require_POST
def record_type_publishable(request: HttpRequest, plan_id, record_type_id) -> HttpResponse:
    """Publish a record type's files in the public diary, or stop (docs/public.md)."""
    plan = or_404(selectors.get_plan, request.user, plan_id)
    record_type = get_object_or_404(RecordType, pk=record_type_id)
    publishable = request.POST.get("publishable") == "1"
    try:
        services.set_publishable(request.user, record_type, publishable)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Its files are published in the public diary.")
                         if publishable else _("Its files are no longer published."))
    return redirect(f"{reverse('plan:plan', args=[plan.pk])}#rule-{record_type.pk}")
