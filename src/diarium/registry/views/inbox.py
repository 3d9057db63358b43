"""The inbox: mail received but not yet placed in a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.core.pages import or_404, paginate
from diarium.documents.services import open_content
from diarium.registry import selectors, services
from diarium.registry.forms import PlaceInboxItemForm
from diarium.registry.models import Direction
from diarium.registry.views import plan_step
from diarium.registry.views.common import apply_errors


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    items = selectors.inbox_items(request.user).prefetch_related("inboxfile_set")
    return render(request, "registry/inbox.html", {"page": paginate(request, items)})


@login_required
def inbox_place(request: HttpRequest, item_id) -> HttpResponse:
    user = request.user
    item = or_404(selectors.inbox_items(user).get, pk=item_id)
    series = selectors.registration_series(user).filter(authority_id=item.authority_id)
    initial = {
        "title": item.subject,
        "sender_recipient": item.sender,
        "document_date": timezone.localdate(item.received_at),
    }
    form = PlaceInboxItemForm(user, request.POST or None, initial=initial, series=series)
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
    return render(request, "registry/inbox_place.html", {
        "item": item, "files": selectors.inbox_files(item), "form": form, "step": step,
    })


@login_required
def inbox_file(request: HttpRequest, item_id, file_id: int) -> FileResponse:
    item = or_404(selectors.inbox_items(request.user).get, pk=item_id)
    upload = or_404(selectors.inbox_files(item).get, pk=file_id)
    return FileResponse(
        open_content(upload.content), as_attachment=True, filename=upload.original_name,
        content_type=upload.mime_type,
    )

