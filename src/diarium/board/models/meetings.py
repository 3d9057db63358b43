"""Meetings: readiness of cases, the agenda, attendance, jäv, decisions and votes, the
paragraph counter, justering sign-offs, decisions recorded in cases, and dispatches.

Rules kept here: a paragraph number (§) is unique per body and year (the counter row is
locked while it is given, as the diary number's is); a member signs off once per meeting."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diarium.board.models.bodies import Body, Membership
from diarium.registry.models import Case, Document


class ProposalStatus(models.TextChoices):
    READY = "ready", _("Ready for decision")
    ON_AGENDA = "agenda", _("On an agenda")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    """A case marked "klar för beslut" to a body with its TJUT and proposed decision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="board_proposals")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="proposals")
    report = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("officer's report (TJUT)"))
    proposed_decision = models.TextField(_("proposed decision"))
    # After the decision has become final (no appeal in time), close the case.
    closes_case = models.BooleanField(_("close the case when the decision is final"),
                                      default=True)
    status = models.CharField(max_length=16, choices=ProposalStatus.choices,
                              default=ProposalStatus.READY)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    marked_at = models.DateTimeField()

    class Meta:
        ordering = ["marked_at"]

    def __str__(self) -> str:
        return str(self.pk)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    NOTIFIED = "notified", _("Notice sent")
    HELD = "held", _("Held")
    JUSTERING = "justering", _("Out for justering")
    JUSTERAD = "justerad", _("Justerad")


class Meeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(max_length=16, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    # The case the meeting's own documents (kallelse, protokoll) are registered in.
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    notice_document = models.ForeignKey(Document, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    minutes_document = models.ForeignKey(Document, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    adjusters = models.ManyToManyField(Membership, blank=True, related_name="+",
                                       verbose_name=_("justerare"))
    justered_on = models.DateField(_("justerad on"), null=True, blank=True)
    # The day the secretary chose to post the notice (within two days of justering);
    # empty: the day of justering.
    post_on = models.DateField(_("notice posted on"), null=True, blank=True)
    # Who sent the minutes for justering: the extracts are registered in their name.
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    # The last justering alert the daily job sent the secretaries: "warning" (from day
    # 10) or "overdue" (after day 14); each is sent once (board/tasks.py).
    justering_alert = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-time"]
        verbose_name = _("meeting")

    def __str__(self) -> str:
        return f"{self.body} {self.date:%Y-%m-%d}"


class ItemKind(models.TextChoices):
    CASE = "case", _("Case")
    OPENING = "opening", _("Opening of the meeting")
    ADJUSTERS = "adjusters", _("Choice of justerare")
    INFORMATION = "information", _("Information")
    DELEGATION = "delegation", _("Report of delegated decisions")
    REPORTS = "reports", _("Reports (anmälningar)")


class AgendaItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=500)
    public_title = models.CharField(_("public title"), max_length=500, blank=True)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="items")
    # Myndighetsutövning or secret matter: behind closed doors, documents not published.
    closed = models.BooleanField(_("closed item"), default=False)
    decision_text = models.TextField(_("decision"), blank=True)
    paragraph = models.PositiveIntegerField(null=True, blank=True)
    paragraph_year = models.PositiveIntegerField(null=True, blank=True)
    immediate = models.BooleanField(_("justerad immediately"), default=False)
    vote_outcome = models.CharField(_("outcome of the vote"), max_length=300, blank=True)
    extract = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    # Who the extract goes to besides the case's parties: a distribution list of the
    # registry and/or recipients one per line ("Name <e-mail>") (board/sending.py).
    recipients = models.TextField(_("recipients of the extract"), blank=True)
    recipient_list = models.ForeignKey("registry.DistributionList", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("distribution list of the extract"))

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="uniq_item_position"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def case(self) -> Case | None:
        return self.proposal.case if self.proposal_id else None


class AgendaDocument(models.Model):
    """A document sent out with an item. A left-out document names the chair's reason."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    left_out_reason = models.CharField(_("left out because"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "document"],
                                               name="uniq_agenda_document")]

    def __str__(self) -> str:
        return str(self.pk)


class ParagraphCounter(models.Model):
    """The last § given by a body in a year: locked while a number is given."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"],
                                               name="uniq_paragraph_counter")]

    def __str__(self) -> str:
        return str(self.pk)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    SERVING = "serving", _("Serving substitute")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)
    serving_for = models.ForeignKey(Membership, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"],
                                               name="uniq_attendance")]

    def __str__(self) -> str:
        return str(self.pk)


class Conflict(models.Model):
    """Jäv: the member declared a conflict of interest and left the item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="uniq_conflict")]

    def __str__(self) -> str:
        return str(self.pk)


class VoteChoice(models.TextChoices):
    FOR = "for", _("For (ja)")
    AGAINST = "against", _("Against (nej)")
    ABSTAIN = "abstain", _("Abstains (avstår)")


class VoteCast(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="uniq_vote")]

    def __str__(self) -> str:
        return str(self.pk)


class RemarkKind(models.TextChoices):
    RESERVATION = "reservation", _("Reservation")
    NOTE = "note", _("Protocol note (protokollsanteckning)")


class Remark(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="remarks")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=RemarkKind.choices)
    text = models.TextField(blank=True)

    def __str__(self) -> str:
        return str(self.pk)


class CaseDecision(models.Model):
    """The decision recorded in a case: what, which body, when, which §."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="board_decisions")
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="+")
    body_name = models.CharField(max_length=200)
    decided_on = models.DateField()
    paragraph = models.CharField(max_length=32)
    text = models.TextField()
    extract = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    # The last day to appeal (from the notice); the case closes after it when the
    # proposal said so and nothing else remains.
    final_after = models.DateField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on"]

    def __str__(self) -> str:
        return str(self.pk)


class MemberNote(models.Model):
    """A member's private note on an item: only its writer ever reads it. Written with
    the member's login (user) or through their personal link (member, no login)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="uniq_member_note"),
            models.UniqueConstraint(fields=["item", "member"], name="uniq_member_link_note"),
            models.CheckConstraint(condition=models.Q(user__isnull=False, member__isnull=True)
                                   | models.Q(user__isnull=True, member__isnull=False),
                                   name="member_note_one_writer"),
        ]

    def __str__(self) -> str:
        return str(self.pk)
