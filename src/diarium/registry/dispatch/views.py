"""Dispatch pages. Staff: dispatch a document (from its page), see a dispatch with each
recipient's outcome and the lists as they were, retry the failed, print the post pages.
Administrators: the authority's distribution lists and outgoing mail settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core import pages
from diarium.core.jobs.models import Job
from diarium.core.pages import error_text, or_404
from diarium.organisation.selectors import administered_authorities, may_administer
from diarium.registry import selectors as registry
from diarium.registry.dispatch import letters, selectors, setup
from diarium.registry.dispatch import services as dispatching
from diarium.registry.dispatch.forms import DispatchForm, DistributionListForm, SettingsForm
from diarium.registry.dispatch.models import DispatchChannel, RecipientState
from diarium.registry.views.common import apply_errors, page


def _shown(request: HttpRequest, doc) -> None:
    """Through the visibility policy's page: refused unless the user may read the
    document's content, and a secret document's read is audited."""
    with page(request) as shown:
        if not shown.show_document(doc):
            raise PermissionDenied(_("Only the case's access group may dispatch this "
                                     "document."))


def _readable_document(request: HttpRequest, document_id):
    doc = or_404(registry.get_document, request.user, document_id)
    _shown(request, doc)
    return doc


def _readable_dispatch(request: HttpRequest, dispatch_id):
    dispatch = or_404(selectors.get_dispatch, request.user, dispatch_id)
    _shown(request, dispatch.document)
    return dispatch


@login_required
def document_dispatch(request: HttpRequest, document_id) -> HttpResponse:
    doc = _readable_document(request, document_id)
    parties = registry.parties(request.user).filter(case_links__case=doc.case).distinct()
    form = DispatchForm(request.POST or None, parties=parties,
                        lists=selectors.usable_lists(request.user, doc.case.authority_id),
                        initial={"parties": list(parties)})
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = _dispatch(request, doc, form)
        except ValidationError as exc:
            pages.apply_errors(form, exc, {"recipients": "others"})
        else:
            return redirect("registry:dispatch", dispatch_id=dispatch.pk)
    return render(request, "registry/dispatch_form.html", {
        "document": doc, "case": doc.case, "form": form,
        "default_subject": letters.default_subject(doc)})


def _dispatch(request: HttpRequest, doc, form: DispatchForm):
    data = form.cleaned_data
    wanted = dispatching.DispatchRequest(recipients=form.recipients(), lists=list(data["lists"]),
                                         subject=data["subject"])
    if data["channel"] == DispatchChannel.POST:
        dispatch = dispatching.dispatch_by_post(request.user, doc, wanted, data["posted_on"])
        messages.success(request, _("Recorded as sent by post. Print the address pages and "
                                    "cover letters."))
    else:
        dispatch = dispatching.dispatch_by_email(request.user, doc, wanted)
        messages.success(request, _("The e-mail is being sent."))
    return dispatch


@login_required
def dispatch_detail(request: HttpRequest, dispatch_id) -> HttpResponse:
    dispatch = _readable_dispatch(request, dispatch_id)
    recipients = list(dispatch.recipients.all())
    return render(request, "registry/dispatch_detail.html", {
        "dispatch": dispatch, "document": dispatch.document, "case": dispatch.document.case,
        "recipients": recipients,
        "jobs": Job.objects.filter(kind=dispatching.SEND, subject_id=str(dispatch.pk))
        .order_by("-created_at"),
        "may_retry": dispatch.channel == DispatchChannel.EMAIL
        and any(r.state == RecipientState.FAILED for r in recipients)
        and registry.can_add_to(request.user, dispatch.document.case),
    })


@login_required
@require_POST
def dispatch_retry(request: HttpRequest, dispatch_id) -> HttpResponse:
    dispatch = or_404(selectors.get_dispatch, request.user, dispatch_id)
    try:
        dispatching.retry(request.user, dispatch)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The failed recipients are sent to again."))
    return redirect("registry:dispatch", dispatch_id=dispatch.pk)


@login_required
def dispatch_print(request: HttpRequest, dispatch_id) -> HttpResponse:
    dispatch = _readable_dispatch(request, dispatch_id)
    if dispatch.channel != DispatchChannel.POST:
        raise PermissionDenied(_("Only a dispatch by post has pages to print."))
    day = timezone.localdate(dispatch.dispatched_at or dispatch.created_at)
    response = HttpResponse(letters.post_pdf(dispatch, day), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="utskick.pdf"'
    return response


# -- administrators ---------------------------------------------------------------------

def _administrator(request: HttpRequest):
    if not may_administer(request.user):
        raise PermissionDenied(_("Only administrators manage distribution lists."))
    return request.user


@login_required
def list_index(request: HttpRequest) -> HttpResponse:
    user = _administrator(request)
    return render(request, "registry/distribution_lists.html", {
        "lists": selectors.administered_lists(user),
        "authorities": administered_authorities(user)})


def _list_form(request: HttpRequest, user, dlist=None) -> DistributionListForm:
    authorities = administered_authorities(user)
    authority = dlist.authority if dlist else authorities.first()
    chosen = request.POST.get("authority") if dlist is None else None
    if chosen:
        authority = authorities.filter(pk=chosen).first() or authority
    initial = {}
    if dlist is not None and dlist.current:
        members = list(dlist.current.members.all())
        initial = {"authority": dlist.authority, "name": dlist.name, "active": dlist.active,
                   "parties": [m.party for m in members if m.kind == "party"],
                   "staff": [m.user for m in members if m.kind == "staff"],
                   "others": "\n".join(_line(m) for m in members
                                       if m.kind not in ("party", "staff"))}
    return DistributionListForm(
        request.POST or None, initial=initial, editing=dlist is not None,
        authorities=authorities, parties=registry.parties(user),
        staff=registry.eligible_officers([authority.pk] if authority else []),
        units=registry.unit_choices(authority) if authority else None)


def _line(member) -> str:
    prefix = "Enhet: " if member.kind == "unit" else ""
    if member.email:
        return f"{prefix}{member.name} <{member.email}>"
    return "; ".join([prefix + member.name, *member.postal_address.splitlines()])


@login_required
def list_edit(request: HttpRequest, list_id=None) -> HttpResponse:
    user = _administrator(request)
    dlist = or_404(selectors.administered_lists(user).get, pk=list_id) if list_id else None
    form = _list_form(request, user, dlist)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = setup.save_list(user, dlist.authority if dlist else data["authority"],
                                    data["name"], form.members(), existing=dlist,
                                    active=data["active"])
        except ValidationError as exc:
            pages.apply_errors(form, exc, {"recipients": "others"})
        else:
            messages.success(request, _("The list %(name)s is saved as version %(n)s.") % {
                "name": saved.name, "n": saved.current.number})
            return redirect("registry:distribution_list", list_id=saved.pk)
    return render(request, "registry/distribution_list_form.html", {
        "form": form, "list": dlist,
        "versions": selectors.list_versions(dlist) if dlist else []})


@login_required
def settings_edit(request: HttpRequest, authority_id) -> HttpResponse:
    user = _administrator(request)
    authority = or_404(administered_authorities(user).get, pk=authority_id)
    found = selectors.settings_of(authority)
    initial = {"port": 587, "security": "starttls",
               "cover_letter": letters.default_cover_letter()}
    if found is not None:
        initial = {k: getattr(found, k) for k in ("host", "port", "security", "username",
                                                  "from_address", "from_name", "cover_letter")}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.save_settings(user, authority, form.data_object(),
                                form.cleaned_data["password"] or None)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The dispatch settings of %(name)s are saved.") % {
                "name": authority.name})
            return redirect("registry:distribution_lists")
    return render(request, "registry/dispatch_settings.html", {
        "form": form, "authority": authority, "password_set": bool(
            found and found.password_sealed)})
