"""The politician's view: their meetings, each item with its documents, private notes,
and signing the minutes when it is their turn. Read-only apart from notes and signing.

An item's documents are shown to the members of the body it was sent to; a secret one is
marked as such (a member of the board receives the board's secret documents for its
decision, OSL 10:15 does not apply within the authority)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from diarium.board import justering, selectors
from diarium.board.models import AgendaDocument, AgendaItem
from diarium.board.services import member_notes
from diarium.board.views.common import one_or_404, run
from diarium.core import pages
from diarium.documents.services import open_content


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = selectors.member_meetings(request.user, today)
    return render(request, "board/member_meetings.html", {
        "upcoming": meetings.filter(date__gte=today),
        "past": meetings.filter(date__lt=today).order_by("-date")[:20]})


@login_required
def my_meeting(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = pages.or_404(selectors.member_meeting, request.user, meeting_id)
    items = selectors.agenda_for_member(meeting)
    for item in items:
        item.note = selectors.note_of(request.user, item)
    signer = justering.next_signer(meeting) if meeting.status == "justering" else None
    return render(request, "board/member_meeting.html", {
        "meeting": meeting, "items": items,
        "my_turn": signer is not None and signer.user_id == request.user.pk})


@login_required
@require_POST
def save_note(request: HttpRequest, item_id) -> HttpResponse:
    item = one_or_404(AgendaItem.objects.all(), item_id)
    meeting = pages.or_404(selectors.member_meeting, request.user, item.meeting_id)
    back = reverse("board:my_meeting", args=[meeting.pk]) + f"#item-{item.pk}"
    return run(request, back, lambda: member_notes.save_note(
        request.user, item, request.POST.get("text", "")))


@login_required
@require_POST
def sign(request: HttpRequest, meeting_id) -> HttpResponse:
    meeting = pages.or_404(selectors.member_meeting, request.user, meeting_id)
    return run(request, reverse("board:my_meeting", args=[meeting.pk]),
               lambda: justering.sign(request.user, meeting))


@login_required
def document(request: HttpRequest, attached_id) -> FileResponse:
    """A document sent with an item of the member's meeting (its first file)."""
    attached = get_object_or_404(AgendaDocument.objects.select_related("item"), pk=attached_id)
    pages.or_404(selectors.member_meeting, request.user, attached.item.meeting_id)
    if attached.left_out_reason:
        raise PermissionDenied
    file = attached.document.files.select_related("content").first()
    if file is None or file.content.content_removed_at is not None:
        raise Http404
    return FileResponse(open_content(file.content), content_type=file.mime_type,
                        filename=file.original_name)
