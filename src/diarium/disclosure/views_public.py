"""The public's pages: the request form (/insyn/begar/) and the download link's page.

Nothing here reads staff data: documents are named through the public projection
(selectors.public_documents), and a link shows only the files logged for its delivery."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from diarium.core.pages import apply_errors
from diarium.disclosure import selectors, services
from diarium.disclosure.forms import RequestForm, started_token
from diarium.disclosure.selectors import PublicEntry, Unavailable
from diarium.documents.models import StoredFile
from diarium.documents.services import open_content


def _client(request: HttpRequest) -> str:
    return services.client_key(request.META.get("REMOTE_ADDR", ""))


@never_cache
def request_form(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    values = source.getlist("document")
    if len(values) > services.MAX_ITEMS:
        return render(request, "disclosure/public_error.html", {
            "message": _("Ask for at most %(n)s documents at a time.") % {
                "n": services.MAX_ITEMS}}, status=400)
    found = selectors.public_documents(values)
    entries = [e for e in found if isinstance(e, PublicEntry)]
    unavailable = [e for e in found if isinstance(e, Unavailable)]
    if request.method != "POST":
        form = RequestForm(initial={"started": started_token()})
        return _form_page(request, form, entries, unavailable)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, entries, unavailable, status=400)
    if form.spam():
        return render(request, "disclosure/public_error.html", {"message": _(
            "The form could not be accepted. Wait a moment, reload the page and send it "
            "again.")}, status=400)
    key = _client(request)
    if services.too_many(key):
        return render(request, "disclosure/public_error.html", {"message": _(
            "Too many requests from your connection in the last hour. Try again later, or "
            "call or write to the authority.")}, status=429)
    data = services.Submission(
        reply_method=form.cleaned_data["reply_method"], documents=entries,
        message=form.cleaned_data["message"], authority=form.cleaned_data["authority"],
        requester_name=form.cleaned_data["requester_name"],
        email=form.cleaned_data["email"], postal_address=form.cleaned_data["postal_address"],
        wants_decision=form.cleaned_data["wants_decision"])
    try:
        made = services.submit_request(data, client_key=key)
    except ValidationError as exc:
        apply_errors(form, exc)
        return _form_page(request, form, entries, unavailable, status=400)
    return render(request, "disclosure/public_received.html", {"requests": made})


def _form_page(request, form, entries, unavailable, status: int = 200) -> HttpResponse:
    form.describe()
    return render(request, "disclosure/public_form.html", {
        "form": form, "entries": entries, "unavailable": unavailable}, status=status)


def _delivery(token: str):
    try:
        return services.open_delivery(token)
    except LookupError:
        raise Http404(_("There is no such link.")) from None
    except TimeoutError:
        return None


@never_cache
def download(request: HttpRequest, token: str) -> HttpResponse:
    delivery = _delivery(token)
    if delivery is None:
        return render(request, "disclosure/public_error.html", {"message": _(
            "The link has expired. Ask the authority to send the documents again.")},
            status=410)
    return render(request, "disclosure/public_download.html", {
        "delivery": delivery, "files": list(enumerate(delivery.files)), "token": token,
        "now": timezone.now()})


@never_cache
def download_file(request: HttpRequest, token: str, index: int) -> FileResponse:
    delivery = _delivery(token)
    if delivery is None:
        raise Http404(_("The link has expired."))
    if not 0 <= index < len(delivery.files):
        raise Http404
    entry = delivery.files[index]
    stored = StoredFile.objects.filter(sha256=entry["sha256"],
                                       content_removed_at__isnull=True).first()
    if stored is None:
        raise Http404(_("The file is no longer kept."))
    services.count_download(delivery, index)
    return FileResponse(open_content(stored), as_attachment=True, filename=entry["name"],
                        content_type=entry["mime_type"])
