"""The words of the kallelse, the minutes and the extracts, section by section (laid out
by board/pdfs.py). `public=True` gives the public kallelse: closed items without title."""

from django.utils.translation import gettext as _

from diarium.board.models import AgendaItem, AttendanceStatus, Meeting, Notice, RemarkKind
from diarium.board.pdfs import Section


def _when(meeting: Meeting) -> str:
    return _("%(date)s at %(time)s, %(place)s") % {
        "date": meeting.date.isoformat(), "time": meeting.time.strftime("%H:%M"),
        "place": meeting.place}


def item_heading(item: AgendaItem, *, public: bool) -> str:
    number = f"§ {item.paragraph}" if item.paragraph else f"{item.position}."
    if item.closed and public:
        return f"{number} " + _("Closed item (not public)")
    title = item.public_title if public else item.title
    if item.case is not None and not (public and item.closed):
        title = f"{title} ({item.case.diary_number})"
    return f"{number} {title}"


def notice_sections(meeting: Meeting, left_out: dict, *, public: bool) -> list[Section]:
    sections = [Section(_("Notice of meeting"), (
        _("%(body)s meets %(when)s.") % {"body": meeting.body.name, "when": _when(meeting)},))]
    for item in meeting.items.order_by("position").select_related("proposal__case"):
        lines = []
        if item.closed:
            lines.append(_("Held behind closed doors; its documents are not published."))
        if not public:
            lines += _reported_lines(item)
        if not (public and item.closed):
            for reason in left_out.get(item.pk, []):
                lines.append(_("Left out: %(what)s") % {"what": reason})
        sections.append(Section(item_heading(item, public=public), tuple(lines)))
    return sections


def _reported_lines(item: AgendaItem) -> list[str]:
    """The delegated decisions reported under the item (anmälan av delegationsbeslut)."""
    return [f"{d.matter.number} {d.summary} ({d.case.diary_number}, "
            f"{d.decided_on.isoformat()})"
            for d in item.reported_decisions.select_related("matter", "case")]


def _attendance_lines(meeting: Meeting) -> tuple[str, ...]:
    lines = []
    for row in meeting.attendance.select_related("member", "serving_for").order_by(
            "member__name"):
        text = f"{row.member} – {row.get_status_display()}"
        if row.serving_for_id:
            text += " " + _("for %(name)s") % {"name": row.serving_for.name}
        lines.append(text)
    return tuple(lines)


def _item_lines(item: AgendaItem) -> list[str]:
    lines = _reported_lines(item)
    lines.append(_("Decision: %(text)s") % {"text": item.decision_text})
    for conflict in item.conflicts.select_related("member"):
        lines.append(_("%(name)s declared a conflict of interest (jäv) and took no part.")
                     % {"name": conflict.member.name})
    votes = list(item.votes.select_related("member"))
    if votes:
        lines.append(_("Vote: ") + "; ".join(f"{v.member.name}: {v.get_choice_display()}"
                                               for v in votes))
        lines.append(_("Outcome: %(text)s") % {"text": item.vote_outcome})
    for remark in item.remarks.select_related("member"):
        label = (_("Reservation") if remark.kind == RemarkKind.RESERVATION
                 else _("Protocol note"))
        lines.append(f"{label}: {remark.member.name}. {remark.text}".strip())
    if item.immediate:
        lines.append(_("The paragraph was justerad immediately."))
    return lines


def minutes_sections(meeting: Meeting, *, public: bool = False) -> list[Section]:
    """The minutes; public: a closed item shows only that it was held behind closed doors
    (no title, no case number, no decision, votes or remarks)."""
    sections = [Section(_("Minutes of the meeting"), (_when(meeting),)),
                Section(_("Attendance"), _attendance_lines(meeting)),
                Section(_("Justerare"), tuple(m.name for m in meeting.adjusters.all()))]
    for item in meeting.items.order_by("position").select_related("proposal__case"):
        if public and item.closed:
            lines: tuple[str, ...] = (_("Held behind closed doors; the decision is not "
                                        "published here."),)
        else:
            lines = tuple(_item_lines(item))
        sections.append(Section(item_heading(item, public=public), lines))
    return sections


def agenda_sections(meeting: Meeting, *, public: bool) -> list[Section]:
    """The agenda (föredragningslista) alone: each item's heading."""
    sections = [Section(_("Agenda"), (_("%(body)s, %(when)s.") % {
        "body": meeting.body.name, "when": _when(meeting)},))]
    for item in meeting.items.order_by("position").select_related("proposal__case"):
        lines = (_("Held behind closed doors."),) if item.closed else ()
        sections.append(Section(item_heading(item, public=public), lines))
    return sections


def agenda_title(meeting: Meeting) -> str:
    return _("Agenda %(body)s %(date)s") % {"body": meeting.body.name,
                                            "date": meeting.date.isoformat()}


def extract_sections(item: AgendaItem, notice: Notice) -> list[Section]:
    meeting = item.meeting
    present = meeting.attendance.filter(status__in=[AttendanceStatus.PRESENT,
                                                    AttendanceStatus.SERVING]).count()
    return [
        Section(item_heading(item, public=False), tuple(_item_lines(item))),
        Section(_("Meeting"), (_when(meeting), _("%(n)s members took part.") % {"n": present})),
        Section(_("Justering"), (
            _("Justerad %(date)s; notice posted %(posted)s; last day to appeal %(last)s.")
            % {"date": notice.justered_on.isoformat(), "posted": notice.posted_on.isoformat(),
               "last": notice.appeal_last_day.isoformat()},)),
    ]


def minutes_title(meeting: Meeting) -> str:
    return _("Minutes %(body)s %(date)s") % {"body": meeting.body.name,
                                             "date": meeting.date.isoformat()}


def notice_title(meeting: Meeting) -> str:
    return _("Notice of meeting %(body)s %(date)s") % {"body": meeting.body.name,
                                                        "date": meeting.date.isoformat()}
