"""Documents written in the case: a new draft, new versions, check-out and check-in,
breaking a lock, fastställ, downloading any version and comparing two."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core.pages import error_text, or_404
from diarium.documents.services import FileTooLarge, open_content
from diarium.registry import selectors, services
from diarium.registry.models import Document
from diarium.registry.version_forms import BreakLockForm, CompareForm, DraftForm, VersionForm
from diarium.registry.views.common import apply_errors, page


def _writable(request: HttpRequest, document_id) -> Document:
    doc = or_404(selectors.get_document, request.user, document_id)
    if not selectors.can_write_document(request.user, doc):
        raise PermissionDenied(_("Only the case's access group may change this document."))
    return doc


def _back(doc: Document) -> HttpResponse:
    return redirect("registry:document", document_id=doc.pk)


def _outcome(request: HttpRequest, doc: Document, action, success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except FileTooLarge as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return _back(doc)


@login_required
def draft_new(request: HttpRequest, case_id) -> HttpResponse:
    user = request.user
    case = or_404(selectors.get_case, user, case_id)
    if not selectors.can_write_drafts(user, case):
        raise PermissionDenied(_("Only the case's access group may write drafts in it."))
    form = DraftForm(request.POST or None, request.FILES or None, case=case,
                     initial={"template": request.GET.get("mall")})
    if request.method == "POST" and form.is_valid():
        template, note = form.cleaned_data["template"], form.cleaned_data["note"]
        try:
            if template is not None:
                made = services.create_from_template(user, case, template,
                                                     form.document_data(), note=note)
                doc, missing = made.document, made.missing
            else:
                doc, missing = services.create_draft(user, case, form.document_data(),
                                                     form.upload(), note=note), []
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Draft %(number)s created.") % {
                "number": doc.document_number})
            if missing:
                messages.warning(request, _(
                    "These fields had no value in the case and are marked in the text: "
                    "%(fields)s") % {"fields": ", ".join(missing)})
            return _back(doc)
    return render(request, "registry/draft_new.html", {"case": case, "form": form})


@login_required
@require_POST
def version_add(request: HttpRequest, document_id) -> HttpResponse:
    doc = _writable(request, document_id)
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(doc)
    return _outcome(request, doc, lambda: services.add_version(
        request.user, doc, form.version_input(), check_in=form.cleaned_data["check_in"]),
        _("The new version is saved."))


@login_required
@require_POST
def document_check_out(request: HttpRequest, document_id) -> HttpResponse:
    doc = _writable(request, document_id)
    return _outcome(request, doc, lambda: services.check_out(request.user, doc),
                    _("The document is checked out to you."))


@login_required
@require_POST
def document_check_in(request: HttpRequest, document_id) -> HttpResponse:
    doc = _writable(request, document_id)
    return _outcome(request, doc, lambda: services.check_in(request.user, doc),
                    _("The document is checked in."))


@login_required
@require_POST
def document_break_lock(request: HttpRequest, document_id) -> HttpResponse:
    doc = or_404(selectors.get_document, request.user, document_id)
    form = BreakLockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for breaking the lock."))
        return _back(doc)
    try:
        services.break_lock(request.user, doc, form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The lock is broken."))
    return _back(doc)


@login_required
@require_POST
def document_finalise(request: HttpRequest, document_id) -> HttpResponse:
    doc = _writable(request, document_id)
    return _outcome(request, doc, lambda: services.finalise(request.user, doc),
                    _("The document is final (fastställd)."))


@login_required
def version_download(request: HttpRequest, version_id) -> FileResponse:
    version = or_404(selectors.get_version, request.user, version_id)
    with page(request) as shown:
        if not shown.show_document(version.document):
            raise Http404
    return FileResponse(open_content(version.content), as_attachment=True,
                        filename=version.original_name, content_type=version.mime_type)


@login_required
def version_compare(request: HttpRequest, document_id) -> HttpResponse:
    doc = or_404(selectors.get_document, request.user, document_id)
    form = CompareForm(request.GET)
    with page(request) as shown:
        if not shown.show_document(doc):
            raise Http404
        versions = {v.pk: v for v in selectors.document_versions(doc)}
        if not form.is_valid() or not {form.cleaned_data["old"],
                                       form.cleaned_data["new"]} <= set(versions):
            raise Http404(_("Choose two versions of the document."))
        old, new = versions[form.cleaned_data["old"]], versions[form.cleaned_data["new"]]
        if old.number > new.number:
            old, new = new, old
        return render(request, "registry/version_diff.html", {
            "document": doc, "case": doc.case, "old": old, "new": new,
            "lines": selectors.version_diff(old, new)})
