"""Registering an incoming document, in a new or an existing case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from diarium.documents.services import FileTooLarge
from diarium.registry import services
from diarium.registry.forms import NewOrExistingCaseForm
from diarium.registry.models import Direction
from diarium.registry.views.common import apply_errors, too_large


@login_required
def register_incoming(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = NewOrExistingCaseForm(user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.document_data(Direction.INCOMING)
        try:
            if form.case is not None:
                doc = services.register_document(user, form.case, data, form.uploads())
            else:
                doc = services.register_in_new_case(
                    user, form.cleaned_data["series"], form.case_data(), data, form.uploads()
                )
        except FileTooLarge:
            return too_large(request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Registered as %(number)s.") % {
                "number": doc.document_number})
            return redirect("registry:case", case_id=doc.case_id)
    return render(request, "registry/register.html", {
        "form": form,
        "files_lost": request.method == "POST" and bool(request.FILES),
    })
