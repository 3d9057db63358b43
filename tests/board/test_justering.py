"""Justering with real PAdES signatures (the test PKI of the signature tests, made at test
time): refused up front, with what the secretary must do, when a signer cannot sign;
signing out of turn refused; completed once by the registry's signal when the last
signer signs through the registry's own signing service."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from diarium.board import justering
from diarium.board.models import AttendanceStatus, CaseDecision, MeetingStatus, Notice
from diarium.board.services import agenda, conduct, minutes, notices
from diarium.core.errors import Conflict
from diarium.documents.signature_models import RequestStatus, StepState
from diarium.registry.models import DocumentStatus
from diarium.registry.services import signatures
from tests.board.world import make_world

pytestmark = pytest.mark.django_db
MEETING_DAY = dt.date(2026, 11, 17)


def _decided_meeting(world):
    case, proposal = world.ready_case("Detaljplan för Norr")
    meeting = agenda.create_meeting(world.secretary, world.body, MEETING_DAY,
                                    dt.time(13, 0), "Sessionssalen")
    agenda.add_case_item(world.secretary, meeting, proposal)
    notices.send_notice(world.secretary, meeting)
    for key in ("chair", "m1"):
        conduct.record_attendance(world.secretary, meeting, world.member(key),
                                  AttendanceStatus.PRESENT)
    conduct.choose_adjusters(world.secretary, meeting, [world.member("m1")])
    conduct.decide_item(world.secretary, meeting.items.get(), "Planen antas.")
    return meeting, case


def _nothing_registered(meeting):
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.minutes_document_id is None
    assert meeting.case.documents.count() == 1  # the kallelse only


def test_a_member_without_a_user_account_is_named_with_what_to_do(signing):
    world = make_world(with_logins=False)
    meeting, _case = _decided_meeting(world)
    with pytest.raises(ValidationError) as refused:
        minutes.produce_minutes(world.secretary, meeting)
    text = " ".join(refused.value.messages)
    assert "Anna Ordförande" in text and "Cecilia Ledamot" in text
    assert "användarkonto" in text
    _nothing_registered(meeting)


def test_a_signer_without_a_key_or_a_role_is_named(signing):
    world = make_world()
    signing(world, "chair")  # m1 has no key and no role
    meeting, _case = _decided_meeting(world)
    with pytest.raises(ValidationError) as refused:
        minutes.produce_minutes(world.secretary, meeting)
    assert refused.value.messages == [justering.signer_problems(meeting)[0]]
    assert "Cecilia Ledamot" in refused.value.messages[0]
    assert "Anna Ordförande" not in refused.value.messages[0]
    _nothing_registered(meeting)
    from diarium.organisation.models import RoleAssignment

    RoleAssignment.objects.create(user=world.member("m1").user, authority=world.authority,
                                  role="reader")
    vars(world.member("m1").user).pop("_diarium_access", None)
    problems = justering.signer_problems(meeting)
    assert len(problems) == 1 and "signeringsnyckel" in problems[0]


def test_the_minutes_are_final_and_signed_in_order_and_the_signal_completes_them(
        signing, django_capture_on_commit_callbacks):
    world = make_world()
    signing(world, "chair", "m1")
    meeting, case = _decided_meeting(world)
    document = minutes.produce_minutes(world.secretary, meeting)
    assert document.status == DocumentStatus.REGISTERED
    assert document.final_version_id is not None  # fastställd: the exact version is signed
    meeting.refresh_from_db()
    request = justering.current_request(meeting)
    assert [(s.signer_id, s.role) for s in request.steps.order_by("position")] == [
        (world.member("chair").user_id, "ordförande"),
        (world.member("m1").user_id, "justerare")]
    assert justering.next_signer(meeting).pk == world.member("chair").pk

    # Out of turn: refused by the board (who signs now) and by the registry alike.
    with pytest.raises(PermissionDenied, match="Anna Ordförande"):
        justering.sign(world.member("m1").user, meeting)
    with pytest.raises(Conflict):
        signatures.sign(world.member("m1").user, request)

    # Through the registry's own signing service (the "to sign" pages and the API): the
    # board learns of the last signature from the signal after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        signatures.sign(world.member("chair").user, request)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.JUSTERING
    assert justering.next_signer(meeting).pk == world.member("m1").pk
    with django_capture_on_commit_callbacks(execute=True):
        signatures.sign(world.member("m1").user, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    assert all(s.state == StepState.SIGNED and s.report.valid for s in request.steps.all())
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.JUSTERAD
    assert meeting.justered_on == timezone.localdate()
    assert Notice.objects.get(source_id=meeting.pk).justered_on == meeting.justered_on
    assert CaseDecision.objects.get(case=case).extract.case_id == case.pk
    # Completing again does nothing (the board's own call after the signal).
    assert justering.complete(request) is None
    assert CaseDecision.objects.filter(case=case).count() == 1
    with pytest.raises(ValidationError):
        justering.sign(world.member("m1").user, meeting)


def test_a_completion_that_did_not_run_is_completed_by_the_secretary(signing):
    world = make_world()
    signing(world, "chair", "m1")
    meeting, case = _decided_meeting(world)
    minutes.produce_minutes(world.secretary, meeting)
    meeting.refresh_from_db()
    request = justering.current_request(meeting)
    with pytest.raises(ValidationError):
        justering.complete_now(world.secretary, meeting)  # not signed by everyone yet
    # Without the on-commit callbacks the signal never runs (as if it had failed).
    signatures.sign(world.member("chair").user, request)
    signatures.sign(world.member("m1").user, request)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.JUSTERING
    with pytest.raises(PermissionDenied):
        justering.complete_now(world.member("m1").user, meeting)
    justering.complete_now(world.secretary, meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.JUSTERAD
    assert CaseDecision.objects.filter(case=case).count() == 1


def test_minutes_nobody_chaired_are_refused(signing):
    world = make_world()
    signing(world, "m1")
    _case, proposal = world.ready_case("Budget 2027")
    meeting = agenda.create_meeting(world.secretary, world.body, MEETING_DAY,
                                    dt.time(13, 0), "Sessionssalen")
    agenda.add_case_item(world.secretary, meeting, proposal)
    notices.send_notice(world.secretary, meeting)
    conduct.record_attendance(world.secretary, meeting, world.member("m1"),
                              AttendanceStatus.PRESENT)
    conduct.choose_adjusters(world.secretary, meeting, [world.member("m1")])
    conduct.decide_item(world.secretary, meeting.items.get(), "Budgeten fastställs.")
    with pytest.raises(ValidationError, match="ordförande"):
        minutes.produce_minutes(world.secretary, meeting)
    _nothing_registered(meeting)


def test_cancelled_minutes_are_sent_for_justering_again(signing):
    world = make_world()
    signing(world, "chair", "m1")
    meeting, _case = _decided_meeting(world)
    minutes.produce_minutes(world.secretary, meeting)
    meeting.refresh_from_db()
    first = justering.current_request(meeting)
    with pytest.raises(ValidationError):
        justering.request_again(world.secretary, meeting)  # it still awaits signatures
    signatures.sign(world.member("chair").user, first)
    signatures.cancel_signatures(world.secretary, first, "Fel i § 1")
    assert justering.next_signer(meeting) is None
    with pytest.raises(ValidationError):
        justering.sign(world.member("m1").user, meeting)
    second = justering.request_again(world.secretary, meeting)
    assert justering.current_request(meeting).pk == second.pk
    assert justering.next_signer(meeting).pk == world.member("chair").pk
    justering.sign(world.member("chair").user, meeting)
    justering.sign(world.member("m1").user, meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.JUSTERAD
