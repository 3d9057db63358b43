"""The delegated decisions (delegationsbeslut) of an authority, for its staff: the list
with filters and its CSV export, each decision flagged when its decision maker did not
hold the delegation (checked again against the scheme in force on its date), and the
registration of a delegated decision (board/services/delegation.register_decision).

Case titles and decision texts go through the visibility policy's page: a decision in a
case the user may not read shows its public description only, and the page audits what
it shows."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from diarium.board import selectors
from diarium.board.delegation_rules import DecisionData, problems_of, scheme_in_force
from diarium.board.selectors import DelegatedCriteria
from diarium.board.services import delegation
from diarium.board.views.common import one_or_404
from diarium.core import pages, visibility
from diarium.registry import selectors as registry
from diarium.registry.models import Case

LIMIT = 500


def _date(text: str | None):
    try:
        return parse_date(text or "")
    except ValueError:
        return None


def _criteria(params) -> DelegatedCriteria:
    return DelegatedCriteria(
        matter=params.get("matter", ""), case=params.get("case", ""),
        delegate=params.get("delegate", ""), date_from=_date(params.get("from")),
        date_to=_date(params.get("to")), reported=params.get("reported", ""),
        posted=params.get("posted", ""))


def _rows(request: HttpRequest, authority, criteria: DelegatedCriteria) -> list:
    decisions = list(selectors.delegated_decisions(authority.pk, criteria)[:LIMIT])
    view = request.resolver_match.view_name if request.resolver_match else "board"
    with visibility.policy_for(request.user).page(view) as shown:
        readable = shown.readable_cases([d.case for d in decisions])
    for decision in decisions:
        decision.readable = decision.case.pk in readable
        decision.shown_summary = (decision.summary if decision.readable
                                  else decision.public_summary)
        decision.errors, decision.cautions = problems_of(decision)
        decision.report_state = ("reported" if decision.reported_in_id else
                                 "waiting" if decision.matter.must_report else "not_reported")
    return decisions


@login_required
def decisions(request: HttpRequest, authority_id) -> HttpResponse:
    authority = one_or_404(selectors.delegation_authorities(request.user), authority_id)
    criteria = _criteria(request.GET)
    rows = _rows(request, authority, criteria)
    if request.GET.get("format") == "csv":
        return _csv(authority, rows)
    scheme = scheme_in_force(authority.pk, timezone.localdate())
    return render(request, "board/delegated_decisions.html", {
        "authority": authority, "rows": rows, "criteria": criteria, "limit": LIMIT,
        "authorities": selectors.delegation_authorities(request.user),
        "matters": scheme.matters.filter(not_delegable=False) if scheme else [],
        "scheme": scheme, "deciders": selectors.delegation_deciders(authority),
        "query": request.GET.urlencode(), "today": timezone.localdate()},
        status=400 if request.GET.get("from") and criteria.date_from is None else 200)


def _csv(authority, rows: list) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["beslutsdatum", "diarienummer", "punkt", "ärende", "delegat", "beslut",
                     "belopp", "överklagbart", "anmält", "anslaget", "avvikelse",
                     "varning"])
    labels = {"reported": "ja", "waiting": "väntar", "not_reported": "anmäls ej"}
    for d in rows:
        reported = labels[d.report_state]
        if d.reported_in_id:
            reported = f"ja, {d.reported_in.meeting}"
        writer.writerow([
            d.decided_on.isoformat(), d.case.diary_number, d.matter.number, d.matter.title,
            d.decided_by.get_username(), d.shown_summary,
            "" if d.amount is None else str(d.amount), "ja" if d.appealable else "nej",
            reported, "ja" if d.posted else "nej", " ".join(d.errors), " ".join(d.cautions)])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="delegationsbeslut-{authority.code}.csv"')
    return response


@login_required
def register(request: HttpRequest, authority_id) -> HttpResponse:
    """Register a delegated decision in a case of the authority (POST)."""
    authority = one_or_404(selectors.delegation_authorities(request.user), authority_id)
    back = reverse("board:delegated_decisions", args=[authority.pk])
    if request.method != "POST":
        return HttpResponseRedirect(back)
    post = request.POST
    try:
        decision = delegation.register_decision(request.user, _case(request, authority),
                                                _decision_data(post, authority))
    except ValidationError as exc:
        return render(request, "board/refused.html",
                      {"message": pages.error_text(exc), "back": back}, status=400)
    text = _("The delegated decision is registered in %(case)s.") % {
        "case": decision.case.diary_number}
    if decision.warnings:
        messages.warning(request, text + " " + " ".join(decision.warnings))
    else:
        messages.success(request, text)
    return HttpResponseRedirect(back, status=303)


def _case(request: HttpRequest, authority) -> Case:
    number = request.POST.get("case", "")
    try:
        case = registry.get_case_by_number(request.user, number)
    except Case.DoesNotExist:
        raise ValidationError({"case": _("No case %(number)s that you may see.")
                               % {"number": number.strip() or "–"}}) from None
    if case.authority_id != authority.pk:
        raise ValidationError({"case": _("The case belongs to another authority.")})
    return case


def _decision_data(post, authority) -> DecisionData:
    decided_on = _date(post.get("decided_on"))
    if decided_on is None:
        raise ValidationError({"decided_on": _("Give the date of the decision.")})
    chosen = str(post.get("decided_by", ""))
    decider = selectors.delegation_deciders(authority).filter(pk=chosen).first() if (
        chosen.isdigit()) else None
    if decider is None:
        raise ValidationError({"decided_by": _("Choose who made the decision.")})
    amount = None
    if post.get("amount", "").strip():
        try:
            amount = Decimal(post["amount"].replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ValidationError({"amount": _("The amount is not a number.")}) from None
    return DecisionData(
        matter_number=post.get("matter", ""), decided_by=decider, decided_on=decided_on,
        summary=post.get("summary", ""), public_summary=post.get("public_summary", ""),
        amount=amount, appealable=post.get("appealable") == "1")
