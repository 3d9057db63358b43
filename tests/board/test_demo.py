"""The board's part of `diarium demo`."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from diarium.board import selectors
from diarium.board.models import (
    CaseDecision,
    DelegatedDecision,
    Meeting,
    MeetingStatus,
    Notice,
    PublishedMeeting,
)
from diarium.registry.models import CaseStatus

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_past_and_an_upcoming_meeting_and_delegated_decisions():
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    today = timezone.localdate()
    past = Meeting.objects.get(body__authority__code="KS")
    assert past.status == MeetingStatus.JUSTERAD and past.date < today
    decisions = CaseDecision.objects.filter(item__meeting=past)
    assert decisions.count() == 2
    assert all(d.extract.case_id == d.case_id for d in decisions)
    assert all(d.case.status == CaseStatus.CLOSED for d in decisions)  # final and closed
    notice = Notice.objects.get(source_id=past.pk)
    assert notice in selectors.archived_notices(today)
    upcoming = Meeting.objects.get(body__authority__code="BUN")
    assert upcoming.status == MeetingStatus.NOTIFIED and upcoming.date > today
    assert upcoming.notice_document is not None
    assert PublishedMeeting.objects.filter(meeting_id=upcoming.pk).exists()
    mbn = DelegatedDecision.objects.filter(case__authority__code="MBN")
    assert mbn.filter(matter__must_report=True).count() == 3
    posted = mbn.get(matter__must_report=False)
    assert Notice.objects.get(source_id=posted.pk) in selectors.current_notices(today)
