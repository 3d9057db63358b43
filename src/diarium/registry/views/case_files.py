"""The digital case file (digital akt) of a case: download it as one PDF/A, or register it
in the case (registry/services/case_files.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core.pages import error_text, or_404
from diarium.documents.services import FileTooLarge
from diarium.registry import selectors
from diarium.registry.services import case_files


@login_required
def case_file_download(request: HttpRequest, case_id) -> HttpResponse:
    case = or_404(selectors.get_case, request.user, case_id)
    try:
        made = case_files.make_case_file(request.user, case)
    except PermissionDenied:
        raise Http404 from None
    response = HttpResponse(made.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case_files.file_name(case)}"'
    return response


@login_required
@require_POST
def case_file_register(request: HttpRequest, case_id) -> HttpResponse:
    case = or_404(selectors.get_case, request.user, case_id)
    try:
        doc = case_files.register_case_file(request.user, case)
    except (ValidationError, FileTooLarge) as exc:
        messages.error(request, error_text(exc) if isinstance(exc, ValidationError)
                       else str(exc))
        return redirect("registry:case", case_id=case.pk)
    messages.success(request, _("The case file is registered as %(number)s.")
                     % {"number": doc.document_number})
    return redirect("registry:document", document_id=doc.pk)
