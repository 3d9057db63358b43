"""Holds on cases and documents, correcting a document's record type, and finding it no
longer current."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core.pages import error_text, or_404
from diarium.registry import disposal_selectors as due
from diarium.registry import disposal_services, enforcement, selectors
from diarium.registry.disposal_forms import (
    HoldForm,
    NoLongerCurrentForm,
    RecordTypeForm,
    ReleaseHoldForm,
)


def _form_errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


def _place(request: HttpRequest, back: HttpResponse, **target) -> HttpResponse:
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back
    try:
        disposal_services.place_hold(request.user, reason=form.cleaned_data["reason"],
                                     reference=form.cleaned_data["reference"], **target)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The hold is placed: nothing held appears on the "
                                    "disposal report until it is released."))
    return back


@login_required
@require_POST
def case_hold(request: HttpRequest, case_id) -> HttpResponse:
    case = or_404(lambda: due.holdable_cases(request.user).get(pk=case_id))
    return _place(request, redirect("registry:case", case_id=case.pk), case=case)


@login_required
@require_POST
def document_hold(request: HttpRequest, document_id) -> HttpResponse:
    doc = or_404(lambda: due.holdable_documents(request.user).get(pk=document_id))
    return _place(request, redirect("registry:document", document_id=doc.pk), document=doc)


@login_required
@require_POST
def hold_release(request: HttpRequest, hold_id) -> HttpResponse:
    hold = or_404(due.get_hold, request.user, hold_id)
    form = ReleaseHoldForm(request.POST)
    form.is_valid()
    try:
        disposal_services.release_hold(request.user, hold, form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The hold is released."))
    if hold.document_id:
        return redirect("registry:document", document_id=hold.document_id)
    return redirect("registry:case", case_id=hold.case_id)


@login_required
@require_POST
def document_record_type(request: HttpRequest, document_id) -> HttpResponse:
    doc = or_404(selectors.get_document, request.user, document_id)
    back = redirect("registry:document", document_id=doc.pk)
    form = RecordTypeForm(request.POST, authority_id=doc.case.authority_id)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back
    try:
        doc = disposal_services.set_record_type(
            request.user, doc, form.cleaned_data["record_type"] or None
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return back
    messages.success(request, _("The record type is changed."))
    found = enforcement.warnings_for(doc.rule, doc.case.series, direction=doc.direction)
    for warning in found:
        messages.warning(request, warning.message)
    return back


@login_required
@require_POST
def document_no_longer_current(request: HttpRequest, document_id) -> HttpResponse:
    doc = or_404(selectors.get_document, request.user, document_id)
    back = redirect("registry:document", document_id=doc.pk)
    form = NoLongerCurrentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back
    try:
        disposal_services.mark_no_longer_current(request.user, doc, form.cleaned_data["date"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return back
    messages.success(request, _("The disposal date is recomputed."))
    return back
