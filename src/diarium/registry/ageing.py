"""How long open cases have been open (ärendebalans): the ageing report per authority and
unit, and the six-month mark of Förvaltningslagen 12 §.

A party may ask the authority to decide a case that has been open more than six months
(FL 12 §); the authority then decides it or refuses to, within four weeks. So a case
still open (or dormant) six calendar months after it was opened carries a mark on every
page that lists it, the report counts such cases per authority and unit, and the officer
is reminded by e-mail (services/reminders.py).

Reads go through the visibility policy: the report counts the cases the viewer may see
exist (a secret case of her own authority is a count, never a title), and lists by
number and title only the cases whose content she may read."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Authority, Unit, User
from diarium.organisation.selectors import access_for
from diarium.registry.models import Case, CaseStatus
from diarium.registry.visibility import policy_for

OPEN_STATES = (CaseStatus.OPEN, CaseStatus.DORMANT)

# Age bands of the report, in whole months since the case was opened: (from, to, label).
BANDS: list[tuple[int, int | None, object]] = [
    (0, 1, _("Under 1 month")),
    (1, 3, _("1–3 months")),
    (3, 6, _("3–6 months")),
    (6, 12, _("6–12 months")),
    (12, 24, _("1–2 years")),
    (24, None, _("Over 2 years")),
]
SIX_MONTHS = 6


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (the month's last day when it is
    shorter: 31 August + 6 months is 28 or 29 February)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 - months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def six_month_mark(case: Case) -> dt.date:
    """The first day on which the case has been open more than six months (Stockholm
    calendar): the day after the same date six months on."""
    return months_after(timezone.localdate(case.opened_at), SIX_MONTHS) + dt.timedelta(days=1)


def over_six_months(case: Case, today: dt.date | None = None) -> bool:
    """Open or dormant and opened more than six months ago: a party may demand a
    decision (FL 12 §)."""
    if case.status not in OPEN_STATES:
        return False
    return (today or timezone.localdate()) >= six_month_mark(case)


def _opened_before(day: dt.date) -> dt.datetime:
    """The instant a case must have been opened before to be older than `day` counts:
    the start of that Stockholm day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def over_six_months_q(today: dt.date) -> Q:
    """over_six_months as a filter: opened before the start of the day six months ago."""
    return Q(status__in=OPEN_STATES, opened_at__lt=_opened_before(months_before(today, 6)))


@dataclass
class AgeingRow:
    authority: Authority
    unit: Unit | None
    counts: list[int] = field(default_factory=list)  # per band
    total: int = 0
    over_six_months: int = 0
    overdue_follow_up: int = 0


@dataclass
class AgeingReport:
    today: dt.date
    bands: list[object]
    rows: list[AgeingRow]
    totals: AgeingRow | None

    @property
    def authorities(self) -> list[tuple[Authority, list[AgeingRow]]]:
        grouped: dict = {}
        for row in self.rows:
            grouped.setdefault(row.authority.pk, (row.authority, []))[1].append(row)
        return list(grouped.values())


def report_authorities(user: User) -> QuerySet[Authority]:
    """The authorities whose ageing the user may see: those where she holds a role (all
    for a superuser)."""
    if user.is_superuser:
        return Authority.objects.order_by("name")
    return Authority.objects.filter(pk__in=access_for(user).authority_ids()).order_by("name")


def open_cases(user: User, authority=None, unit=None) -> QuerySet[Case]:
    """Open and dormant cases of the user's authorities that she may see exist."""
    qs = policy_for(user).filter_cases(Case.objects.filter(
        status__in=OPEN_STATES, authority__in=report_authorities(user)))
    if authority:
        qs = qs.filter(authority_id=authority)
    if unit == "none":
        qs = qs.filter(responsible_unit=None)
    elif unit:
        qs = qs.filter(responsible_unit_id=unit)
    return qs


def ageing_report(user: User, authority=None, today: dt.date | None = None) -> AgeingReport:
    """Open cases by age band per authority and unit, with the cases over six months and
    those whose follow-up date has passed: one grouped query."""
    today = today or timezone.localdate()
    aggregates = {}
    for n, (start, end, _label) in enumerate(BANDS):
        # Aged at least `start` months: opened before the day `start` months ago (as
        # over_six_months counts), and less than `end` months.
        q = Q(opened_at__lt=_opened_before(months_before(today, start))) if start \
            else Q(pk__isnull=False)
        if end is not None:
            q &= Q(opened_at__gte=_opened_before(months_before(today, end)))
        aggregates[f"band{n}"] = Count("pk", filter=q)
    aggregates["over6"] = Count("pk", filter=over_six_months_q(today))
    aggregates["overdue"] = Count("pk", filter=Q(follow_up_date__lt=today))
    aggregates["total"] = Count("pk")
    grouped = (open_cases(user, authority).order_by()
               .values("authority_id", "responsible_unit_id").annotate(**aggregates))
    authorities = {a.pk: a for a in report_authorities(user)}
    units = {u.pk: u for u in Unit.objects.filter(
        pk__in={g["responsible_unit_id"] for g in grouped if g["responsible_unit_id"]})}
    rows = []
    totals = AgeingRow(authority=None, unit=None, counts=[0] * len(BANDS))  # type: ignore[arg-type]
    for g in grouped:
        row = AgeingRow(authority=authorities[g["authority_id"]],
                        unit=units.get(g["responsible_unit_id"]),
                        counts=[g[f"band{n}"] for n in range(len(BANDS))], total=g["total"],
                        over_six_months=g["over6"], overdue_follow_up=g["overdue"])
        rows.append(row)
        totals.counts = [a + b for a, b in zip(totals.counts, row.counts, strict=True)]
        totals.total += row.total
        totals.over_six_months += row.over_six_months
        totals.overdue_follow_up += row.overdue_follow_up
    rows.sort(key=lambda r: (r.authority.name, r.unit is None, r.unit.name if r.unit else ""))
    return AgeingReport(today=today, bands=[label for _s, _e, label in BANDS], rows=rows,
                        totals=totals if rows else None)


def long_open_cases(user: User, authority=None, unit=None,
                    today: dt.date | None = None) -> QuerySet[Case]:
    """The cases open more than six months whose content the user may read, oldest
    first (the report's list; a stub would show nothing but a number)."""
    today = today or timezone.localdate()
    readable = policy_for(user).filter_cases(open_cases(user, authority, unit), "content")
    return (readable.filter(over_six_months_q(today))
            .select_related("authority", "responsible_officer", "responsible_unit")
            .order_by("opened_at", "diary_number"))
