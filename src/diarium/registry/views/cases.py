"""The case page and what can be done to a case."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.audit.selectors import history_for_case
from diarium.core.pages import error_text, or_404, too_large
from diarium.documents.services import FileTooLarge
from diarium.plan.selectors import process_in_force
from diarium.registry import disposal_selectors as due
from diarium.registry import extensions, history, selectors, services
from diarium.registry.dispatch import selectors as dispatch_selectors
from diarium.registry.disposal_forms import HoldForm, ReleaseHoldForm
from diarium.registry.forms import (
    CaseDocumentForm,
    CloseCaseForm,
    FollowUpForm,
    GrantAccessForm,
    ReassignForm,
    RelateForm,
    VoidForm,
)
from diarium.registry.models import Case, CaseStatus
from diarium.registry.views import plan_step
from diarium.registry.views.common import apply_errors, mark_readable, page
from diarium.registry.visibility import policy_for


@login_required
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    case = or_404(selectors.get_case, request.user, case_id)
    with page(request) as shown:
        if not shown.show_case(case):
            return render(request, "registry/case_secret.html", {"case": case})
        return _case_page(request, case, shown)


def _case_page(request: HttpRequest, case: Case, shown) -> HttpResponse:
    """The page of a case whose content the user may read: its documents (secret ones as
    stubs outside the access group), related cases and history."""
    user = request.user
    documents = list(
        selectors.case_documents(user, case).select_related("rule").prefetch_related("files")
    )
    readable = shown.readable_documents(documents)
    for doc in documents:
        doc.readable = doc.pk in readable
    related = list(selectors.related_cases(user, case))
    mark_readable(shown, related)
    events = history_for_case(case.pk)
    may_manage = selectors.can_manage_case(user, case)
    full_identity = selectors.can_read_identity_numbers(user)
    return render(request, "registry/case_detail.html", {
        "case": case,
        "documents": documents,
        "parties": selectors.case_parties(case),
        "full_identity": full_identity,
        "related": related,
        **_history(request, events, documents, full_identity),
        "may_manage": may_manage,
        **(_quick_forms(case) if may_manage else {}),
        "may_void": selectors.can_void(user, case),
        "may_register": selectors.can_add_to(user, case),
        "may_draft": selectors.can_write_drafts(user, case),
        "close_form": CloseCaseForm(),
        "void_form": VoidForm(),
        "panels": extensions.case_panels(request, case),
        "dispatches": dispatch_selectors.case_dispatches(user, case),
        **_plan_context(user, case),
    })


HISTORY_PAGE = 100  # events per page of a case's history, newest page first


def _history(request: HttpRequest, events, documents: list, full_identity: bool) -> dict:
    """The history in two tabs: the changes (by default) and the reads of secret content
    (every read is audited; shown apart, with counts, so that they do not bury changes).
    Each is counted and paged in the database, the newest events first (a case with a
    thousand events shows its last hundred, oldest of them first)."""
    by_id = {str(d.pk): d for d in documents}
    seen = history.seen_events(events, by_id)
    counts = history.tab_counts(seen)
    reads_tab = request.GET.get("historik") == "lasningar"
    chosen = seen.filter(action=history.READ) if reads_tab else seen.exclude(
        action=history.READ)
    pages = Paginator(chosen.order_by("-occurred_at", "-id"), HISTORY_PAGE)
    pages.__dict__["count"] = counts["reads" if reads_tab else "changes"]  # known already
    shown = pages.get_page(request.GET.get("historik_sida"))
    rows = history.rows(reversed(list(shown.object_list)), by_id,
                        {key for key, d in by_id.items() if d.readable}, full_identity)
    return {"history": rows, "history_tabs": counts, "history_page": shown,
            "reads_tab": reads_tab}


def _quick_forms(case: Case) -> dict:
    return {
        "reassign_form": ReassignForm(case),
        "follow_up_form": FollowUpForm(initial={"follow_up_date": case.follow_up_date}),
        "relate_form": RelateForm(),
        "access_form": GrantAccessForm(case),
    }


def _plan_context(user, case: Case) -> dict:
    may_hold = due.can_hold(user, case.authority_id)
    holds = list(due.holds_on_case(case))
    process = None
    if case.classification_code:
        process = process_in_force(case.authority_id, case.classification_code,
                                   timezone.localdate(case.opened_at))
    return {
        "process": process,
        "show_holds": may_hold or bool(holds),
        "holds": holds,
        "may_hold": may_hold,
        "hold_form": HoldForm(),
        "release_form": ReleaseHoldForm(),
    }


def _case_action(
    request: HttpRequest, case_id, action: Callable[[Case, dict], object], done: str,
    form_class=None,
) -> HttpResponse:
    case = or_404(selectors.get_case, request.user, case_id)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("registry:case", case_id=case.pk)
    try:
        action(case, form.cleaned_data if form else {})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect("registry:case", case_id=case.pk)


@login_required
@require_POST
def case_close(request: HttpRequest, case_id) -> HttpResponse:
    return _case_action(
        request, case_id, lambda c, d: services.close_case(request.user, c, d["note"]),
        _("The case is closed."), CloseCaseForm,
    )


@login_required
@require_POST
def case_reopen(request: HttpRequest, case_id) -> HttpResponse:
    """Reopen; with then=document, go on to register a new document in the case (what a
    closed case offers instead of registering in it unasked)."""
    response = _case_action(
        request, case_id, lambda c, d: services.reopen_case(request.user, c),
        _("The case is reopened."),
    )
    if request.POST.get("then") == "document" and \
            selectors.get_case(request.user, case_id).status == CaseStatus.OPEN:
        return redirect("registry:case_add_document", case_id=case_id)
    return response


@login_required
@require_POST
def case_dormant(request: HttpRequest, case_id) -> HttpResponse:
    return _case_action(
        request, case_id, lambda c, d: services.set_dormant(request.user, c),
        _("The case is set dormant."),
    )


@login_required
@require_POST
def case_void(request: HttpRequest, case_id) -> HttpResponse:
    return _case_action(
        request, case_id, lambda c, d: services.void_case(request.user, c, d["reason"]),
        _("The case is voided."), VoidForm,
    )


@login_required
def case_add_document(request: HttpRequest, case_id) -> HttpResponse:
    """Register an outgoing or drawn-up document in the case."""
    user = request.user
    case = or_404(selectors.get_case, user, case_id)
    if not selectors.can_add_to(user, case):
        if not policy_for(user).case(case).content:
            return render(request, "registry/case_secret.html", {"case": case}, status=403)
        raise PermissionDenied(_("You lack the role needed for this in this authority."))
    if case.status == CaseStatus.CLOSED:
        # Issue 9, finding 8: a new document in a closed case reopens it first, asked.
        messages.error(request, _("The case is closed: reopen it to register a new "
                                  "document in it."))
        return redirect("registry:case", case_id=case.pk)
    form = CaseDocumentForm(request.POST or None, request.FILES or None, user=user,
                            authority_ids=[case.authority_id], staging_key=f"case:{case.pk}")
    step = None
    if request.method == "POST" and "find_party" not in request.POST and form.is_valid():
        try:
            step = plan_step.review(request.user, form, case.authority_id, case.series)
        except FileTooLarge:
            return too_large(request)
        if step is not None and not step.needs_confirmation:
            data = form.document_data(form.cleaned_data["direction"])
            try:
                doc = services.register_stored_document(user, case, data, step.files)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Registered as %(number)s.") % {
                    "number": doc.document_number})
                return redirect("registry:case", case_id=case.pk)
    try:
        plan_step.keep_files(request, form, step)
    except FileTooLarge:
        return too_large(request)
    return render(request, "registry/case_add_document.html", {
        "case": case, "form": form, "step": step})
