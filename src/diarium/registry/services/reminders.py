"""E-mail reminders to a case's responsible officer: the follow-up date (bevakningsdatum)
has come, or the case has been open more than six months, when a party may demand a
decision (Förvaltningslagen 12 §; registry/ageing.py).

Run once a day by the `registry.send_reminders` job (the `case-reminders` schedule, as
system:reminders; docs/jobs.md). Each user chooses (ReminderSetting): one e-mail per
reminder (the default), one digest a day with all of them, or none. A user who gets
more than EACH_LIMIT reminders in one run gets them as a digest all the same, so that the
first run after an officer takes over many old cases sends one message, not fifty.

A reminder is recorded (SentReminder) once the mail server accepted its message, so it
is sent once: a new follow-up date or a new officer is a new reminder. A server that
refuses or cannot be reached leaves that user's reminders unrecorded; the next run
sends them.

Mail leaves the authority, so a message names a case by its diarienummer and, unless the
case is secrecy marked, its title, with every personnummer masked; the link leads to the
case page, which asks for a login and applies the visibility policy."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import RoleAssignment, User
from diarium.registry import ageing
from diarium.registry.identity import mask_identity_numbers
from diarium.registry.models import Case
from diarium.registry.reminder_model import (
    ReminderKind,
    ReminderMode,
    ReminderSetting,
    SentReminder,
)

log = logging.getLogger(__name__)

EACH_LIMIT = 10
PERMISSION = "registry.remind"


@dataclass(frozen=True)
class Due:
    case: Case
    kind: str
    due_on: dt.date


@dataclass
class ReminderRun:
    sent_messages: int = 0
    reminders: int = 0
    users: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"messages": self.sent_messages, "reminders": self.reminders,
                "users": self.users, "failed": self.failed}


def mode_of(user: User) -> str:
    setting = ReminderSetting.objects.filter(user=user).first()
    return setting.mode if setting else ReminderMode.EACH


@atomic_with_retry
def set_reminder_mode(actor: Actor, mode: str) -> ReminderSetting:
    """The actor chooses how she gets her own reminders."""
    actors.check(actor)
    user = actors.user_of(actor)
    if user is None:
        raise PermissionDenied(_("Only a person chooses how to be reminded."))
    if mode not in ReminderMode.values:
        raise ValidationError({"mode": _("Choose one of the options.")})
    setting, _created = ReminderSetting.objects.update_or_create(user=user,
                                                                 defaults={"mode": mode})
    return setting


def due_reminders(today: dt.date) -> dict[int, list[Due]]:
    """Reminders due today and not yet sent, per responsible officer (user id): open and
    dormant cases whose follow-up date has come, and those past the six-month mark. Only
    active officers with an e-mail address who have not turned reminders off, and who
    still hold a role in the case's authority: one who left the board is not told of
    its cases (the registry sees the case without an officer who may act on it)."""
    holds_role = RoleAssignment.objects.filter(user_id=OuterRef("responsible_officer_id"),
                                               authority_id=OuterRef("authority_id"))
    cases = (Case.objects.filter(Exists(holds_role), status__in=ageing.OPEN_STATES,
                                 responsible_officer__is_active=True)
             .exclude(responsible_officer__email="")
             .exclude(responsible_officer__reminder_setting__mode=ReminderMode.OFF)
             .select_related("responsible_officer"))
    follow_ups = cases.filter(follow_up_date__lte=today)
    long_open = cases.filter(ageing.over_six_months_q(today))
    found: list[Due] = [Due(c, ReminderKind.FOLLOW_UP, c.follow_up_date) for c in follow_ups]
    found += [Due(c, ReminderKind.SIX_MONTHS, ageing.six_month_mark(c)) for c in long_open]
    sent = set(SentReminder.objects.filter(
        case_id__in={d.case.pk for d in found}).values_list("case_id", "user_id", "kind",
                                                              "due_on"))
    per_user: dict[int, list[Due]] = {}
    for due in found:
        key = (due.case.pk, due.case.responsible_officer_id, due.kind, due.due_on)
        if key not in sent:
            per_user.setdefault(due.case.responsible_officer_id, []).append(due)
    for items in per_user.values():
        items.sort(key=lambda d: (d.kind != ReminderKind.FOLLOW_UP, d.due_on,
                                  d.case.diary_number))
    return per_user


def send_reminders(actor: Actor, today: dt.date | None = None) -> ReminderRun:
    """Send every reminder due (see the module's docstring); what was sent and failed."""
    actors.require(actor, PERMISSION, lambda user: user.is_superuser)
    today = today or timezone.localdate()
    run = ReminderRun()
    per_user = due_reminders(today)
    if not per_user:
        return run
    users = {u.pk: u for u in User.objects.filter(pk__in=per_user)}
    modes = dict(ReminderSetting.objects.filter(user_id__in=per_user)
                 .values_list("user_id", "mode"))
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except OSError as exc:
        run.failed.append(_("The mail server could not be reached: %(error)s") % {
            "error": exc})
        return run
    try:
        for user_id, items in per_user.items():
            user = users[user_id]
            digest = modes.get(user_id, ReminderMode.EACH) == ReminderMode.DIGEST \
                or len(items) > EACH_LIMIT
            batches = [items] if digest else [[item] for item in items]
            for batch in batches:
                message = _message(user, batch, today, digest=digest)
                message.connection = connection
                try:
                    message.send()
                except Exception as exc:
                    log.warning("reminder to %s failed: %s", user.email, exc)
                    run.failed.append(f"{user.get_username()}: {exc}")
                    break
                _record(user, batch, digest=digest)
                run.sent_messages += 1
                run.reminders += len(batch)
            run.users += 1
    finally:
        connection.close()
    return run


def _record(user: User, batch: list[Due], *, digest: bool) -> None:
    now = timezone.now()
    with transaction.atomic():
        SentReminder.objects.bulk_create(
            [SentReminder(case=d.case, user=user, kind=d.kind, due_on=d.due_on, sent_at=now,
                          digest=digest) for d in batch],
            ignore_conflicts=True)


def _case_line(case: Case) -> str:
    """The case as a mail may name it: the title only when nothing is marked secret, and
    personnummer masked whatever the case."""
    title = case.title if not case.is_secret else (case.public_title or _("(secrecy marked)"))
    return f"{case.diary_number} {mask_identity_numbers(title)}"


def _link(case: Case) -> str:
    base = str(getattr(settings, "DISCLOSURE_BASE_URL", "") or "http://localhost:8000")
    return base.rstrip("/") + reverse("registry:case", kwargs={"case_id": case.pk})


def _what(due: Due) -> str:
    if due.kind == ReminderKind.FOLLOW_UP:
        return _("Follow-up date %(date)s") % {"date": due.due_on.isoformat()}
    return _("Open since %(date)s: more than six months. A party may ask for a decision "
             "(Förvaltningslagen 12 §).") % {
        "date": timezone.localdate(due.case.opened_at).isoformat()}


def _message(user: User, batch: list[Due], today: dt.date, *, digest: bool) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        name = user.get_full_name() or user.get_username()
        if digest:
            subject = _("Diarium: %(n)s reminders for %(date)s") % {
                "n": len(batch), "date": today.isoformat()}
        else:
            due = batch[0]
            subject = (_("Diarium: follow-up date for %(number)s")
                       if due.kind == ReminderKind.FOLLOW_UP
                       else _("Diarium: %(number)s has been open six months")) % {
                "number": due.case.diary_number}
        lines = [_("Hello %(name)s,") % {"name": name}, ""]
        lines.append(_("Reminders about cases you are responsible for:") if digest
                     else _("A reminder about a case you are responsible for:"))
        for due in batch:
            lines += ["", _case_line(due.case), "  " + _what(due), "  " + _link(due.case)]
        lines += ["", _("You choose how you get reminders under Reminders in Diarium.")]
        return EmailMessage(subject=subject, body="\n".join(lines), to=[user.email])
