"""Changing a case after it is opened: the edit page, and the quick actions of the case
page (reassign, follow-up date, add a party, relate a case, grant access). Each change
goes through a registry service, which checks who may make it and audits the values
before and after."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diarium.core.pages import error_text, or_404
from diarium.registry import selectors, services
from diarium.registry.forms import (
    AddPartyForm,
    CaseEditForm,
    FollowUpForm,
    GrantAccessForm,
    PartyFields,
    ReassignForm,
    RelateForm,
)
from diarium.registry.models import Case
from diarium.registry.views.common import apply_errors, page


def _managed_case(request: HttpRequest, case_id) -> Case:
    """The case, if the user may change it (the registry or its responsible officer, who
    both read its content); 404 when it is not visible, 403 when they may not change it."""
    case = or_404(selectors.get_case, request.user, case_id)
    if not selectors.can_manage_case(request.user, case):
        raise PermissionDenied(_("Only the registry or the responsible officer may do this."))
    return case


@login_required
def case_edit(request: HttpRequest, case_id) -> HttpResponse:
    case = _managed_case(request, case_id)
    form = CaseEditForm(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(request.user, case, form.case_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The case is changed."))
            return redirect("registry:case", case_id=case.pk)
    with page(request) as shown:
        if not shown.show_case(case):  # cannot happen for who may manage; never show it
            raise PermissionDenied
        return render(request, "registry/case_edit.html", {"case": case, "form": form})


def _quick(request: HttpRequest, case: Case, form, action: Callable[[dict], object],
           done: str) -> HttpResponse:
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("registry:case", case_id=case.pk)
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect("registry:case", case_id=case.pk)


@login_required
@require_POST
def case_reassign(request: HttpRequest, case_id) -> HttpResponse:
    case = _managed_case(request, case_id)
    return _quick(
        request, case, ReassignForm(case, request.POST),
        lambda d: services.reassign_case(request.user, case, d["responsible_officer"]),
        _("The case has a new responsible officer."),
    )


@login_required
@require_POST
def case_follow_up(request: HttpRequest, case_id) -> HttpResponse:
    case = _managed_case(request, case_id)
    return _quick(
        request, case, FollowUpForm(request.POST),
        lambda d: services.set_follow_up_date(request.user, case, d["follow_up_date"]),
        _("The follow-up date is set."),
    )


@login_required
@require_POST
def case_relate(request: HttpRequest, case_id) -> HttpResponse:
    case = _managed_case(request, case_id)

    def relate(data: dict) -> None:
        try:
            other = selectors.get_case_by_number(request.user, data["diary_number"].upper())
        except Case.DoesNotExist:
            raise ValidationError(_("There is no case with this diary number.")) from None
        try:
            services.relate_cases(request.user, case, other)
        except PermissionDenied:
            raise ValidationError(_("There is no case with this diary number.")) from None

    return _quick(request, case, RelateForm(request.POST), relate,
                  _("The cases are related."))


@login_required
@require_POST
def case_grant_access(request: HttpRequest, case_id) -> HttpResponse:
    case = _managed_case(request, case_id)
    return _quick(
        request, case, GrantAccessForm(case, request.POST),
        lambda d: services.grant_case_access(request.user, case, d["user"]),
        _("The user is added to the case's access group."),
    )


@login_required
def case_add_party(request: HttpRequest, case_id) -> HttpResponse:
    """Add a party: picked from the register or created here. Without JavaScript the
    search button shows the matches on this page; with it they appear as one types."""
    user = request.user
    case = or_404(selectors.get_case, user, case_id)
    if not selectors.can_add_to(user, case):
        raise PermissionDenied(_("You lack the role needed for this in this authority."))
    form = AddPartyForm(request.POST or None, user=user)
    if request.method == "POST" and "find_party" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            if form.picked is not None:
                services.add_party(user, case, form.picked, data["party_role"])
            else:
                services.add_new_party(user, case, form.new_party, data["party_role"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The party is added to the case."))
            return redirect("registry:case", case_id=case.pk)
    # The page shows the case's number only: nothing secret to audit.
    return render(request, "registry/case_add_party.html", {
        "case": case, "form": form,
        "full_identity": selectors.can_read_identity_numbers(user),
    })


@login_required
@require_GET
def party_search(request: HttpRequest) -> HttpResponse:
    """The type-ahead's matches (an htmx fragment): contacts the user may see."""
    form = PartyFields(request.GET, user=request.user)
    return render(request, "registry/_party_results.html", {
        "form": form, "full_identity": selectors.can_read_identity_numbers(request.user),
    })
