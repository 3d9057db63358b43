"""The officer's page: mark a case "klar för beslut" to a body."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from diarium.board.models import Body
from diarium.board.services import agenda
from diarium.board.views.common import one_or_404
from diarium.core import pages
from diarium.registry import selectors as registry
from diarium.registry.models import DocumentStatus


@login_required
def mark_ready(request: HttpRequest, case_id) -> HttpResponse:
    case = pages.or_404(registry.get_case, request.user, case_id)
    bodies = Body.objects.filter(authority_id=case.authority_id)
    documents = registry.case_documents(request.user, case).filter(
        status=DocumentStatus.REGISTERED)
    status = 200
    if request.method == "POST":
        body = one_or_404(bodies, request.POST.get("body"))
        report = one_or_404(documents, request.POST.get("report"))
        try:
            agenda.mark_ready(request.user, case, body, report,
                              request.POST.get("proposed_decision", ""))
        except ValidationError as exc:
            messages.error(request, pages.error_text(exc))
            status = 400
        else:
            messages.success(request, _("The case is ready for decision."))
            return HttpResponseRedirect(request.path, status=303)
    return render(request, "board/mark_ready.html", {
        "case": case, "bodies": bodies, "documents": documents,
        "proposals": case.board_proposals.select_related("body")}, status=status)
