"""§ numbers under concurrency: meetings of one body decided in parallel threads, each
with its own database connection, get distinct, gap-free paragraphs in agenda order."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from diarium.audit.selectors import verify_chains
from diarium.board.models import AgendaItem, AttendanceStatus, ItemKind
from diarium.board.services import agenda, conduct
from tests.board.world import make_world

MEETINGS = 4
ITEMS = 6


@pytest.mark.django_db(transaction=True)
def test_paragraph_numbers_are_gap_free_per_body_and_year_under_concurrency():
    world = make_world()
    meetings = []
    for n in range(MEETINGS):
        meeting = agenda.create_meeting(world.secretary, world.body,
                                        dt.date(2026, 5, 4 + n), dt.time(9), "Salen")
        for _i in range(ITEMS):
            agenda.add_fixed_item(world.secretary, meeting, ItemKind.INFORMATION)
        conduct.record_attendance(world.secretary, meeting, world.member("chair"),
                                  AttendanceStatus.PRESENT)
        meetings.append(meeting)
    start = threading.Barrier(MEETINGS)

    def worker(meeting) -> list[int]:
        start.wait()
        try:
            return [conduct.decide_item(world.secretary, item, "Noteras.").paragraph
                    for item in meeting.items.order_by("position")]
        finally:
            connection.close()

    with ThreadPoolExecutor(MEETINGS) as pool:
        per_meeting = list(pool.map(worker, meetings))

    assert sorted(n for batch in per_meeting for n in batch) == list(
        range(1, MEETINGS * ITEMS + 1))
    assert all(batch == sorted(batch) for batch in per_meeting)
    assert AgendaItem.objects.filter(paragraph__isnull=True).count() == 0
    assert all(broken is None for _chain, broken in verify_chains())
