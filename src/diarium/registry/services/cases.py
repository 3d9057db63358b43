"""Opening cases with their diarienummer, and every later change of a case."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors, rows, visibility
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority, User
from diarium.organisation.selectors import REGISTERING_ROLES, REGISTRY_ROLES, access_for
from diarium.registry import disposal_dates, enforcement, indexing, signals
from diarium.registry.models import (
    Case,
    CaseNotification,
    CaseStatus,
    DiaryCounter,
    DiarySeries,
    NotificationKind,
)
from diarium.registry.selectors import CASE_OFFICER_ROLES
from diarium.registry.services._common import (
    CaseData,
    _chain,
    _locked_case,
    _may_manage,
    _require,
    _require_open,
    case_snapshot,
)
from diarium.search import backends


def _validate_case_data(data: CaseData, authority: Authority, current_code: str = "",
                        current_officer_id=None, current_provision: str = "") -> None:
    """current_code: the case's classification so far, which stays valid even when the
    plan has moved on; a new code must be a process of the plan in force. The same for
    the officer: a new one must be eligible, the current one stays."""
    errors = {}
    if not data.title.strip():
        errors["title"] = _("A case needs a title.")
    code = data.classification_code.strip()
    if code != current_code:
        wrong = enforcement.check_classification(authority.pk, code, timezone.localdate())
        if wrong:
            errors["classification_code"] = wrong
    officer = data.responsible_officer
    if officer is not None and officer.pk != current_officer_id:
        try:
            _validate_officer(officer, authority)
        except ValidationError as exc:
            errors |= exc.message_dict
    errors |= _foreign_keys_errors(data, authority)
    try:
        data.secrecy.check(current_provision)
    except ValidationError as exc:
        errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)


def _validate_officer(officer: User, authority: Authority) -> None:
    """A case's responsible officer handles it: an active case officer, board secretary
    or registrar of its authority. A reader, archivist or administrator would be a dead
    end (the case in their list, nobody handling it)."""
    if not officer.is_active or not access_for(officer).has(authority.pk, CASE_OFFICER_ROLES):
        raise ValidationError({"responsible_officer": _(
            "The responsible officer must be a case officer, board secretary or registrar "
            "of this authority.")})


def _notify_assigned(actor: Actor, case: Case, before_officer_id) -> None:
    """Tell the new responsible officer (not one who took the case themselves)."""
    officer_id = case.responsible_officer_id
    if officer_id is None or officer_id == before_officer_id:
        return
    if officer_id == getattr(actors.user_of(actor), "pk", None):
        return
    CaseNotification.objects.create(
        user_id=officer_id, case=case, kind=NotificationKind.ASSIGNED,
        actor_name=str(actors.user_of(actor) or actors.name_of(actor)),
        created_at=timezone.now(),
    )


def _foreign_keys_errors(data: CaseData, authority: Authority) -> dict:
    """A case's unit and member municipality must belong to its authority: a unit of an
    administration that serves it, a member municipality of a joint board (none else)."""
    errors = {}
    unit = data.responsible_unit
    if unit is not None and not unit.administration.authorities.filter(pk=authority.pk).exists():
        errors["responsible_unit"] = _("The unit belongs to an administration that does not "
                                       "serve this authority.")
    if data.municipality is not None:
        members = authority.member_municipalities
        if not members.exists():
            errors["municipality"] = _("Only a joint board's cases name a member municipality.")
        elif not members.filter(pk=data.municipality.pk).exists():
            errors["municipality"] = _("The municipality is not a member of this joint board.")
    return errors


# One statement takes the next number and locks the counter row until the calling
# transaction commits (UPDATE ... RETURNING on SQLite 3.35+ and PostgreSQL): no separate
# read-then-write round trips while the lock is held.
_NEXT_NUMBER = (
    "UPDATE {table} SET last_number = CASE WHEN last_number > migrated_last "
    "THEN last_number ELSE migrated_last END + 1 "
    "WHERE series_id = %s AND year = %s RETURNING last_number"
)


def _allocate_number(series: DiarySeries, year: int) -> int:
    """The next number in the series and year. The counter row stays locked until the
    calling transaction commits, which is what makes the numbers gap-free.

    Numbers continue after the highest number brought in from a former diarium
    (`migrated_last`, services/migrated.py): a number brought in is never given again.
    The first number of a series' year makes its counter row first."""
    sql = _NEXT_NUMBER.format(table=connection.ops.quote_name(DiaryCounter._meta.db_table))
    series_id = DiaryCounter._meta.get_field("series").get_db_prep_value(
        series.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [series_id, year])
        row = cursor.fetchone()
        if row is None:
            DiaryCounter.objects.bulk_create(
                [DiaryCounter(series=series, year=year, last_number=0)], ignore_conflicts=True)
            cursor.execute(sql, [series_id, year])
            row = cursor.fetchone()
    return row[0]


def open_case(actor: Actor, series: DiarySeries, data: CaseData) -> Case:
    """Open a case in a diary series and give it the next diarienummer.

    Checked and prepared first, outside the transaction when this is the whole of it
    (on SQLite a transaction holds the database's write lock from its start); the
    number is taken last and its lock held for the fewest round trips (docs/performance.md,
    section 2): the case, its search entries and public row, the audit event."""
    _require(actor, series.authority_id, REGISTERING_ROLES)
    if not series.active:
        raise ValidationError({"series": _("The diary series is closed.")})
    _validate_case_data(data, series.authority)
    now = timezone.now()
    case = Case(
        series=series,
        authority=series.authority,
        year=timezone.localtime(now).year,
        title=data.title.strip(),
        public_title=data.public_title.strip(),
        classification_code=data.classification_code.strip(),
        responsible_officer=data.responsible_officer,
        responsible_unit=data.responsible_unit,
        municipality=data.municipality,
        follow_up_date=data.follow_up_date,
        opened_at=now,
        created_by=actors.user_of(actor),  # a principal (public requests) is no user
    )
    data.secrecy.apply(case, series.authority)
    signals.opening([series.authority_id])
    return _number_and_save(actor, case)


@atomic_with_retry
def _number_and_save(actor: Actor, case: Case) -> Case:
    """Give the prepared case its number and write it with everything that carries the
    number. The number's lock lasts to the commit, so after it come only the case's
    INSERT, its search entries (the registry's and the projection's in one INSERT), its
    public row, and last the audit event, whose chain head is a lock of its own per board."""
    series = case.series
    case.number = _allocate_number(series, case.year)
    case.diary_number = series.format_number(case.year, case.number)
    rows.insert(case)  # save(force_insert=True) compiled once per model
    with backends.written_together():
        indexing.index_case(case, new=True)
        signals.opened([case])
    audit.record(
        actor=actor,
        action="case.opened",
        obj=case,
        chain=_chain(case),
        case_id=case.id,
        after=case_snapshot(case),
    )
    return case


def _change_case(actor: Actor, case: Case, action: str, mutate) -> Case:
    case = _locked_case(case)
    if not _may_manage(actor, case):
        raise PermissionDenied(_("Only the registry or the responsible officer may do this."))
    before = case_snapshot(case)
    mutate(case)
    case.save()
    changed_before, changed_after = audit.diff(before, case_snapshot(case))
    audit.record(
        actor=actor,
        action=action,
        obj=case,
        chain=_chain(case),
        case_id=case.id,
        before=changed_before,
        after=changed_after,
    )
    indexing.index_case(case)
    signals.changed([case.pk])
    return case


@atomic_with_retry
def update_case(actor: Actor, case: Case, data: CaseData) -> Case:
    before = case.responsible_officer_id

    def mutate(c: Case) -> None:
        nonlocal before
        before = c.responsible_officer_id
        _require_open(c)
        _validate_case_data(data, c.authority, c.classification_code,
                            c.responsible_officer_id, c.secrecy_provision)
        c.title = data.title.strip()
        c.public_title = data.public_title.strip()
        c.classification_code = data.classification_code.strip()
        c.responsible_officer = data.responsible_officer
        c.responsible_unit = data.responsible_unit
        c.municipality = data.municipality
        c.follow_up_date = data.follow_up_date
        data.secrecy.apply(c, c.authority)

    case = _change_case(actor, case, "case.updated", mutate)
    _notify_assigned(actor, case, before)
    return case


@atomic_with_retry
def reassign_case(actor: Actor, case: Case, officer: User | None) -> Case:
    """Give the case to another responsible officer (or to none)."""

    before = case.responsible_officer_id

    def mutate(c: Case) -> None:
        nonlocal before
        _require_open(c)
        before = c.responsible_officer_id
        if officer is not None and officer.pk != c.responsible_officer_id:
            _validate_officer(officer, c.authority)
        c.responsible_officer = officer

    case = _change_case(actor, case, "case.reassigned", mutate)
    _notify_assigned(actor, case, before)
    return case


@atomic_with_retry
def set_follow_up_date(actor: Actor, case: Case, on) -> Case:
    """Set or clear the case's follow-up date (bevakningsdatum)."""

    def mutate(c: Case) -> None:
        _require_open(c)
        c.follow_up_date = on

    return _change_case(actor, case, "case.follow_up_set", mutate)


@atomic_with_retry
def close_case(actor: Actor, case: Case, note: str = "") -> Case:
    def mutate(c: Case) -> None:
        if c.status not in (CaseStatus.OPEN, CaseStatus.DORMANT):
            raise ValidationError({"status": _("Only an open or dormant case can be closed.")})
        c.status, c.closed_at, c.closing_note = CaseStatus.CLOSED, timezone.now(), note.strip()
        disposal_dates.recompute_case(c)

    return _change_case(actor, case, "case.closed", mutate)


@atomic_with_retry
def reopen_case(actor: Actor, case: Case) -> Case:
    def mutate(c: Case) -> None:
        if c.status not in (CaseStatus.CLOSED, CaseStatus.DORMANT):
            raise ValidationError({"status": _("Only a closed or dormant case can be reopened.")})
        c.status, c.closed_at = CaseStatus.OPEN, None
        disposal_dates.recompute_case(c)

    return _change_case(actor, case, "case.reopened", mutate)


@atomic_with_retry
def set_dormant(actor: Actor, case: Case) -> Case:
    def mutate(c: Case) -> None:
        if c.status != CaseStatus.OPEN:
            raise ValidationError({"status": _("Only an open case can be set dormant.")})
        c.status = CaseStatus.DORMANT

    return _change_case(actor, case, "case.dormant", mutate)


@atomic_with_retry
def void_case(actor: Actor, case: Case, reason: str) -> Case:
    """Void a case. It stays visible as voided and its number is never given again."""
    _require(actor, case.authority_id, REGISTRY_ROLES)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for voiding.")})

    def mutate(c: Case) -> None:
        if c.status == CaseStatus.VOID:
            raise ValidationError({"status": _("The case is already voided.")})
        if c.status == CaseStatus.DISPOSED:
            raise ValidationError({"status": _("The case is disposed of.")})
        c.status, c.voided_at, c.void_reason = CaseStatus.VOID, timezone.now(), reason.strip()
        disposal_dates.recompute_case(c)

    return _change_case(actor, case, "case.voided", mutate)


@atomic_with_retry
def relate_cases(actor: Actor, case: Case, other: Case) -> None:
    """Relate two cases. The relation is mutual, so both cases change: each gets its
    event in its own authority's chain (the other may be another board's case)."""
    actors.check(actor)
    if case.pk == other.pk:
        raise ValidationError({"related": _("A case cannot be related to itself.")})
    if not visibility.policy_for(actor).case(other).content:
        raise PermissionDenied(_("Only the case's access group may change a secret case."))
    case = _locked_case(case)
    if not _may_manage(actor, case):
        raise PermissionDenied(_("Only the registry or the responsible officer may do this."))
    case.related_cases.add(other)
    for changed, to in ((case, other), (other, case)):
        audit.record(
            actor=actor,
            action="case.related",
            obj=changed,
            chain=_chain(changed),
            case_id=changed.id,
            after={"related": to.diary_number},
        )


@atomic_with_retry
def grant_case_access(actor: Actor, case: Case, user: User) -> None:
    """Add a user to the case's access group (who may read its secret content)."""
    if not access_for(user).has_any_role(case.authority_id):
        raise ValidationError({"user": _("The user holds no role in the case's authority.")})
    case = _locked_case(case)
    if not _may_manage(actor, case):
        raise PermissionDenied(_("Only the registry or the responsible officer may do this."))
    case.access_group.add(user)
    audit.record(
        actor=actor,
        action="case.access_granted",
        obj=case,
        chain=_chain(case),
        case_id=case.id,
        after={"user": user.get_username()},
    )
