"""The case's actions: its decision and its status changes, from the audit log.

The registry has no decision model yet: a case closed with a note is a decided case, and
that closing becomes an `action` with actionType "beslut" as the Swedish profile writes a
decision (ERMS-SVK:77-81): the note as actionText, the day of closing as decision_date
and the authority as authorising_person (a decision taken under delegation is the
board's decision too). A closing without a note, reopening, dormancy and voiding are
written as actions of their own kind. See docs/erms-export.md for what a decision model
will add."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from diarium.audit.models import AuditEvent
from diarium.registry.models import CaseStatus

from . import xml
from .agents import actor, organisation
from .source import STATUS_ACTIONS, CaseSnapshot
from .xml import AgentData, sub

DECISION = "beslut"
# audit action -> (actionType, text when no note was given, actionDate type)
_STATUS = {
    "case.closed": ("avslutat", "Ärendet avslutades.", "closed"),
    "case.reopened": ("återöppnat", "Ärendet återöppnades.", "opened"),
    "case.dormant": ("vilande", "Ärendet sattes som vilande.", "other:dormant"),
    "case.voided": ("makulerat", "Ärendet makulerades.", "other:voided"),
}


_NOTES = {"case.closed": "closing_note", "case.voided": "void_reason"}


def _notes(events: list[AuditEvent]) -> dict[int, str]:
    """The note each closing (void reason each voiding) left on the case. An event records
    only the fields it changed, so a case closed again with the same note as before shows
    no note in its event: the note is followed through the events instead."""
    current: dict[str, str] = {}
    found = {}
    for event in events:
        for key, value in (event.after or {}).items():
            if key in _NOTES.values():
                current[key] = str(value or "").strip()
        if event.action in _NOTES:
            found[event.pk] = current.get(_NOTES[event.action], "")
    return found


def _when(event: AuditEvent, snap: CaseSnapshot) -> dt.datetime:
    """The moment of the change: for the closing (voiding) that ended the case the case's
    own closed_at (voided_at), which its dates carry too; for earlier ones the event's
    time (a few milliseconds after the moment it records)."""
    ending = "case.voided" if snap.case.status == CaseStatus.VOID else "case.closed"
    if event.action == ending and event is snap.last_event(ending) and snap.ended_at:
        return snap.ended_at
    return event.occurred_at


def _action(parent: etree._Element, text: str, kind: str, date_type: str,
            when: dt.datetime, agents: list[AgentData]) -> None:
    action = sub(parent, "action")
    sub(action, "actionText", text)
    sub(action, "actionType", kind)
    xml.dates(action, [(date_type, when)], item="actionDate")
    wrapper = sub(action, "agents")
    for agent in agents:
        xml.agent(wrapper, agent)


def actions(parent: etree._Element, snap: CaseSnapshot) -> None:
    authority = snap.case.authority
    events = snap.case_events
    notes = _notes(events)
    for event in events:
        if event.action not in STATUS_ACTIONS:
            continue
        kind, default, date_type = _STATUS[event.action]
        note = notes.get(event.pk, "")
        if event.action == "case.closed" and note:
            decider = organisation(authority, "authorising_person", snap.case.diary_number,
                                   parent=authority.municipality.name)
            _action(parent, note, DECISION, "decision_date", _when(event, snap),
                    [decider, actor(event)])
        else:
            _action(parent, note or default, kind, date_type, _when(event, snap),
                    [actor(event)])
