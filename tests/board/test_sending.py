"""The board's documents sent through the registry's dispatch, to a real SMTP server
(aiosmtpd in this process, tests/smtpserver.py): the kallelse to members and substitutes,
each extract after justering to its case's parties, its item's distribution list and the
item's other recipients; what the board shows is read from the registry's rows."""

import datetime as dt

import pytest

from diarium.board import justering, sending
from diarium.board.models import AttendanceStatus, ItemKind
from diarium.board.services import agenda, bodies, conduct, minutes, notices
from diarium.core.actors import OPERATOR
from diarium.documents.signing.evidence import read_all
from diarium.documents.signing.trust import configured_trust
from diarium.documents.signing.validation import validate_pdf
from diarium.registry import services as registry
from diarium.registry.dispatch import setup
from diarium.registry.dispatch.models import Dispatch, RecipientState
from diarium.registry.dispatch.recipients import RecipientInput
from diarium.registry.models import DocumentFile
from tests import smtpserver
from tests.board.world import TERM, make_world
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db
MEETING_DAY = dt.date(2026, 11, 17)


@pytest.fixture
def smtp():
    server = smtpserver.start()
    yield server
    server.stop()


def configure(authority, server) -> None:
    setup.save_settings(OPERATOR, authority, setup.SettingsData(
        host=server.host, port=server.port, security="none",
        from_address="kansliet@sjovik.example", from_name="Kommunstyrelsen",
        cover_letter="Hej $mottagare! Här kommer $handling."))


def _meeting(world):
    case, proposal = world.ready_case("Detaljplan för Norr")
    meeting = agenda.create_meeting(world.secretary, world.body, MEETING_DAY,
                                    dt.time(13, 0), "Sessionssalen")
    agenda.add_fixed_item(world.secretary, meeting, ItemKind.OPENING)
    item = agenda.add_case_item(world.secretary, meeting, proposal)
    return meeting, item, case


def test_the_kallelse_goes_to_members_and_substitutes_by_e_mail(smtp):
    world = make_world()
    bodies.add_member(world.secretary, world.body, bodies.MemberData(
        name="Erik Utanmejl", party="L", role="substitute", office="", term_start=TERM[0],
        term_end=TERM[1]))
    configure(world.authority, smtp)
    meeting, _item, _case = _meeting(world)
    notices.send_notice(world.secretary, meeting)
    run_jobs()  # the registry's sending job
    meeting.refresh_from_db()
    assert smtp.recipients == ["chair@example.se", "m1@example.se", "sub@example.se",
                               "vice@example.se"]
    message = smtp.received[0].message
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    dispatch = Dispatch.objects.get(document=meeting.notice_document)
    assert {r.state for r in dispatch.recipients.all()} == {RecipientState.SENT}
    lines = {line.name: line.state for line in sending.status(
        meeting.notice_document, sending.notice_recipients(meeting))}
    assert lines == {"Anna Ordförande": "sent", "Bo Vice": "sent", "Cecilia Ledamot": "sent",
                     "David Ersättare": "sent", "Erik Utanmejl": "post"}
    # Sending again reaches nobody twice.
    sending.send_again(world.secretary, meeting)
    run_jobs()
    assert len(smtp.recipients) == 4 and Dispatch.objects.filter(
        document=meeting.notice_document).count() == 1


def test_without_a_mail_server_nothing_is_taken_for_sent_until_it_is_set_up(smtp):
    world = make_world()
    meeting, _item, _case = _meeting(world)
    notices.send_notice(world.secretary, meeting)
    meeting.refresh_from_db()
    assert not Dispatch.objects.filter(document=meeting.notice_document).exists()
    lines = sending.status(meeting.notice_document, sending.notice_recipients(meeting))
    assert {line.state for line in lines} == {"not_sent"} and len(lines) == 4
    configure(world.authority, smtp)
    sending.send_again(world.secretary, meeting)
    run_jobs()
    assert len(smtp.recipients) == 4


def test_extracts_go_to_the_parties_the_list_and_the_items_recipients_after_justering(
        smtp, signing):
    world = make_world()
    signing(world, "chair", "m1")
    configure(world.authority, smtp)
    meeting, item, case = _meeting(world)
    anna = registry.create_party(world.officer, kind="person", name="Anna Andersson",
                                 email="anna@example.org")
    bo = registry.create_party(world.officer, kind="person", name="Bo Brevlös",
                               address="Storgatan 1", postal_code="123 45", city="Sjövik")
    for party in (anna, bo):
        registry.add_party(world.officer, case, party, "sökande")
    admin = registry_admin(world)
    dlist = setup.save_list(admin, world.authority, "Samhällsbyggnad", [
        RecipientInput("email", name="Planenheten", email="plan@sjovik.example")])
    conduct.set_extract_recipients(world.secretary, item, dlist,
                                   "Länsstyrelsen <lst@example.org>")
    notices.send_notice(world.secretary, meeting)
    run_jobs()
    sent_before = len(smtp.received)
    for key in ("chair", "m1"):
        conduct.record_attendance(world.secretary, meeting, world.member(key),
                                  AttendanceStatus.PRESENT)
    conduct.choose_adjusters(world.secretary, meeting, [world.member("m1")])
    for it in meeting.items.order_by("position"):
        conduct.decide_item(world.secretary, it, it.decision_text or "Beslutat.")
    minutes.produce_minutes(world.secretary, meeting)
    justering.sign(world.member("chair").user, meeting)
    justering.sign(world.member("m1").user, meeting)
    run_jobs()

    item.refresh_from_db()
    assert sorted(r for got in smtp.received[sent_before:] for r in got.rcpt_tos) == sorted(
        ["anna@example.org", "lst@example.org", "plan@sjovik.example"])
    got = next(r for r in smtp.received if "anna@example.org" in r.rcpt_tos).message
    assert next(got.iter_attachments()).get_content().startswith(b"%PDF")
    lines = {line.name: line.state for line in sending.status(
        item.extract, sending.extract_recipients(item))}
    assert lines == {"Anna Andersson": "sent", "Länsstyrelsen": "sent",
                     "Planenheten": "sent", "Bo Brevlös": "post"}

    # The minutes that go to the archive: the signed PDF, both signatures valid, in order.
    meeting.refresh_from_db()
    signed = DocumentFile.objects.get(document=meeting.minutes_document,
                                      original_name__endswith="-signerad.pdf")
    report = validate_pdf(read_all(signed.content), configured_trust())
    assert report["valid"] and len(report["signatures"]) == 2


def registry_admin(world):
    from tests import factories as f

    return f.user("adminKS", roles={world.authority: "administrator"})
