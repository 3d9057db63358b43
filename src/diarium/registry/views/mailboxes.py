"""Functional mailboxes for administrators (the `administrator` role in the authority, or
superusers): list them with how reading went, set one up, change it (the password is
write-only), and read one now beside the schedule (a job)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core.pages import or_404
from diarium.organisation.selectors import administered_authorities, may_administer
from diarium.registry import selectors
from diarium.registry.inbox_forms import MailboxForm
from diarium.registry.services import mailboxes as services
from diarium.registry.tasks import start_poll
from diarium.registry.views.common import apply_errors


def _administrator(request: HttpRequest):
    if not may_administer(request.user):
        raise PermissionDenied(_("Only administrators set up mailboxes."))
    return request.user


@login_required
def mailbox_list(request: HttpRequest) -> HttpResponse:
    user = _administrator(request)
    return render(request, "registry/mailboxes.html", {
        "mailboxes": selectors.administered_mailboxes(user)})


@login_required
def mailbox_new(request: HttpRequest) -> HttpResponse:
    user = _administrator(request)
    form = MailboxForm(request.POST or None, authorities=administered_authorities(user))
    if request.method == "POST" and form.is_valid():
        try:
            mailbox = services.create_mailbox(user, form.cleaned_data["authority"],
                                              form.data_object(),
                                              form.cleaned_data["password"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The mailbox %(name)s is set up.") % {
                "name": mailbox.name})
            return redirect("registry:mailboxes")
    return render(request, "registry/mailbox_form.html", {"form": form, "mailbox": None})


@login_required
def mailbox_edit(request: HttpRequest, mailbox_id) -> HttpResponse:
    user = _administrator(request)
    mailbox = or_404(selectors.administered_mailboxes(user).get, pk=mailbox_id)
    initial = {"authority": mailbox.authority, "name": mailbox.name, "host": mailbox.host,
               "port": mailbox.port, "security": mailbox.security,
               "username": mailbox.username, "folder": mailbox.folder,
               "done_folder": mailbox.done_folder, "active": mailbox.active}
    form = MailboxForm(request.POST or None, initial=initial, editing=True,
                       authorities=administered_authorities(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_mailbox(user, mailbox, form.data_object(),
                                    form.cleaned_data["password"] or None)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The mailbox %(name)s is changed.") % {
                "name": form.cleaned_data["name"]})
            return redirect("registry:mailboxes")
    return render(request, "registry/mailbox_form.html", {"form": form, "mailbox": mailbox})


@login_required
@require_POST
def mailbox_poll(request: HttpRequest, mailbox_id) -> HttpResponse:
    user = _administrator(request)
    mailbox = or_404(selectors.administered_mailboxes(user).get, pk=mailbox_id)
    job = start_poll(user, mailbox)
    messages.success(request, _("The mailbox %(name)s is being read.") % {"name": mailbox.name})
    return redirect("core:job", job_id=job.pk)
