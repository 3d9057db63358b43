"""Staff pages: the list of requests with their clock, a request with the review of each
document, masking, the decision and delivery, and the statistics."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core.jobs.selectors import latest_for
from diarium.core.pages import apply_errors, error_text, or_404, paginate
from diarium.core.visibility import policy_for
from diarium.disclosure import clock, redaction, selectors, services, statistics
from diarium.disclosure.fees import fee_for
from diarium.disclosure.forms import DeliveryForm, MaskForm, ReviewForm
from diarium.disclosure.models import Outcome
from diarium.documents.services import open_content


def _require_staff(request: HttpRequest) -> list:
    ids = selectors.handling_authorities(request.user)
    if not ids:
        raise PermissionDenied(_("You do not handle requests for official documents."))
    return ids


def _page(request: HttpRequest):
    match = request.resolver_match
    return policy_for(request.user).page(match.view_name if match else request.path)


def _clock(req, now):
    req.age = clock.age_hours(req.received_at, req.answered_at or now)
    req.late = clock.is_late(req.due_at, now, req.answered_at)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    qs = selectors.visible_requests(request.user).prefetch_related("items")
    which = request.GET.get("visa", "oppna")
    if which == "oppna":
        qs = qs.filter(answered_at__isnull=True).order_by("due_at")
    listing = paginate(request, qs)
    now = timezone.now()
    for req in listing:
        _clock(req, now)
    may_set = bool(selectors.settable_authorities(request.user))  # the settings' link
    return render(request, "disclosure/list.html",
                  {"page_obj": listing, "which": which, "may_set": may_set})


@login_required
def request_detail(request: HttpRequest, request_id) -> HttpResponse:
    _require_staff(request)
    req = or_404(selectors.get_request, request.user, request_id)
    _clock(req, timezone.now())
    items = selectors.request_items(req)
    with _page(request) as page:
        readable = page.readable_documents([i.document for i in items if i.document_id])
        rows = [{"item": i, "readable": i.document_id is None or i.document_id in readable,
                 "job": latest_for(i, services.MASK_JOB),
                 "form": ReviewForm(initial={"outcome": i.outcome, "provision": i.provision,
                                             "note": i.note}),
                 "copies": selectors.masked_files(i) if i.outcome == Outcome.MASKED
                 else []} for i in items]
        pages = sum(i.pages for i in items if i.outcome in (Outcome.RELEASE, Outcome.MASKED))
        return render(request, "disclosure/detail.html", {
            "req": req, "rows": rows, "delivery_form": DeliveryForm(),
            "deliveries": req.deliveries.all(), "decision": getattr(req, "decision", None),
            "fee": fee_for(pages), "files": services.released_files(req)
            if all(i.outcome != Outcome.PENDING for i in items) else [],
            "pending": any(i.outcome == Outcome.PENDING for i in items),
            "needs_decision": any(i.outcome in (Outcome.REFUSED, Outcome.MASKED)
                                  for i in items)})


def _item(request: HttpRequest, request_id, item_id):
    _require_staff(request)
    item = or_404(selectors.get_item, request.user, item_id)
    if str(item.request_id) != str(request_id):
        raise Http404
    return item


def _back(req_id) -> HttpResponse:
    return redirect(reverse("disclosure:request", args=[req_id]))


@login_required
@require_POST
def item_review(request: HttpRequest, request_id, item_id) -> HttpResponse:
    item = _item(request, request_id, item_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the review: %(e)s") % {"e": form.errors.as_text()})
        return _back(request_id)
    try:
        services.review_item(request.user, item, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The review is saved."))
    return _back(request_id)


@login_required
def item_mask(request: HttpRequest, request_id, item_id) -> HttpResponse:
    """Masks drawn on the pages of every file of the document (a PDF, or an office file's
    PDF/A rendition), one field of lines per file."""
    item = _item(request, request_id, item_id)
    if not selectors.may_read_document(request.user, item.document) or not item.document_id:
        raise Http404
    files = selectors.document_files(item.document)
    form = MaskForm(request.POST or None, files=files, initial=_mask_lines(item, files))
    if request.method == "POST" and form.is_valid():
        try:
            services.request_masking(request.user, item, form.cleaned_data["masks"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The masked copy is being made; it appears here "
                                        "when it is done."))
            return _back(request_id)
    with _page(request) as page:
        if not page.show_document(item.document):
            raise Http404
        sections = [{"position": position, "file": file, "field": form[f"masks_{position}"],
                     "pages": range(1, _page_count(file) + 1)}
                    for position, file in enumerate(files, start=1)]
        return render(request, "disclosure/mask.html", {
            "item": item, "req": item.request, "form": form, "sections": sections},
            status=400 if form.errors else 200)


def _mask_lines(item, files) -> dict[str, str]:
    """The active masks as the form's lines, in the field of their file."""
    positions = {file.pk: position for position, file in enumerate(files, start=1)}
    lines: dict[str, list[str]] = {}
    for copy in selectors.masked_files(item):
        position = positions.get(copy.file_id)
        if position is None:
            continue
        lines.setdefault(f"masks_{position}", []).extend(
            f"{m.page}, {m.left * 100:.2f}, {m.top * 100:.2f}, {m.right * 100:.2f}, "
            f"{m.bottom * 100:.2f}, {m.provision}" for m in copy.masks.all() if m.active)
    return {name: "\n".join(found) for name, found in lines.items()}


def _source_path(file, tmp):
    """The file's PDF (itself or its PDF/A rendition) copied to `tmp`, or None."""
    stored = selectors.pdf_of(file)
    if stored is None:
        return None
    path = tmp / "source.pdf"
    with open_content(stored) as stream:
        path.write_bytes(stream.read())
    return path


def _page_count(file) -> int:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = _source_path(file, Path(tmp))
        if path is None:
            return 0
        try:
            return redaction.page_count(path)
        except redaction.RedactionFailed:
            return 0


@login_required
def item_page_image(request: HttpRequest, request_id, item_id, file_id,
                    page_number: int) -> HttpResponse:
    import tempfile
    from pathlib import Path

    item = _item(request, request_id, item_id)
    with _page(request) as page:
        if item.document_id is None or not page.show_document(item.document):
            raise Http404
        file = selectors.document_file(item.document, file_id)
        if file is None:
            raise Http404
        with tempfile.TemporaryDirectory() as tmp:
            path = _source_path(file, Path(tmp))
            if path is None:
                raise Http404
            try:
                image = redaction.render_page(path, page_number, dpi=100)
            except redaction.RedactionFailed:
                raise Http404 from None
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = "private, max-age=600"
    return response


@login_required
def item_redacted(request: HttpRequest, request_id, item_id, copy_id) -> FileResponse:
    item = _item(request, request_id, item_id)
    with _page(request) as page:
        if item.document_id is None or not page.show_document(item.document):
            raise Http404
        copy = next((c for c in selectors.masked_files(item) if str(c.pk) == str(copy_id)),
                    None)
        if copy is None:
            raise Http404
    return FileResponse(open_content(copy.redacted), as_attachment=True,
                        filename=f"{item.document.document_number} fil {copy.position} "
                                 "(maskerad).pdf".replace("/", "-").replace(":", "-"),
                        content_type="application/pdf")


@login_required
@require_POST
def request_decision(request: HttpRequest, request_id) -> HttpResponse:
    _require_staff(request)
    req = or_404(selectors.get_request, request.user, request_id)
    try:
        decision = services.make_decision(request.user, req)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The decision is registered as %(number)s.") % {
            "number": decision.document.document_number})
    return _back(request_id)


@login_required
@require_POST
def request_deliver(request: HttpRequest, request_id) -> HttpResponse:
    _require_staff(request)
    req = or_404(selectors.get_request, request.user, request_id)
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to deliver."))
        return _back(request_id)
    try:
        _delivery, token = services.deliver(request.user, req, form.cleaned_data["method"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _back(request_id)
    if token:
        messages.success(request, _("Delivered. The link sent: %(url)s") % {
            "url": request.build_absolute_uri(services.link_path(token))})
    else:
        messages.success(request, _("The delivery is logged."))
    return _back(request_id)


@login_required
def request_statistics(request: HttpRequest) -> HttpResponse:
    ids = _require_staff(request)
    months = statistics.monthly(ids)
    top = max([m.received for m in months] + [1])
    hours_top = max([m.p90_hours or 0 for m in months] + [1])
    return render(request, "disclosure/statistics.html", {
        "months": months, "top": top, "hours_top": hours_top})


@login_required
def request_statistics_csv(request: HttpRequest) -> HttpResponse:
    ids = _require_staff(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="begaranden-statistik.csv"'
    writer = csv.writer(response)
    writer.writerow(statistics.CSV_HEADER)
    writer.writerows(statistics.csv_rows(statistics.monthly(ids)))
    return response


@login_required
def authority_settings(request: HttpRequest) -> HttpResponse:
    """How each authority the user registers for takes requests: own series or cases, and
    its target. One form per authority; the service checks the role."""
    from diarium.disclosure.forms import SettingsForm
    from diarium.organisation.models import Authority

    ids = selectors.settable_authorities(request.user)
    if not ids:
        raise PermissionDenied(_("Only registrators and administrators change this."))
    forms_by_authority = []
    for authority in Authority.objects.filter(pk__in=ids).order_by("name"):
        conf = selectors.settings_for(authority.pk)
        initial = {"register_as_case": conf.register_as_case, "series": conf.series_id,
                   "target_working_days": conf.target_working_days}
        posted = request.method == "POST" and request.POST.get("authority") == str(authority.pk)
        form = SettingsForm(request.POST if posted else None, initial=initial,
                            authority=authority, prefix=str(authority.pk)[:8])
        if posted and form.is_valid():
            try:
                services.configure(request.user, authority, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("disclosure:settings"))
        forms_by_authority.append((authority, form))
    return render(request, "disclosure/settings.html", {"forms": forms_by_authority})


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Key in a request that came by phone, letter or at the counter."""
    from diarium.disclosure.forms import StaffRequestForm

    ids = _require_staff(request)
    form = StaffRequestForm(request.POST or None, authority_ids=ids, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        data = services.Submission(
            reply_method=values["reply_method"], documents=values["documents"],
            message=values["message"], authority=values["authority"],
            requester_name=values["requester_name"], email=values["email"] or "",
            postal_address=values["postal_address"], wants_decision=values["wants_decision"])
        try:
            made = services.register_request(request.user, data, values["received_at"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Registered: %(numbers)s") % {
                "numbers": ", ".join(r.number for r in made)})
            return redirect(reverse("disclosure:request", args=[made[0].pk]))
    return render(request, "disclosure/new.html", {"form": form},
                  status=400 if form.errors else 200)
