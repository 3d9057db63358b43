"""E-mail reminders to responsible officers (services/reminders.py): each user's choice
of how to get them, and the reminders sent, so that none is sent twice. Imported by
registry.models (which registers the models with the app)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderMode(models.TextChoices):
    EACH = "each", _("One e-mail per reminder")
    DIGEST = "digest", _("One e-mail a day with all reminders (digest)")
    OFF = "off", _("No e-mail reminders")


class ReminderSetting(models.Model):
    """How a user gets reminders; a user without a row gets one e-mail per reminder."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="reminder_setting")
    mode = models.CharField(_("e-mail reminders"), max_length=16, choices=ReminderMode.choices,
                            default=ReminderMode.EACH)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.mode}"


class ReminderKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("The follow-up date has come")
    SIX_MONTHS = "six_months", _("Open more than six months (FL 12 §)")


class SentReminder(models.Model):
    """One reminder sent to a user about a case: the follow-up date it was for, or the
    day the case passed six months. A new follow-up date, or a new officer, is a new
    reminder; the same one is never sent twice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField()
    digest = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user", "kind", "due_on"],
                                               name="uniq_sent_reminder")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.due_on} -> {self.user_id}"
