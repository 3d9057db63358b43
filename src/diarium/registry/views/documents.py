"""The document page, voiding a document, and file downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.audit.selectors import history_for
from diarium.core.pages import error_text, or_404
from diarium.documents.services import open_content
from diarium.organisation.models import User
from diarium.organisation.selectors import access_for
from diarium.registry import disposal_selectors as due
from diarium.registry import (
    disposal_services,
    enforcement,
    history,
    naming,
    processing,
    selectors,
    services,
)
from diarium.registry.dispatch import selectors as dispatch_selectors
from diarium.registry.disposal_forms import (
    HoldForm,
    NoLongerCurrentForm,
    RecordTypeForm,
    ReleaseHoldForm,
)
from diarium.registry.forms import VoidForm
from diarium.registry.models import Direction, Document, DocumentStatus
from diarium.registry.version_forms import BreakLockForm, VersionForm
from diarium.registry.views.common import page
from diarium.registry.views.signatures import signature_context
from diarium.registry.visibility import policy_for


@login_required
def document_detail(request: HttpRequest, document_id) -> HttpResponse:
    user = request.user
    doc = or_404(selectors.get_document, user, document_id)
    with page(request) as shown:
        if not shown.show_document(doc):
            return render(request, "registry/document_secret.html", {"document": doc})
        return _document_page(request, doc)


def _document_page(request: HttpRequest, doc: Document) -> HttpResponse:
    user = request.user
    events = history_for(doc._meta.label_lower, doc.pk).order_by("occurred_at", "id")
    return render(request, "registry/document_detail.html", {
        "document": doc,
        "case": doc.case,
        "history": history.rows(events, {str(doc.pk): doc}, {str(doc.pk)}),
        "may_void": selectors.can_void(user, doc.case),
        "void_form": VoidForm(),
        **plan_context(user, doc),
        **version_context(user, doc),
        **signature_context(user, doc),
        **dispatch_context(user, doc),
    })


def dispatch_context(user: User, doc: Document) -> dict:
    """The dispatches part of the document page (registry/dispatch)."""
    dispatches = list(dispatch_selectors.document_dispatches(user, doc))
    sent = [d.dispatched_at for d in dispatches if d.dispatched_at]
    return {"dispatches": dispatches, "dispatched_at": min(sent) if sent else None,
            "may_dispatch": doc.status == DocumentStatus.REGISTERED
            and doc.direction != Direction.INCOMING and selectors.can_add_to(user, doc.case)
            and policy_for(user).document(doc).content}


def version_context(user: User, doc: Document) -> dict:
    """The versions part of the document page: the list, the lock, and the forms; the
    files' renditions, previews and the jobs that make them."""
    files = list(selectors.document_files(doc))
    renditions = selectors.renditions_of(files)
    latest: dict = {}
    for job in processing.jobs_of(doc):
        latest.setdefault(job.subject_id, job)
    for file in files:
        file.rendition = renditions.get(file.content_id)
        file.job = latest.get(file.content_id)
    may_write = selectors.can_write_document(user, doc)
    return {
        "files": files,
        "may_process_again": may_write and doc.status != DocumentStatus.DISPOSED
        and bool(processing.needs_again(doc)),
        "versions": list(selectors.document_versions(doc)),
        "may_write": may_write,
        "may_break_lock": selectors.can_break_lock(user, doc.case),
        "version_form": VersionForm(initial={"check_in": doc.checked_out_by_id == user.pk}),
        "break_lock_form": BreakLockForm(),
    }


def plan_context(user: User, doc: Document) -> dict:
    """The plan's part of the document page: rule, disposal, holds, warnings, forms."""
    case = doc.case
    may_change = access_for(user).has(case.authority_id, disposal_services.RECORD_TYPE_ROLES)
    type_form = None
    if may_change:
        type_form = RecordTypeForm(
            initial={"record_type": doc.record_type_id}, authority_id=case.authority_id,
            on=timezone.localdate(doc.registered_at),
        )
    return {
        "rule": doc.rule,
        "warnings": enforcement.warnings_for(doc.rule, case.series, direction=doc.direction),
        "held": doc.pk in due.held_document_ids([doc]),
        "holds": due.holds_on_document(doc),
        "may_hold": due.can_hold(user, case.authority_id),
        "hold_form": HoldForm(),
        "release_form": ReleaseHoldForm(),
        "type_form": type_form,
        "current_form": NoLongerCurrentForm(initial={"date": doc.no_longer_current_on})
        if may_change else None,
    }


@login_required
@require_POST
def document_void(request: HttpRequest, document_id) -> HttpResponse:
    doc = or_404(selectors.get_document, request.user, document_id)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("registry:document", document_id=doc.pk)
    try:
        services.void_document(request.user, doc, form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The document is voided."))
    return redirect("registry:document", document_id=doc.pk)


@login_required
def file_download(request: HttpRequest, file_id) -> FileResponse:
    """Stream a document's file; secret content only to those who may read it."""
    item = or_404(selectors.get_document_file, request.user, file_id)
    with page(request) as shown:
        if not shown.show_document(item.document):
            raise Http404
        if item.document.status == DocumentStatus.DISPOSED:
            raise Http404(_("The document is disposed of; its files are destroyed."))
    return FileResponse(
        open_content(item.content), as_attachment=True, filename=naming.file_name(item),
        content_type=item.mime_type,
    )


def _readable_file(request: HttpRequest, file_id):
    """A file whose content the viewer may read (404 otherwise), noted by the policy's
    page: a preview or rendition of a secret file is audited as a read."""
    item = or_404(selectors.get_document_file, request.user, file_id)
    with page(request) as shown:
        if not shown.show_document(item.document):
            raise Http404
        if item.document.status == DocumentStatus.DISPOSED:
            raise Http404(_("The document is disposed of; its files are destroyed."))
    return item


@login_required
def file_preview(request: HttpRequest, file_id) -> FileResponse:
    """An image of one page (?sida=1, 2) of the file's PDF/A rendition."""
    item = _readable_file(request, file_id)
    try:
        number = int(request.GET.get("sida", "1"))
    except ValueError:
        raise Http404 from None
    image = selectors.preview_of(item, number)
    if image is None:
        raise Http404(_("No preview has been made of this page."))
    response = FileResponse(open_content(image), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def file_rendition(request: HttpRequest, file_id) -> FileResponse:
    """The file's PDF/A rendition, named after the original."""
    item = _readable_file(request, file_id)
    content = selectors.rendition_content(item)
    if content is None:
        raise Http404(_("The file has no PDF/A rendition."))
    return FileResponse(open_content(content), as_attachment=True,
                        filename=naming.rendition_name(item), content_type="application/pdf")


@login_required
@require_POST
def document_process_again(request: HttpRequest, document_id) -> HttpResponse:
    doc = or_404(selectors.get_document, request.user, document_id)
    try:
        started = services.process_again(request.user, doc)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The conversion is started again.") if started
                         else _("Nothing to convert again."))
    return redirect("registry:document", document_id=doc.pk)
