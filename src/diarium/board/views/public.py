"""The public notice board (anslagstavla) and the published meetings, without login.

These views read the public tables only (board/models/public.py) and nothing else."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from diarium.board import selectors
from diarium.board.models import PublishedMeeting
from diarium.documents.models import StoredFile
from diarium.documents.services import open_content


def notice_board(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "board/public_notices.html", {
        "notices": selectors.current_notices(today), "today": today, "archive": False})


def notice_archive(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "board/public_notices.html", {
        "notices": selectors.archived_notices(today), "today": today, "archive": True})


def meetings(request: HttpRequest) -> HttpResponse:
    return render(request, "board/public_meetings.html",
                  {"meetings": selectors.published_meetings()})


def meeting(request: HttpRequest, published_id) -> HttpResponse:
    found = get_object_or_404(PublishedMeeting, pk=published_id)
    items = list(found.items.all())
    return render(request, "board/public_meeting.html", {
        "meeting": found, "items": items, "has_closed": any(i.closed for i in items)})


# The public PDFs of a meeting: what each is called and the field holding its key.
PDFS = {"kallelse": "notice_pdf", "dagordning": "agenda_pdf", "protokoll": "minutes_pdf"}


def meeting_notice_pdf(request: HttpRequest, published_id) -> FileResponse:
    return meeting_pdf(request, published_id, "kallelse")


def meeting_pdf(request: HttpRequest, published_id, which: str) -> FileResponse:
    """The public kallelse, agenda or justerade minutes (closed items withheld)."""
    found = get_object_or_404(PublishedMeeting, pk=published_id)
    key = getattr(found, PDFS[which], "") if which in PDFS else ""
    stored = StoredFile.objects.filter(sha256=key, content_removed_at__isnull=True
                                       ).first() if key else None
    if stored is None:
        raise Http404
    name = f"{which}-{found.date.isoformat()}.pdf"
    return FileResponse(open_content(stored), content_type="application/pdf",
                        filename=name)
