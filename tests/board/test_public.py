"""Canary: a secret agenda item's title and documents never appear in the public
kallelse, on the public notice board or on any public route of the board."""

import datetime as dt
import subprocess
import tempfile

import pytest
from django.test import Client
from django.urls import reverse

from diarium.board import justering
from diarium.board.models import AttendanceStatus, PublishedMeeting
from diarium.board.services import agenda, conduct, minutes, notices
from tests.board.world import make_world

pytestmark = pytest.mark.django_db
CANARY = "KANARIEFÅGEL"


def _pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        return subprocess.run(["pdftotext", tmp.name, "-"], capture_output=True,
                              check=True, text=True).stdout


def _meeting_with_a_secret_item():
    world = make_world()
    _case, secret = world.ready_case(f"Ärende om {CANARY} Svensson", secret="OSL 26:1",
                                     public_title="Ärende om enskild",
                                     report_text=f"Utredning {CANARY}")
    _open, public = world.ready_case("Ny cykelväg", public_title="Ny cykelväg")
    meeting = agenda.create_meeting(world.secretary, world.body, dt.date(2026, 11, 17),
                                    dt.time(9), "Salen")
    agenda.add_case_item(world.secretary, meeting, secret)
    agenda.add_case_item(world.secretary, meeting, public)
    notices.send_notice(world.secretary, meeting)
    return world, meeting


def _public_pages(client: Client) -> dict[str, bytes]:
    urls = [reverse("board_public:notices"), reverse("board_public:archive"),
            reverse("board_public:meetings")]
    for published in PublishedMeeting.objects.all():
        urls += [reverse("board_public:meeting", args=[published.pk]),
                 reverse("board_public:notice_pdf", args=[published.pk]),
                 reverse("board_public:agenda_pdf", args=[published.pk]),
                 reverse("board_public:minutes_pdf", args=[published.pk])]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[url] = body
    return pages


def test_a_secret_items_title_and_documents_never_reach_a_public_route(signing):
    world, meeting = _meeting_with_a_secret_item()
    signing(world, "chair", "m1")
    secret_item = meeting.items.get(position=1)
    assert secret_item.closed  # a secret case's item is closed by construction
    # The staff kallelse holds it; the public one does not.
    meeting.refresh_from_db()
    staff_pdf = meeting.notice_document.files.get().content
    from diarium.documents.services import open_content
    with open_content(staff_pdf) as stream:
        assert CANARY in _pdf_text(stream.read())

    for key in ("chair", "m1"):
        conduct.record_attendance(world.secretary, meeting, world.member(key),
                                  AttendanceStatus.PRESENT)
    conduct.choose_adjusters(world.secretary, meeting, [world.member("m1")])
    for item in meeting.items.order_by("position"):
        conduct.decide_item(world.secretary, item, item.decision_text)
    minutes.produce_minutes(world.secretary, meeting)
    justering.sign(world.member("chair").user, meeting)
    justering.sign(world.member("m1").user, meeting)

    pages = _public_pages(Client())
    assert any(b"Ny cykelv" in body for body in pages.values())
    for url, body in pages.items():
        text = _pdf_text(body) if url.endswith(".pdf") else body.decode()
        assert CANARY not in text, url
        assert "Svensson" not in text, url
        assert "Utredning" not in text, url
    for name in ("kallelse.pdf", "dagordning.pdf", "protokoll.pdf"):
        url = next(u for u in pages if u.endswith(name))
        text = _pdf_text(pages[url])
        assert "Ny cykelväg" in text, url
        assert "Stängd punkt" in text or "Closed item" in text, url  # withheld and noted
    # The public minutes carry the open item's decision, never the closed one's.
    minutes_text = _pdf_text(pages[next(u for u in pages if u.endswith("protokoll.pdf"))])
    assert "Ny cykelväg" in minutes_text and "om Ny cykelväg" in minutes_text
    published = PublishedMeeting.objects.get(meeting_id=meeting.pk)
    meeting_page = pages[reverse("board_public:meeting", args=[published.pk])]
    assert b"protokoll.pdf" in meeting_page and b"dagordning.pdf" in meeting_page


def test_public_pages_need_no_login_and_refuse_unknown_ids():
    client = Client()
    assert client.get(reverse("board_public:notices")).status_code == 200
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/insyn/moten/{missing}/").status_code == 404
    assert client.get(f"/insyn/moten/{missing}/kallelse.pdf").status_code == 404
    assert client.get(f"/insyn/moten/{missing}/protokoll.pdf").status_code == 404
    assert client.get("/insyn/moten/not-a-uuid/").status_code == 404


def test_the_minutes_pdf_is_not_there_before_justering():
    _world, meeting = _meeting_with_a_secret_item()
    published = PublishedMeeting.objects.get(meeting_id=meeting.pk)
    client = Client()
    assert client.get(reverse("board_public:agenda_pdf", args=[published.pk])
                      ).status_code == 200
    assert client.get(reverse("board_public:minutes_pdf", args=[published.pk])
                      ).status_code == 404
