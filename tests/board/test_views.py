"""The staff and member pages: roles, the member's read-only view and private notes."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from diarium.board.models import MemberNote
from diarium.board.services import agenda, notices
from tests import factories as f
from tests.board.world import make_world

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _noticed_meeting(world):
    _case, proposal = world.ready_case("Skolskjuts")
    meeting = agenda.create_meeting(world.secretary, world.body, dt.date(2026, 12, 8),
                                    dt.time(9), "Salen")
    agenda.add_case_item(world.secretary, meeting, proposal)
    notices.send_notice(world.secretary, meeting)
    return meeting


def test_the_secretary_runs_the_meeting_pages_and_others_may_not():
    world = make_world()
    meeting = _noticed_meeting(world)
    secretary = _client(world.secretary)
    assert secretary.get(reverse("board:meetings")).status_code == 200
    page = secretary.get(reverse("board:meeting", args=[meeting.pk]))
    assert page.status_code == 200 and "Skolskjuts" in page.content.decode()
    officer = _client(world.officer)
    assert officer.get(reverse("board:meetings")).status_code == 403
    assert officer.get(reverse("board:meeting", args=[meeting.pk])).status_code == 404
    outsider = _client(f.user("outsider", roles={f.authority("X"): "secretary"}))
    assert outsider.get(reverse("board:meeting", args=[meeting.pk])).status_code == 404
    response = secretary.post(reverse("board:meeting_new"), {
        "body": world.body.pk, "date": "2026-12-15", "time": "13:00", "place": ""})
    assert response.status_code == 400 and "sammanträdet hålls" in response.content.decode()
    assert world.body.meetings.count() == 1  # refused: no place given, nothing written


def test_a_member_sees_their_meetings_and_keeps_private_notes():
    world = make_world()
    meeting = _noticed_meeting(world)
    item = meeting.items.get()
    chair = _client(world.member("chair").user)
    page = chair.get(reverse("board:my_meeting", args=[meeting.pk]))
    assert page.status_code == 200 and "Skolskjuts" in page.content.decode()
    attached = item.documents.get()
    assert chair.get(reverse("board:member_document", args=[attached.pk])).status_code == 200
    chair.post(reverse("board:note", args=[item.pk]), {"text": "Fråga om kostnaden"})
    assert MemberNote.objects.get(user=world.member("chair").user).text == "Fråga om kostnaden"
    other = _client(world.member("m1").user)
    assert "Fråga om kostnaden" not in other.get(
        reverse("board:my_meeting", args=[meeting.pk])).content.decode()
    # A login that sits in no body of the meeting sees nothing of it.
    stranger = _client(f.user("stranger"))
    assert stranger.get(reverse("board:my_meeting", args=[meeting.pk])).status_code == 404
    assert stranger.get(reverse("board:member_document", args=[attached.pk])).status_code == 404
    assert stranger.post(reverse("board:note", args=[item.pk]), {"text": "x"}).status_code == 404
    # A member is no staff user: the secretary's pages are closed to them.
    assert chair.get(reverse("board:meetings")).status_code == 403


def test_hostile_input_is_refused_without_a_server_error():
    world = make_world()
    meeting = _noticed_meeting(world)
    item = meeting.items.get()
    secretary = _client(world.secretary)
    assert secretary.post(reverse("board:meeting_new"), {
        "body": "not-an-id", "date": "2026-12-15", "time": "13:00", "place": "x"}
    ).status_code == 404
    assert secretary.post(reverse("board:meeting_new"), {
        "body": world.body.pk, "date": "15/12", "time": "25:99", "place": "x"}
    ).status_code == 400
    assert secretary.post(reverse("board:adjusters", args=[meeting.pk]),
                          {"adjuster": ["'; DROP TABLE x;--"]}).status_code == 404
    assert secretary.post(reverse("board:reorder", args=[meeting.pk]),
                          {"order": f"{item.pk},{item.pk}"}).status_code == 400
    assert secretary.post(reverse("board:decide", args=[item.pk]),
                          {"decision": "   "}).status_code == 400
    item.refresh_from_db()
    assert item.paragraph is None
    assert _client(world.officer).post(reverse("board:decide", args=[item.pk]),
                                       {"decision": "Bifall"}).status_code == 403


def test_the_secretary_sets_an_extracts_recipients_and_sees_the_sending():
    world = make_world()
    meeting = _noticed_meeting(world)
    item = meeting.items.get()
    secretary = _client(world.secretary)
    url = reverse("board:extract_recipients", args=[item.pk])
    refused = secretary.post(url, {"recipients": "Länsstyrelsen <inte en adress@>"})
    assert refused.status_code == 400 and "Inte en e-postadress" in refused.content.decode()
    item.refresh_from_db()
    assert item.recipients == ""  # nothing written
    other = f.authority("X")
    foreign = f.user("adminX", roles={other: "administrator"})
    from diarium.registry.dispatch import setup
    from diarium.registry.dispatch.recipients import RecipientInput

    foreign_list = setup.save_list(foreign, other, "Annan", [
        RecipientInput("email", name="Någon", email="n@example.org")])
    assert secretary.post(url, {"recipient_list": foreign_list.pk}).status_code == 404
    saved = secretary.post(url, {"recipients": "Länsstyrelsen <lst@example.org>\n"
                                               "Bo Brevlös <Storgatan 1, Sjövik>"})
    assert saved.status_code == 303
    item.refresh_from_db()
    assert item.recipients.startswith("Länsstyrelsen")
    assert _client(world.officer).post(url, {"recipients": ""}).status_code == 403
    page = secretary.get(reverse("board:meeting", args=[meeting.pk])).content.decode()
    assert "Utskick" in page and "inte skickat" in page  # no outgoing mail server
    # Nothing to complete: the minutes are not out for justering.
    done = secretary.post(reverse("board:complete_justering", args=[meeting.pk]))
    assert done.status_code == 400
    assert secretary.post(reverse("board:send_again", args=[meeting.pk])).status_code == 303
