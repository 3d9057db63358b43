"""Who takes part: the voting members of a meeting and the participants of an item (the
voting members less those with jäv), and the items not yet decided."""

from django.db.models import Q, QuerySet

from diarium.board.models import AgendaItem, AttendanceStatus, Meeting, MemberRole, Membership


def voting_members(meeting: Meeting) -> list[Membership]:
    """Who holds a vote at the meeting: members present and substitutes serving."""
    rows = meeting.attendance.filter(
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.SERVING]).select_related(
        "member")
    return [r.member for r in rows if r.member.role == MemberRole.MEMBER
            or r.status == AttendanceStatus.SERVING]



def participants(item: AgendaItem) -> list[Membership]:
    """Who takes part in the item: the voting members without those with jäv."""
    left = set(item.conflicts.values_list("member_id", flat=True))
    return [m for m in voting_members(item.meeting) if m.pk not in left]



def undecided(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.filter(Q(paragraph__isnull=True))
