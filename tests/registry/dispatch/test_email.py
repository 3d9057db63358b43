"""Dispatch by e-mail through a real SMTP server: the server receives exactly the
recipients, each its own message with the PDF/A and the diarienummer in the subject; a
refused recipient is failed while the others are sent, and is sent on a retry; a server
that is down sends nobody and records nobody as sent."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from diarium.audit.models import AuditEvent
from diarium.core.jobs.models import Job, JobState
from diarium.core.sealed import unseal
from diarium.registry.dispatch import services as dispatching
from diarium.registry.dispatch import setup
from diarium.registry.dispatch.models import (
    Dispatch,
    DispatchRecipient,
    DispatchSettings,
    DistributionList,
    RecipientState,
)
from diarium.registry.dispatch.recipients import RecipientInput
from tests import factories as f
from tests import smtpserver
from tests.registry.dispatch.conftest import configure
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def party_list(world, *extra: RecipientInput, name="Sökande"):
    members = [RecipientInput("party", party=world.anna), RecipientInput("party", party=world.bo),
               *extra]
    return setup.save_list(world.admin, world.ks.authority, name, members)


def send(world, request) -> Dispatch:
    dispatch = dispatching.dispatch_by_email(world.registrator, world.decision, request)
    run_jobs()
    return dispatch


def states(dispatch) -> dict[str, str]:
    return {r.email: r.state for r in dispatch.recipients.all()}


def test_a_list_is_sent_to_exactly_its_recipients(world, smtp):
    dlist = party_list(world, RecipientInput("email", name="Länsstyrelsen",
                                             email="lst@example.org"))
    dispatch = send(world, dispatching.DispatchRequest(lists=[dlist]))

    assert smtp.recipients == ["anna@example.org", "bo@example.org", "lst@example.org"], [
        r.server_reply for r in dispatch.recipients.all()]
    assert all(len(got.rcpt_tos) == 1 for got in smtp.received)  # one message each
    message = smtp.received[0].message
    number = world.case.diary_number
    assert message["Subject"].startswith(number) and "Beslut om bygglov" in message["Subject"]
    assert message["To"].addresses[0].display_name == "Anna Andersson"
    body = message.get_body(("plain",)).get_content()
    assert "Hej Anna Andersson!" in body and number in body
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")

    dispatch.refresh_from_db()
    assert dispatch.dispatched_at is not None
    assert dispatch.version is None or dispatch.version.document_id == world.decision.pk
    assert set(states(dispatch).values()) == {RecipientState.SENT}
    anna = dispatch.recipients.get(email="anna@example.org")
    assert anna.message_id == message["Message-ID"]
    assert anna.server_reply.startswith("250") and "queued as" in anna.server_reply
    assert [str(v) for v in dispatch.lists.all()] == ["Sökande v1"]
    actions = list(AuditEvent.objects.filter(action__startswith="dispatch.")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["dispatch.created", "dispatch.sent"]


def test_a_refused_recipient_fails_and_the_others_are_sent_then_a_retry(world, smtp):
    refused = RecipientInput("email", name="Okänd", email="okand@example.org")
    dispatch = send(world, dispatching.DispatchRequest(lists=[party_list(world)],
                                                       recipients=[refused]))
    assert smtp.recipients == ["anna@example.org", "bo@example.org"]
    assert states(dispatch)["okand@example.org"] == RecipientState.FAILED
    failed = dispatch.recipients.get(email="okand@example.org")
    assert failed.server_reply.startswith("550") and failed.sent_at is None
    job = Job.objects.get(subject_id=str(dispatch.pk))
    assert job.state == JobState.FAILED and job.result == {"sent": 2, "failed": 1}

    smtp.refuse.clear()  # the mailbox now exists
    retry_job = dispatching.retry(world.registrator, dispatch)
    run_jobs()
    retry_job.refresh_from_db()
    assert retry_job.state == JobState.SUCCEEDED
    # Those already accepted were not sent twice.
    assert smtp.recipients == ["anna@example.org", "bo@example.org", "okand@example.org"]
    failed.refresh_from_db()
    assert failed.state == RecipientState.SENT and failed.attempts == 2
    assert Job.objects.filter(subject_id=str(dispatch.pk)).count() == 2
    with pytest.raises(ValidationError):
        dispatching.retry(world.registrator, dispatch)  # nothing failed any more
    assert AuditEvent.objects.filter(action="dispatch.retried").count() == 1


def test_a_server_that_is_down_sends_nobody(world, smtp):
    smtp.stop()
    dispatch = send(world, dispatching.DispatchRequest(lists=[party_list(world)]))
    dispatch.refresh_from_db()
    assert dispatch.dispatched_at is None
    assert set(states(dispatch).values()) == {RecipientState.FAILED}
    assert "kunde inte nås" in dispatch.recipients.first().server_reply
    assert AuditEvent.objects.filter(action="dispatch.failed").count() == 1

    again = smtpserver.start()
    try:
        configure(world.ks.authority, again)
        dispatching.retry(world.registrator, dispatch)
        run_jobs()
        assert again.recipients == ["anna@example.org", "bo@example.org"]
    finally:
        again.stop()
    dispatch.refresh_from_db()
    assert dispatch.dispatched_at is not None


def test_an_invalid_address_refuses_the_whole_dispatch(world, smtp):
    bad = RecipientInput("email", name="Trasig", email="inte en adress")
    with pytest.raises(ValidationError, match="Trasig"):
        dispatching.dispatch_by_email(world.registrator, world.decision,
                                      dispatching.DispatchRequest(
                                          lists=[party_list(world)], recipients=[bad]))
    with pytest.raises(ValidationError):
        setup.save_list(world.admin, world.ks.authority, "Trasig",
                        [RecipientInput("party", party=world.anna), bad])
    assert not Dispatch.objects.exists() and not DispatchRecipient.objects.exists()
    assert DistributionList.objects.count() == 1  # only the good list of party_list
    assert not Job.objects.filter(kind="registry.dispatch").exists()
    assert smtp.received == []


def test_a_party_without_e_mail_is_named(world, smtp):
    from diarium.registry import services

    cecilia = services.create_party(world.registrator, kind="person", name="Cecilia Ceder")
    with pytest.raises(ValidationError, match="Cecilia Ceder"):
        dispatching.dispatch_by_email(world.registrator, world.decision,
                                      dispatching.DispatchRequest(recipients=[
                                          RecipientInput("party", party=cecilia)]))
    assert not Dispatch.objects.exists()


@pytest.mark.parametrize("name", ["Eva\r\nBcc: spion@example.org", "Eva\nBcc: x@y.se",
                                  "Eva\rX: y", "Eva\x00"])
def test_header_injection_in_names_is_refused(world, smtp, name):
    hostile = RecipientInput("email", name=name, email="eva@example.org")
    with pytest.raises(ValidationError, match="radbrytningar"):
        dispatching.dispatch_by_email(world.registrator, world.decision,
                                      dispatching.DispatchRequest(recipients=[hostile]))
    with pytest.raises(ValidationError):
        setup.save_list(world.admin, world.ks.authority, "Lista", [hostile])
    with pytest.raises(ValidationError):
        dispatching.dispatch_by_email(world.registrator, world.decision,
                                      dispatching.DispatchRequest(
                                          recipients=[RecipientInput(
                                              "email", name="Eva",
                                              email="eva@example.org\r\nBcc: x@y.se")]))
    with pytest.raises(ValidationError, match="radbrytningar"):
        dispatching.dispatch_by_email(world.registrator, world.decision,
                                      dispatching.DispatchRequest(
                                          recipients=[RecipientInput(
                                              "email", name="Eva", email="eva@example.org")],
                                          subject="Beslut\r\nBcc: spion@example.org"))
    assert not Dispatch.objects.exists() and smtp.received == []


def test_a_title_with_line_breaks_makes_a_one_line_subject(world, smtp):
    doc = world.decision
    type(doc).objects.filter(pk=doc.pk).update(title="Beslut\r\nBcc: spion@example.org")
    send(world, dispatching.DispatchRequest(recipients=[
        RecipientInput("party", party=world.anna)]))
    assert smtp.recipients == ["anna@example.org"]
    message = smtp.received[0].message
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"] and "spion" in message["Subject"]


def test_starttls_and_login_with_the_sealed_password(world, tmp_path, settings):
    settings.MAIL_TIMEOUT_SECONDS = 10
    secure = smtpserver.start(tls_folder=tmp_path, users={"ks": "smtp-lösen"})
    try:
        settings.MAIL_CA_FILE = str(secure.ca_file)
        configure(world.ks.authority, secure, security="starttls", username="ks",
                  password="smtp-lösen")
        stored = DispatchSettings.objects.get()
        assert "smtp-lösen" not in stored.password_sealed
        assert unseal(stored.password_sealed) == "smtp-lösen"
        dispatch = send(world, dispatching.DispatchRequest(recipients=[
            RecipientInput("party", party=world.bo)]))
        assert secure.recipients == ["bo@example.org"]
        assert states(dispatch) == {"bo@example.org": RecipientState.SENT}

        configure(world.ks.authority, secure, security="starttls", username="ks",
                  password="fel-lösen")
        wrong = send(world, dispatching.DispatchRequest(recipients=[
            RecipientInput("party", party=world.anna)]))
        assert states(wrong) == {"anna@example.org": RecipientState.FAILED}
        assert "nekade inloggningen" in wrong.recipients.get().server_reply
        assert secure.recipients == ["bo@example.org"]
    finally:
        secure.stop()


def test_who_may_dispatch_and_what(world, smtp):
    reader = f.user(roles={world.ks.authority: "reader"})
    request = dispatching.DispatchRequest(recipients=[RecipientInput("party", party=world.anna)])
    with pytest.raises(PermissionDenied):
        dispatching.dispatch_by_email(reader, world.decision, request)
    incoming = f.document(world.registrator, world.case, "Ansökan")
    with pytest.raises(ValidationError, match="inkommen"):
        dispatching.dispatch_by_email(world.registrator, incoming, request)
    DispatchSettings.objects.update(host="")
    with pytest.raises(ValidationError, match="e-postserver"):
        dispatching.dispatch_by_email(world.registrator, world.decision, request)
    assert not Dispatch.objects.exists()
