"""The inbox: mail that waits for one of the three outcomes (register, keep in order,
not an official document), the mail that got each, messages dropped in as .eml or .msg,
and the functional mailboxes that could not be read lately."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core.errors import TooLarge
from diarium.core.pages import or_404, paginate
from diarium.documents.services import open_content
from diarium.registry import selectors, services
from diarium.registry.forms import PlaceInboxItemForm
from diarium.registry.inbox_forms import DismissForm, KeepInOrderForm, UploadMessageForm
from diarium.registry.models import Direction, InboxSource, InboxStatus
from diarium.registry.views import plan_step
from diarium.registry.views.common import apply_errors

SHOWN_STATUSES = [s for s in InboxStatus.values if s != InboxStatus.NEW]


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", InboxStatus.NEW)
    if status not in InboxStatus.values:
        status = InboxStatus.NEW
    items = selectors.inbox_items(user, status).prefetch_related("inboxfile_set")
    if status != InboxStatus.NEW:
        items = items.order_by("-decided_at")
    authorities = selectors.inbox_authorities(user)
    upload = UploadMessageForm(authorities=authorities) if authorities else None
    return render(request, "registry/inbox.html", {
        "page": paginate(request, items), "status": status,
        "statuses": [(s, InboxStatus(s).label) for s in SHOWN_STATUSES],
        "problems": selectors.mailbox_problems(user), "upload": upload,
    })


@login_required
@require_POST
def inbox_upload(request: HttpRequest) -> HttpResponse:
    """Drop an .eml or .msg file (e.g. saved from Outlook) into an authority's inbox."""
    user = request.user
    authorities = selectors.inbox_authorities(user)
    if not authorities:
        raise PermissionDenied(_("You may not add mail to any inbox."))
    form = UploadMessageForm(request.POST, request.FILES, authorities=authorities)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            item, created = services.receive_message(
                user, form.cleaned_data["authority"], upload.read(), name=upload.name,
                source=InboxSource.UPLOAD)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except TooLarge as exc:
            messages.error(request, _("The message is larger than the limit of %(limit)s "
                                      "MB.") % {"limit": round(exc.limit / 1048576, 1)})
        else:
            if created:
                messages.success(request, _("The message is in the inbox."))
            else:
                messages.info(request, _("The message was already in the inbox: it is not "
                                         "added twice."))
            return redirect("registry:inbox_place", item_id=item.pk)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("registry:inbox")


def _item_page(request, item, form, step=None, keep=None, dismiss=None, status=200):
    return render(request, "registry/inbox_place.html", {
        "item": item, "files": selectors.inbox_files(item), "form": form, "step": step,
        "keep": keep or KeepInOrderForm(), "dismiss": dismiss or DismissForm(),
    }, status=status)


def _place_form(request: HttpRequest, item, data=None) -> PlaceInboxItemForm:
    user = request.user
    series = selectors.registration_series(user).filter(authority_id=item.authority_id)
    initial = {
        "title": item.subject,
        "sender_recipient": item.sender,
        "document_date": timezone.localdate(item.received_at),
    }
    return PlaceInboxItemForm(user, data, initial=initial, series=series)


@login_required
def inbox_place(request: HttpRequest, item_id) -> HttpResponse:
    user = request.user
    item = or_404(selectors.inbox_items(user).get, pk=item_id)
    form = _place_form(request, item, request.POST or None)
    step = None
    if request.method == "POST" and "find_party" not in request.POST and form.is_valid():
        target = form.target_series()
        step = plan_step.review(request.user, form, target.authority_id, target, store_files=False)
        if step is not None and not step.needs_confirmation:
            data = form.document_data(Direction.INCOMING)
            try:
                if form.case is not None:
                    doc = services.place_inbox_item(user, item, form.case, data)
                else:
                    doc = services.place_inbox_item_in_new_case(
                        user, item, target, form.case_data(), data
                    )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Registered as %(number)s.") % {
                    "number": doc.document_number})
                return redirect("registry:case", case_id=doc.case_id)
    return _item_page(request, item, form, step)


@login_required
@require_POST
def inbox_keep(request: HttpRequest, item_id) -> HttpResponse:
    item = or_404(selectors.inbox_items(request.user).get, pk=item_id)
    keep = KeepInOrderForm(request.POST)
    if keep.is_valid():
        try:
            services.keep_inbox_item(request.user, item, keep.cleaned_data["kept_in"],
                                     keep.cleaned_data["record_type"] or None)
        except ValidationError as exc:
            apply_errors(keep, exc)
        else:
            messages.success(request, _("Kept in order in %(place)s: %(subject)s") % {
                "place": keep.cleaned_data["kept_in"], "subject": item.subject})
            return redirect("registry:inbox")
    return _item_page(request, item, _place_form(request, item), keep=keep, status=400)


@login_required
@require_POST
def inbox_dismiss(request: HttpRequest, item_id) -> HttpResponse:
    item = or_404(selectors.inbox_items(request.user).get, pk=item_id)
    dismiss = DismissForm(request.POST)
    if dismiss.is_valid():
        try:
            services.dismiss_inbox_item(request.user, item, dismiss.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(dismiss, exc)
        else:
            messages.success(request, _("Set aside as not an official document: "
                                        "%(subject)s") % {"subject": item.subject})
            return redirect("registry:inbox")
    return _item_page(request, item, _place_form(request, item), dismiss=dismiss, status=400)


@login_required
def inbox_file(request: HttpRequest, item_id, file_id: int) -> FileResponse:
    item = or_404(selectors.inbox_items(request.user, None).get, pk=item_id)
    upload = or_404(selectors.inbox_files(item).get, pk=file_id)
    return FileResponse(
        open_content(upload.content), as_attachment=True, filename=upload.original_name,
        content_type=upload.mime_type,
    )
