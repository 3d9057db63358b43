"""The disposal pages (gallring) for the authority's archivists and administrators: the
lists, drawing one up, a list with its items, the second person's decision, execution,
the certificate, and holds on archived packages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.archive import disposal, naming
from diarium.archive.disposal import access
from diarium.archive.disposal.forms import DecisionForm, PackageHoldForm, ReleaseForm, RunForm
from diarium.archive.models import ItemState, RunState
from diarium.archive.tasks import start_disposal
from diarium.archive.views import shown_page
from diarium.core.pages import apply_errors, error_text, or_404, paginate
from diarium.documents.services import open_content


def _require(request: HttpRequest) -> None:
    if not access.may_dispose(request.user):
        raise PermissionDenied(_("Only archivists and administrators handle disposal."))


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = RunForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = disposal.create_run(request.user, data["authority"], due_on=data["due_on"],
                                      record_type=data["record_type"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Disposal list %(list)s is drawn up. Another archivist "
                                        "or administrator approves it.") % {"list": run.label})
            return redirect("archive:disposal_run", run_id=run.pk)
    return render(request, "archive/disposal_runs.html", {
        "form": form, "page": paginate(request, access.runs(request.user))})


@login_required
def run_detail(request: HttpRequest, run_id) -> HttpResponse:
    _require(request)
    run = or_404(access.get_run, request.user, run_id)
    state = request.GET.get("state", "")
    shown = access.items(run, state if state in ItemState.values else None)
    return render(request, "archive/disposal_run.html", {
        "run": run, "counts": access.counts(run), "job": access.latest_job(run),
        "record_type": access.record_type_name(run),
        "page": paginate(request, shown.select_related("record"), 100),
        "state": state, "states": ItemState.choices,
        "may_decide": run.state == RunState.PROPOSED and run.created_by_id != request.user.pk,
        "may_execute": run.state in (RunState.APPROVED, RunState.EXECUTING),
        "decision_form": DecisionForm()})


@login_required
@require_POST
def run_decide(request: HttpRequest, run_id) -> HttpResponse:
    _require(request)
    run = or_404(access.get_run, request.user, run_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("decision") == "reject":
                disposal.reject(request.user, run, data["note"])
                messages.success(request, _("The list is rejected."))
            else:
                disposal.approve(request.user, run, data["decision_reference"], data["note"])
                messages.success(request, _("The list is approved."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    return redirect("archive:disposal_run", run_id=run.pk)


@login_required
@require_POST
def run_execute(request: HttpRequest, run_id) -> HttpResponse:
    _require(request)
    run = or_404(access.get_run, request.user, run_id)
    try:
        disposal.check_executable(request.user, run)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("archive:disposal_run", run_id=run.pk)
    start_disposal(request.user, run)
    messages.info(request, _("The list is queued for execution; its progress is shown "
                             "below."))
    return redirect("archive:disposal_run", run_id=run.pk)


@login_required
def certificate(request: HttpRequest, run_id, fmt: str) -> FileResponse:
    _require(request)
    run = or_404(access.get_run, request.user, run_id)
    stored = {"pdf": run.certificate_pdf, "json": run.certificate_json}.get(fmt)
    if stored is None:
        raise Http404
    name = f"gallringsbevis-{run.authority.code}-{run.year}-{run.number}.{fmt}"
    return FileResponse(open_content(stored), as_attachment=True, filename=name,
                        content_type=stored.mime_type)


@login_required
def holds(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = PackageHoldForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disposal.place_hold(request.user, data["package"], data["reason"], data["reference"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The package is held."))
            return redirect("archive:disposal_holds")
    page = paginate(request, access.holds(request.user))
    page.object_list = list(page.object_list)
    with shown_page(request) as shown:
        naming.name_packages(shown, [hold.package for hold in page.object_list])
        return render(request, "archive/disposal_holds.html", {"form": form, "page": page})


@login_required
@require_POST
def hold_release(request: HttpRequest, hold_id) -> HttpResponse:
    _require(request)
    hold = or_404(access.get_hold, request.user, hold_id)
    form = ReleaseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        disposal.release_hold(request.user, hold, note)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The hold is released."))
    return redirect("archive:disposal_holds")
