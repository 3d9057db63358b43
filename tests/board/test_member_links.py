"""A member's personal link: sent by the secretary from the UI (e-mailed), stored only as
a hash, opening read-only the member's upcoming meetings with the documents per item (a
secret one marked) and private notes, nothing else; forged, revoked, renewed-away and
expired links refused; each use audited."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.board.models import AgendaDocument, MemberLink, MemberNote
from diarium.board.services import agenda, member_links, notices
from tests.board.world import make_world

pytestmark = pytest.mark.django_db
CANARY = "HEMLIGTNAMN"


def _world_with_meeting():
    world = make_world()
    _secret_case, secret = world.ready_case(f"Ärende om {CANARY}", secret="OSL 26:1",
                                            public_title="Ärende om enskild",
                                            report_text="Utredning")
    _case, open_one = world.ready_case("Ny cykelväg", public_title="Ny cykelväg")
    meeting = agenda.create_meeting(world.secretary, world.body,
                                    timezone.localdate() + dt.timedelta(days=7),
                                    dt.time(9), "Salen")
    agenda.add_case_item(world.secretary, meeting, open_one)
    agenda.add_case_item(world.secretary, meeting, secret)
    notices.send_notice(world.secretary, meeting)
    return world, meeting


def _send_link(world, key: str) -> str:
    """The secretary sends the member's link from the page; the token from the e-mail."""
    client = Client()
    client.force_login(world.secretary)
    member = world.member(key)
    page = client.get(reverse("board:member_links", args=[world.body.pk]))
    assert page.status_code == 200 and member.name in page.content.decode()
    before = len(mail.outbox)
    response = client.post(reverse("board:issue_member_link", args=[member.pk]),
                           {"days": "30"})
    assert response.status_code == 303
    assert len(mail.outbox) == before + 1 and mail.outbox[-1].to == [member.email]
    url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    return url.rstrip("/").split("/ledamot/lank/")[1]


def test_a_member_reads_their_meeting_through_the_link_and_keeps_notes():
    world, meeting = _world_with_meeting()
    token = _send_link(world, "m1")
    link = MemberLink.objects.get(member=world.member("m1"))
    raw = token.split(":")[0]
    assert raw not in link.token_sha256 and len(link.token_sha256) == 64

    client = Client()  # no login
    listing = client.get(reverse("board:link_meetings", args=[token]))
    assert listing.status_code == 200
    assert listing["Referrer-Policy"] == "same-origin"
    assert "no-store" in listing["Cache-Control"] or "no-cache" in listing["Cache-Control"]
    assert str(meeting.pk) in listing.content.decode()

    page = client.get(reverse("board:link_meeting", args=[token, meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ny cykelväg" in html and CANARY in html  # a member of the body sees both
    assert "OSL 26 kap. 1 §" in html and "Stängd punkt" in html  # the secret one, marked
    assert 'name="viewport"' in html

    secret_doc = AgendaDocument.objects.get(item__meeting=meeting, item__closed=True)
    download = client.get(reverse("board:link_document", args=[token, secret_doc.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    item = meeting.items.get(closed=False)
    saved = client.post(reverse("board:link_note", args=[token, item.pk]),
                        {"text": "Fråga om kostnaden"})
    assert saved.status_code == 303
    assert MemberNote.objects.get(item=item, member=world.member("m1")).text == (
        "Fråga om kostnaden")
    assert "Fråga om kostnaden" in client.get(
        reverse("board:link_meeting", args=[token, meeting.pk])).content.decode()
    # Another member's link does not show it.
    other = _send_link(world, "chair")
    assert "Fråga om kostnaden" not in client.get(
        reverse("board:link_meeting", args=[other, meeting.pk])).content.decode()

    uses = AuditEvent.objects.filter(action="board.member_link_used", object_id=str(link.pk))
    assert uses.count() == 5  # list, meeting, document, note, meeting again
    link.refresh_from_db()
    assert link.uses == 5 and link.last_used_at is not None
    assert not AuditEvent.objects.filter(after__icontains="Fråga om kostnaden").exists()


def test_the_link_opens_nothing_else():
    world, meeting = _world_with_meeting()
    token = _send_link(world, "m1")
    client = Client()
    other_world = make_world("BUN")
    other_meeting = agenda.create_meeting(other_world.secretary, other_world.body,
                                          timezone.localdate() + dt.timedelta(days=3),
                                          dt.time(9), "Annan sal")
    notices.send_notice(other_world.secretary, other_meeting)
    assert client.get(reverse("board:link_meeting", args=[token, other_meeting.pk])
                      ).status_code == 404
    # A meeting in the past is not upcoming: not opened.
    meeting.date = timezone.localdate() - dt.timedelta(days=1)
    meeting.save(update_fields=["date"])
    assert client.get(reverse("board:link_meeting", args=[token, meeting.pk])
                      ).status_code == 404
    # Staff pages still need a login.
    assert client.get(reverse("board:meetings")).status_code == 302
    assert client.get(reverse("board:my_meetings")).status_code == 302


def test_forged_renewed_revoked_and_expired_links_are_refused():
    world, _meeting = _world_with_meeting()
    token = _send_link(world, "m1")
    client = Client()
    url = reverse("board:link_meetings", args=[token])
    raw, signature = token.split(":")
    other = "B" if raw[-1] == "A" else "A"  # one character changed, never the same token
    forged = reverse("board:link_meetings", args=[f"{raw[:-1]}{other}:{signature}"])
    assert client.get(forged).status_code == 403
    assert client.get(url).status_code == 200

    renewed = _send_link(world, "m1")  # the secretary renews: the old link stops working
    assert client.get(url).status_code == 403
    assert client.get(reverse("board:link_meetings", args=[renewed])).status_code == 200

    secretary = Client()
    secretary.force_login(world.secretary)
    assert secretary.post(reverse("board:revoke_member_link", args=[world.member("m1").pk])
                          ).status_code == 303
    assert client.get(reverse("board:link_meetings", args=[renewed])).status_code == 403

    third = _send_link(world, "m1")
    MemberLink.objects.filter(member=world.member("m1"), revoked_at__isnull=True).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1),
        created_at=timezone.now() - dt.timedelta(days=2))
    refused = client.get(reverse("board:link_meetings", args=[third]))
    assert refused.status_code == 403 and "gått ut" in refused.content.decode()


def test_only_the_secretary_sends_links():
    world, _meeting = _world_with_meeting()
    client = Client()
    client.force_login(world.officer)
    assert client.post(reverse("board:issue_member_link", args=[world.member("m1").pk])
                       ).status_code == 404
    assert client.get(reverse("board:member_links", args=[world.body.pk])).status_code == 404
    assert not MemberLink.objects.exists()
    with pytest.raises(PermissionDenied):
        member_links.issue_link(world.officer, world.member("m1"))
    client.force_login(world.secretary)
    bad = client.post(reverse("board:issue_member_link", args=[world.member("m1").pk]),
                      {"days": "9999"})
    assert bad.status_code == 400 and not MemberLink.objects.exists()
