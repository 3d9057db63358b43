"""Dispatch by post (recorded as posted, with a printable address page and cover letter
per recipient) and distribution lists whose versions keep what a past dispatch used."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.core.jobs.models import Job
from diarium.registry.dispatch import services as dispatching
from diarium.registry.dispatch import setup
from diarium.registry.dispatch.models import DispatchChannel, RecipientState
from diarium.registry.dispatch.recipients import RecipientInput
from tests.web.conftest import logged_in
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "utskick.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout


def test_post_dispatch_with_address_pages_and_cover_letters(world, smtp, tmp_path):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    dispatch = dispatching.dispatch_by_post(
        world.registrator, world.decision, dispatching.DispatchRequest(recipients=[
            RecipientInput("party", party=world.anna),
            RecipientInput("postal", name="Länsstyrelsen", postal_address="Box 1\n111 11 Stad")]),
        posted_on=yesterday)
    assert dispatch.channel == DispatchChannel.POST
    assert timezone.localdate(dispatch.dispatched_at) == yesterday
    assert {r.state for r in dispatch.recipients.all()} == {RecipientState.SENT}
    assert not Job.objects.filter(kind="registry.dispatch").exists() and smtp.received == []
    assert AuditEvent.objects.filter(action="dispatch.posted").count() == 1

    client = logged_in(world.registrator)
    response = client.get(reverse("registry:dispatch_print", args=[dispatch.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for expected in ("Anna Andersson", "Storgatan 1", "123 45 Sjövik", "Länsstyrelsen",
                     "111 11 Stad", "Hej Anna Andersson!", "Hej Länsstyrelsen!",
                     world.case.diary_number):
        assert expected in text
    assert text.count("\f") >= 4  # an address page and a letter per recipient

    page = client.get(reverse("registry:case", args=[world.case.pk])).content.decode()
    assert "Länsstyrelsen" in page and "Post" in page


def test_post_needs_a_postal_address_and_not_a_future_date(world, smtp):
    with pytest.raises(ValidationError, match="Postadress saknas"):
        dispatching.dispatch_by_post(world.registrator, world.decision,
                                     dispatching.DispatchRequest(recipients=[
                                         RecipientInput("email", name="E", email="e@x.se")]))
    with pytest.raises(ValidationError):
        dispatching.dispatch_by_post(world.registrator, world.decision,
                                     dispatching.DispatchRequest(recipients=[
                                         RecipientInput("party", party=world.anna)]),
                                     posted_on=timezone.localdate() + dt.timedelta(days=1))


def test_a_past_dispatch_shows_the_list_as_it_was(world, smtp):
    dlist = setup.save_list(world.admin, world.ks.authority, "Grannar", [
        RecipientInput("party", party=world.anna), RecipientInput("party", party=world.bo)])
    first = dispatching.dispatch_by_email(world.registrator, world.decision,
                                          dispatching.DispatchRequest(lists=[dlist]))
    run_jobs()
    setup.save_list(world.admin, world.ks.authority, "Grannar (ny)", [
        RecipientInput("party", party=world.anna),
        RecipientInput("email", name="Länsstyrelsen", email="lst@example.org")],
        existing=dlist)
    dlist.refresh_from_db()
    assert dlist.current.number == 2 and dlist.name == "Grannar (ny)"
    second = dispatching.dispatch_by_email(world.registrator, world.decision,
                                           dispatching.DispatchRequest(lists=[dlist]))
    run_jobs()
    assert smtp.recipients == ["anna@example.org", "anna@example.org", "bo@example.org",
                               "lst@example.org"]
    old = first.lists.get()
    assert old.number == 1 and [m.name for m in old.members.all()] == [
        "Anna Andersson", "Bo Bygg AB"]
    assert second.lists.get().number == 2

    client = logged_in(world.registrator)
    page = client.get(reverse("registry:dispatch", args=[first.pk])).content.decode()
    assert "Grannar, version 1" in page and "Bo Bygg AB" in page
    assert "Länsstyrelsen" not in page
    events = AuditEvent.objects.filter(action="distribution_list.saved").order_by("seq")
    assert [e.after["version"] for e in events] == [1, 2]


def test_list_names_are_unique_per_authority_and_lists_need_members(world):
    setup.save_list(world.admin, world.ks.authority, "Grannar",
                    [RecipientInput("party", party=world.anna)])
    with pytest.raises(ValidationError, match="redan"):
        setup.save_list(world.admin, world.ks.authority, "Grannar",
                        [RecipientInput("party", party=world.bo)])
    with pytest.raises(ValidationError):
        setup.save_list(world.admin, world.ks.authority, "Tom", [])
