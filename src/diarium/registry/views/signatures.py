"""Signature pages: ask for signatures on the document page, sign when it is one's turn,
the signer's list "Att signera", one's own signing key, validation on demand, and the
validation reports' downloads. Every write is a service call (registry/services/
signatures.py), which checks the visibility policy and audits it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core.pages import error_text, or_404
from diarium.documents.services import open_content
from diarium.organisation.models import User
from diarium.registry import selectors
from diarium.registry import signature_selectors as signing
from diarium.registry.models import Document
from diarium.registry.services import signatures
from diarium.registry.signature_forms import CancelForm, Pkcs12Form, RequestForm
from diarium.registry.views.common import page


def signature_context(user: User, doc: Document) -> dict:
    """The signatures part of the document page."""
    requests = list(signing.requests_of(doc))
    for request in requests:
        request.next = next((s for s in request.steps.all() if s.state == "waiting"), None)
        request.my_turn = (request.status == "pending" and request.next is not None
                           and request.next.signer_id == user.pk)
    may_ask = (doc.status == "registered" and doc.final_version_id is not None
               and selectors.can_write_document(user, doc))
    return {
        "signature_requests": requests,
        "signature_reports": list(signing.reports_of(doc)[:20]),
        "may_request_signatures": may_ask and not any(r.status == "pending" for r in requests),
        "may_cancel_signatures": selectors.can_write_document(user, doc),
        "request_form": RequestForm(authority_id=doc.case.authority_id) if may_ask else None,
        "cancel_form": CancelForm(),
        "may_validate": bool(signing.reports_of(doc).exists()),
    }


def _back(doc_id) -> HttpResponse:
    return redirect("registry:document", document_id=doc_id)


def _run(request: HttpRequest, action, success: str) -> None:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)


@login_required
@require_POST
def signature_request(request: HttpRequest, document_id) -> HttpResponse:
    doc = or_404(selectors.get_document, request.user, document_id)
    form = RequestForm(request.POST, authority_id=doc.case.authority_id)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(doc.pk)
    if doc.final_version is None:
        raise Http404
    _run(request, lambda: signatures.request_signatures(
        request.user, doc.final_version, form.signers(), level=form.cleaned_data["level"]),
        _("Signatures are requested."))
    return _back(doc.pk)


def _request_of(request: HttpRequest, request_id):
    try:
        return signing.get_request(request.user, request_id)
    except (signing.SignatureRequest.DoesNotExist, Document.DoesNotExist):
        raise Http404 from None


@login_required
@require_POST
def signature_sign(request: HttpRequest, request_id) -> HttpResponse:
    sign_request, doc = _request_of(request, request_id)
    _run(request, lambda: signatures.sign(request.user, sign_request),
         _("You have signed the document."))
    return _back(doc.pk)


@login_required
@require_POST
def signature_cancel(request: HttpRequest, request_id) -> HttpResponse:
    sign_request, doc = _request_of(request, request_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return _back(doc.pk)
    _run(request, lambda: signatures.cancel_signatures(
        request.user, sign_request, form.cleaned_data["reason"]),
        _("The signing request is cancelled."))
    return _back(doc.pk)


@login_required
@require_POST
def signature_validate(request: HttpRequest, document_id) -> HttpResponse:
    doc = or_404(selectors.get_document, request.user, document_id)

    def validate_all() -> None:
        signatures.require_reader(request.user, doc)
        files = signatures.signed_files(doc)
        if not files:
            raise ValidationError(_("The document has no signed PDF."))
        for file in files:
            signatures.validate_file(request.user, file)

    _run(request, validate_all, _("The signatures are validated; see the new report."))
    return _back(doc.pk)


@login_required
def signature_report(request: HttpRequest, report_id, fmt: str) -> FileResponse:
    try:
        report, doc = signing.get_report(request.user, report_id)
    except (signing.ValidationReport.DoesNotExist, Document.DoesNotExist):
        raise Http404 from None
    with page(request) as shown:
        if not shown.show_document(doc):
            raise Http404
    if fmt not in ("pdf", "json"):
        raise Http404
    stored, kind = (report.pdf, "application/pdf") if fmt == "pdf" else (
        report.json_file, "application/json")
    return FileResponse(open_content(stored), as_attachment=True, content_type=kind,
                        filename=f"valideringsrapport-{report.made_at:%Y%m%d-%H%M%S}.{fmt}")


@login_required
def to_sign(request: HttpRequest) -> HttpResponse:
    """Att signera: the documents where it is the user's turn to sign."""
    with page(request) as shown:
        pending = [p for p in signing.pending_for(request.user)
                   if shown.show_document(p.document)]
    return render(request, "registry/to_sign.html", {
        "pending": pending,
        "key": signing.active_key(request.user)})


@login_required
def signer_key(request: HttpRequest) -> HttpResponse:
    """The user's own signing key (a PKCS#12 file; a token is set up by an operator)."""
    form = Pkcs12Form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > signatures.MAX_KEY_FILE:
            messages.error(request, _("The key file is too large."))
        else:
            try:
                signatures.register_pkcs12_key(request.user, request.user, upload.read(),
                                               form.cleaned_data["password"])
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc) if isinstance(
                    exc, ValidationError) else str(exc))
            else:
                messages.success(request, _("Your signing key is registered."))
                return redirect("registry:signer_key")
    return render(request, "registry/signer_key.html", {
        "form": form, "key": signing.active_key(request.user)})
