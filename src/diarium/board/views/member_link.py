"""A member's meetings through their personal link, without a login: the upcoming
meetings of their body, each agenda with the documents sent per item (a secret one
marked with its provision) and the member's private note per item. Nothing else: no
staff page, no other body, no earlier meeting. Every page and download counts as a use of
the link and is audited (board/services/member_links.py).

The token is in the address: the pages are never cached and send a Referer to this site
only (same-origin: a link out never carries the token; the note form's POST still passes
the CSRF origin check, which "no-referrer" would fail with Origin: null)."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from diarium.board import selectors
from diarium.board.models import AgendaDocument, AgendaItem, Meeting
from diarium.board.services import member_links
from diarium.board.services.member_links import LinkRefused
from diarium.documents.services import open_content


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request: HttpRequest, exc: LinkRefused) -> HttpResponse:
    return _private(render(request, "board/link_refused.html", {"message": str(exc)},
                           status=403))


def _meeting(link, meeting_id) -> Meeting:
    """A meeting the link opens (404 for any other)."""
    try:
        return selectors.link_meetings(link.member, timezone.localdate()).get(pk=meeting_id)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


@never_cache
def meetings(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = member_links.use(token, "meetings")
    except LinkRefused as exc:
        return _refused(request, exc)
    return _private(render(request, "board/link_meetings.html", {
        "member": link.member, "token": token, "link": link,
        "meetings": selectors.link_meetings(link.member, timezone.localdate())}))


@never_cache
def meeting(request: HttpRequest, token: str, meeting_id) -> HttpResponse:
    try:
        link = member_links.find(token)
    except LinkRefused as exc:
        return _refused(request, exc)
    found = _meeting(link, meeting_id)
    member_links.use(token, "meeting", found)
    items = selectors.agenda_for_member(found)
    for item in items:
        item.note = selectors.link_note_of(link.member, item)
    return _private(render(request, "board/link_meeting.html", {
        "member": link.member, "token": token, "meeting": found, "items": items}))


@never_cache
def document(request: HttpRequest, token: str, attached_id: int) -> HttpResponse:
    try:
        link = member_links.find(token)
    except LinkRefused as exc:
        return _refused(request, exc)
    attached = AgendaDocument.objects.select_related("item", "document").filter(
        pk=attached_id).first()
    if attached is None:
        raise Http404
    _meeting(link, attached.item.meeting_id)
    if attached.left_out_reason:
        raise PermissionDenied
    file = attached.document.files.select_related("content").first()
    if file is None or file.content.content_removed_at is not None:
        raise Http404
    member_links.use(token, "document", attached.document)
    response = FileResponse(open_content(file.content), content_type=file.mime_type,
                            filename=file.original_name)
    response["Cache-Control"] = "no-store, private"
    return _private(response)


@require_POST
def save_note(request: HttpRequest, token: str, item_id) -> HttpResponse:
    try:
        link = member_links.find(token)
    except LinkRefused as exc:
        return _refused(request, exc)
    item = AgendaItem.objects.filter(pk=item_id).select_related("meeting").first()
    if item is None:
        raise Http404
    found = _meeting(link, item.meeting_id)
    member_links.save_note(link, item, request.POST.get("text", ""))
    member_links.use(token, "note", item)
    back = reverse("board:link_meeting", args=[token, found.pk]) + f"#item-{item.pk}"
    return _private(HttpResponseRedirect(back, status=303))

