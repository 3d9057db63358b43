"""The board process: bodies and members, meetings with their agenda and decisions,
justering, the public notice board and published meetings, and the delegation scheme."""

from diarium.board.models.bodies import Body, BodyKind, MemberRole, Membership, Office
from diarium.board.models.delegation import (
    DelegatedDecision,
    DelegationMatter,
    DelegationScheme,
)
from diarium.board.models.links import MemberLink
from diarium.board.models.meetings import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CaseDecision,
    Conflict,
    ItemKind,
    Meeting,
    MeetingStatus,
    MemberNote,
    ParagraphCounter,
    Proposal,
    ProposalStatus,
    Remark,
    RemarkKind,
    VoteCast,
    VoteChoice,
)
from diarium.board.models.public import Notice, NoticeKind, PublishedItem, PublishedMeeting

__all__ = [
    "AgendaDocument", "AgendaItem", "Attendance", "AttendanceStatus", "Body", "BodyKind",
    "CaseDecision", "Conflict", "DelegatedDecision", "DelegationMatter", "DelegationScheme",
    "ItemKind", "Meeting", "MeetingStatus", "MemberLink", "MemberNote", "MemberRole",
    "Membership", "Notice", "NoticeKind", "Office", "ParagraphCounter", "Proposal",
    "ProposalStatus", "PublishedItem", "PublishedMeeting", "Remark", "RemarkKind",
    "VoteCast", "VoteChoice",
]
