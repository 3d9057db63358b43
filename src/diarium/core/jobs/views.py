"""Job pages: one job's progress (updated in place by web/static/web/jobs.js, no reload)
and the list of jobs, where administrators find every failed job and retry it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core.pages import error_text, or_404, paginate

from . import kinds, selectors, services
from .access import is_administrator
from .models import JobState


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in JobState.values else ""
    return render(request, "core/jobs.html", {
        "page": paginate(request, selectors.jobs(request.user, state=state)),
        "state": state, "states": JobState.choices,
        "may_retry": is_administrator(request.user), "labels": _labels()})


def _labels() -> dict[str, str]:
    return {name: str(kind.label) for name, kind in kinds.all_kinds().items()}


@login_required
def job_detail(request: HttpRequest, job_id) -> HttpResponse:
    job = or_404(selectors.job, request.user, job_id)
    return render(request, "core/job.html", {
        "job": job, "label": kinds.label(job.kind), "page_link": kinds.link(job),
        "result": kinds.result_rows(job),
        "may_retry": is_administrator(request.user)})


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id) -> HttpResponse:
    job = or_404(selectors.job, request.user, job_id)
    try:
        services.retry(request.user, job)
    except (ValidationError, PermissionDenied) as exc:
        text = error_text(exc) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, _("The job is queued again."))
    return redirect("core:job", job_id=job.pk)
