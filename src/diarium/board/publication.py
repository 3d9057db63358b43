"""Writing the public side: notices on the notice board and published meetings.

Rule kept: what is written here is public by construction. Only public titles of items
that are not closed are copied; closed items are written as "closed item" with no title;
nothing links back to cases or documents. The public pages read these tables only. The
public kallelse, agenda and (with the notice of justering) minutes are PDFs made from the
public texts only and stored by their SHA-256."""

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.board import deadlines
from diarium.board.models import Meeting, Notice, NoticeKind, PublishedItem, PublishedMeeting
from diarium.documents.services import store_content


def minutes_notice(meeting: Meeting, justered_on: dt.date, posted_on: dt.date,
                   source_id=None) -> Notice:
    """The notice of justerade minutes (or of an item justerad at once, source_id the
    item). Refuses a posting date beyond the legal two days."""
    try:
        deadlines.check_posting_date(justered_on, posted_on)
    except ValueError:
        raise ValidationError({"posted_on": _(
            "The notice must be posted between the day of justering and %(last)s.")
            % {"last": deadlines.latest_posting(justered_on).isoformat()}}) from None
    period = deadlines.notice_period(posted_on)
    body = meeting.body
    if source_id is None:
        publish_minutes(meeting)
    notice, _created = Notice.objects.update_or_create(
        kind=NoticeKind.MINUTES, source_id=source_id or meeting.pk, defaults={
            "authority_name": body.authority.name, "body_name": body.name,
            "meeting_date": meeting.date, "justered_on": justered_on,
            "minutes_kept_at": body.minutes_kept_at or body.authority.name,
            "posted_on": posted_on, "appeal_last_day": period.appeal_last_day,
            "taken_down_on": period.taken_down})
    return notice


def delegation_notice(decision, posted_on: dt.date) -> Notice:
    """The notice of a delegated decision that is not reported to the board."""
    period = deadlines.notice_period(posted_on)
    authority = decision.case.authority
    return Notice.objects.create(
        kind=NoticeKind.DELEGATION, source_id=decision.pk, authority_name=authority.name,
        body_name=authority.name, description=decision.public_summary,
        justered_on=None, minutes_kept_at=authority.name, meeting_date=decision.decided_on,
        posted_on=posted_on, appeal_last_day=period.appeal_last_day,
        taken_down_on=period.taken_down)


def publish_meeting(meeting: Meeting, notice_pdf: str, agenda_pdf: str = ""
                    ) -> PublishedMeeting:
    """The public kallelse: the agenda's public titles, closed items without them; the
    public kallelse and agenda PDFs (storage keys) made from the public texts only."""
    body = meeting.body
    published, _created = PublishedMeeting.objects.update_or_create(
        meeting_id=meeting.pk, defaults={
            "authority_name": body.authority.name, "body_name": body.name,
            "date": meeting.date, "time": meeting.time, "place": meeting.place,
            "notice_pdf": notice_pdf, "agenda_pdf": agenda_pdf,
            "published_at": timezone.now()})
    published.items.all().delete()
    PublishedItem.objects.bulk_create([
        PublishedItem(meeting=published, position=item.position, closed=item.closed,
                      title="" if item.closed else (item.public_title or item.title))
        for item in meeting.items.order_by("position")])
    return published


def publish_minutes(meeting: Meeting) -> PublishedMeeting | None:
    """The public version of the justerade minutes, written with their notice: public
    titles only, a closed item as "closed item" without its title, case number, decision,
    votes or remarks (board/texts.minutes_sections(public=True)). None when the meeting's
    kallelse was never published."""
    from diarium.board import layouts
    from diarium.board.texts import minutes_title

    published = PublishedMeeting.objects.filter(meeting_id=meeting.pk).first()
    if published is None:
        return None
    data = layouts.minutes_pdfa(meeting, minutes_title(meeting), public=True)
    stored = store_content(io.BytesIO(data), mime_type="application/pdf")
    published.minutes_pdf = stored.sha256
    published.save(update_fields=["minutes_pdf"])
    return published
