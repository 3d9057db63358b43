"""The demo's requests: one answered the same day, one partly refused with a decision, one
open and late."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from diarium.disclosure import clock
from diarium.disclosure.models import DisclosureRequest, Outcome

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_requests():
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    requests = list(DisclosureRequest.objects.order_by("received_at"))
    assert len(requests) == 3
    same_day, partial, late = requests
    assert clock.same_day(same_day.received_at, same_day.answered_at)
    assert partial.decision.document.case == partial.case
    assert {i.outcome for i in partial.items.all()} == {Outcome.MASKED, Outcome.REFUSED}
    assert partial.items.get(outcome=Outcome.MASKED).masked_files.filter(active=True).exists()
    assert late.answered_at is None and clock.is_late(late.due_at, timezone.now(), None)
