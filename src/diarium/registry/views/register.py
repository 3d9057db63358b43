"""Registering an incoming document, in a new or an existing case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from diarium.core.pages import too_large
from diarium.documents.services import FileTooLarge
from diarium.registry import services
from diarium.registry.forms import NewOrExistingCaseForm
from diarium.registry.models import Direction
from diarium.registry.views import plan_step
from diarium.registry.views.common import apply_errors


@login_required
def register_incoming(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = NewOrExistingCaseForm(user, request.POST or None, request.FILES or None,
                                 staging_key="register")
    step = None
    if request.method == "POST" and "find_party" not in request.POST and form.is_valid():
        series = form.target_series()
        try:
            step = plan_step.review(request.user, form, series.authority_id, series)
        except FileTooLarge:
            return too_large(request)
        if step is not None and not step.needs_confirmation:
            data = form.document_data(Direction.INCOMING)
            try:
                if form.case is not None:
                    doc = services.register_stored_document(user, form.case, data, step.files)
                else:
                    doc = services.register_stored_in_new_case(
                        user, series, form.case_data(), data, step.files
                    )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Registered as %(number)s.") % {
                    "number": doc.document_number})
                return redirect("registry:case", case_id=doc.case_id)
    try:
        plan_step.keep_files(request, form, step)
    except FileTooLarge:
        return too_large(request)
    return render(request, "registry/register.html", {"form": form, "step": step})
