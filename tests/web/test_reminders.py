"""Issue 9, ageing and FL 12 §: e-mail reminders to the responsible officer for follow-up
dates and the six-month mark, one e-mail each or a daily digest, sent by the scheduled
job through a real SMTP server (aiosmtpd in this process, tests/smtpserver.py)."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from diarium.core.actors import REMINDERS
from diarium.core.jobs import schedule
from diarium.core.jobs.models import Job, JobState
from diarium.organisation.models import RoleAssignment
from diarium.registry import services
from diarium.registry.models import Case, ReminderSetting, SentReminder
from diarium.registry.services import reminders
from tests import factories as f
from tests import smtpserver
from tests.web.conftest import logged_in
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SECRET = services.Secrecy(provision="OSL 26:1")


@pytest.fixture
def smtp(settings):
    server = smtpserver.start(refuse={"stangd@sjovik.example"})
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "diarium@sjovik.example"
    yield server
    server.stop()


def opened(case: Case, days_ago: int) -> Case:
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(days=days_ago))
    case.refresh_from_db()
    return case


@pytest.fixture
def cases(ks, registrator):
    hans = f.user("hans", roles={ks.authority: "officer"}, email="hans@sjovik.example",
                  first_name="Hans", last_name="Hand")
    disa = f.user("disa", roles={ks.authority: "officer"}, email="disa@sjovik.example")
    ove = f.user("ove", roles={ks.authority: "officer"}, email="ove@sjovik.example")
    ReminderSetting.objects.create(user=disa, mode="digest")
    ReminderSetting.objects.create(user=ove, mode="off")
    due = TODAY - dt.timedelta(days=1)
    made = {
        "hans_follow": f.case(registrator, ks, "Tillsyn av 19811218-9876",
                              responsible_officer=hans, follow_up_date=due),
        "hans_old": opened(f.case(registrator, ks, "Detaljplan Norr", responsible_officer=hans),
                           200),
        "hans_later": f.case(registrator, ks, "Kommer senare", responsible_officer=hans,
                             follow_up_date=TODAY + dt.timedelta(days=5)),
        "disa_follow": f.case(registrator, ks, "Bidrag föreningen", responsible_officer=disa,
                              follow_up_date=TODAY),
        "disa_secret": opened(f.case(registrator, ks, "Orosanmälan Kalle", secrecy=SECRET,
                                     public_title="Orosanmälan", responsible_officer=disa,
                                     follow_up_date=due), 300),
        "ove_follow": f.case(registrator, ks, "Ove glömmer", responsible_officer=ove,
                             follow_up_date=due),
    }
    closed = f.case(registrator, ks, "Avslutat", responsible_officer=hans, follow_up_date=due)
    services.close_case(registrator, closed, "Klart")
    return {"hans": hans, "disa": disa, "ove": ove, **made}


def by_recipient(server) -> dict[str, list]:
    found: dict[str, list] = {}
    for got in server.received:
        for rcpt in got.rcpt_tos:
            found.setdefault(rcpt, []).append(got.message)
    return found


def test_the_daily_schedule_sends_each_reminder_once_or_as_a_digest(smtp, settings, cases):
    entry = django_settings.JOB_SCHEDULE["case-reminders"]
    assert entry["kind"] == "registry.send_reminders" and entry["principal"] == "system:reminders"
    settings.JOB_SCHEDULE = {"case-reminders": entry}
    morning = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(6, 31)))
    [job] = schedule.tick(morning)
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    mail = by_recipient(smtp)
    # Hans: one e-mail per reminder (the default): the follow-up date and six months.
    assert len(mail["hans@sjovik.example"]) == 2
    subjects = sorted(m["Subject"] for m in mail["hans@sjovik.example"])
    assert any(cases["hans_follow"].diary_number in s for s in subjects)
    assert any(cases["hans_old"].diary_number in s for s in subjects)
    follow = next(m for m in mail["hans@sjovik.example"]
                  if cases["hans_follow"].diary_number in m["Subject"])
    body = follow.get_content()
    assert "19811218-XXXX" in body and "19811218-9876" not in body
    assert reverse("registry:case", args=[cases["hans_follow"].pk]) in body
    assert "Kommer senare" not in body
    # Disa asked for a digest: one e-mail with her follow-up due today and the secret
    # case, named by its number and public title only.
    [digest] = mail["disa@sjovik.example"]
    text = digest.get_content()
    assert cases["disa_follow"].diary_number in text and "Bidrag föreningen" in text
    assert cases["disa_secret"].diary_number in text
    assert "Kalle" not in text and "Kalle" not in digest["Subject"]
    assert "12 §" in text
    # Ove turned reminders off; a closed case is never reminded of.
    assert "ove@sjovik.example" not in mail
    assert "Avslutat" not in "".join(m.get_content() for ms in mail.values() for m in ms)
    assert job.result == {"messages": 3, "reminders": 5, "users": 2, "failed": []}
    # The same reminders are never sent twice: the next run sends nothing.
    assert reminders.send_reminders(REMINDERS, TODAY).sent_messages == 0
    assert len(smtp.received) == 3
    # A new follow-up date is a new reminder.
    services.set_follow_up_date(cases["hans"], cases["hans_follow"], TODAY)
    assert reminders.send_reminders(REMINDERS, TODAY).reminders == 1


def test_a_refused_recipient_is_sent_to_on_a_later_run(smtp, ks, registrator, cases):
    stina = f.user("stina", roles={ks.authority: "officer"}, email="stina@sjovik.example")
    case = f.case(registrator, ks, "Stinas ärende", responsible_officer=stina,
                  follow_up_date=TODAY)
    stina.email = "stangd@sjovik.example"
    stina.save()
    run = reminders.send_reminders(REMINDERS, TODAY)
    assert run.failed and "stina" in run.failed[0]
    assert run.users == 3  # the others were sent all the same
    assert not SentReminder.objects.filter(case=case).exists()
    stina.email = "stina@sjovik.example"
    stina.save()
    run = reminders.send_reminders(REMINDERS, TODAY)
    assert run.reminders == 1 and not run.failed
    assert "stina@sjovik.example" in by_recipient(smtp)


def test_the_job_fails_when_the_server_cannot_be_reached(settings, cases):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtpserver.free_port()
    from diarium.core.jobs.services import run_here

    run_here("registry.send_reminders", principal="system:reminders")
    job = Job.objects.get(kind="registry.send_reminders")
    assert job.state == JobState.FAILED and "Connection refused" in job.error
    assert not SentReminder.objects.exists()


def test_only_the_reminder_principal_or_a_superuser_sends(cases):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reminders.send_reminders(cases["hans"], TODAY)


def test_a_user_chooses_a_daily_digest_on_her_own_page(cases):
    client = logged_in(cases["hans"])
    url = reverse("registry:reminders")
    page = client.get(url).content.decode()
    assert "hans@sjovik.example" in page and 'value="digest"' in page
    assert client.post(url, {"mode": "digest"}).status_code == 302
    assert reminders.mode_of(cases["hans"]) == "digest"
    response = client.post(url, {"mode": "hourly"})
    assert response.status_code == 200 and reminders.mode_of(cases["hans"]) == "digest"


def test_many_reminders_at_once_come_as_one_digest(smtp, ks, registrator):
    many = f.user("manne", roles={ks.authority: "officer"}, email="manne@sjovik.example")
    for n in range(reminders.EACH_LIMIT + 1):
        f.case(registrator, ks, f"Ärende {n}", responsible_officer=many, follow_up_date=TODAY)
    run = reminders.send_reminders(REMINDERS, TODAY)
    assert run.sent_messages == 1 and run.reminders == reminders.EACH_LIMIT + 1
    assert SentReminder.objects.filter(user=many, digest=True).count() == reminders.EACH_LIMIT + 1


def test_an_officer_who_lost_her_role_is_not_reminded(smtp, ks, registrator, cases):
    RoleAssignment.objects.filter(user=cases["hans"], authority=ks.authority).delete()
    run = reminders.send_reminders(REMINDERS, TODAY)
    assert "hans@sjovik.example" not in by_recipient(smtp)
    assert run.users == 1  # Disa only (Ove turned them off)
    assert not SentReminder.objects.filter(user=cases["hans"]).exists()
    # Given a role again, she gets what is due.
    RoleAssignment.objects.create(user=cases["hans"], authority=ks.authority, role="officer")
    assert reminders.send_reminders(REMINDERS, TODAY).reminders == 2
    assert len(by_recipient(smtp)["hans@sjovik.example"]) == 2
