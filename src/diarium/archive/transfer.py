"""From the diarium to the archive without re-keying: closed cases are exported as SIPs
(diarium.archive.erms) and ingested at once, and the case is linked to its package
(ArchivedCase). Run by `diarium archive export-cases --ingest [--watch]`.

Which agreement: the one named (reference or id), or else the agreement in force of the
case's archive creator whose producer is "Diarium". Which cases: closed (and, when asked,
voided) cases with no ArchivedCase for the moment they were last closed, so a second run
finds nothing, and a case reopened and closed again is archived again as a new version."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from diarium.archive.erms import export_case_sip
from diarium.archive.erms.state import read_record
from diarium.archive.ingest import ingest_package
from diarium.archive.models import ArchivedCase, Package, PackageState, SubmissionAgreement
from diarium.archive.selectors import ARCHIVE_ROLES, is_archivist
from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.selectors import holds
from diarium.registry.models import Case, CaseStatus

logger = logging.getLogger(__name__)
PRODUCER = "Diarium"


class TransferFailed(RuntimeError):
    """The case could not be archived (no agreement, an invalid export, a failed ingest)."""


@dataclass
class Transferred:
    case: Case
    link: ArchivedCase | None = None
    error: str = ""


def ended_at(case: Case) -> dt.datetime | None:
    return case.voided_at if case.status == CaseStatus.VOID else case.closed_at


def cases_to_archive(*, authority: str | None = None, since: dt.date | None = None,
                     include_voided: bool = False) -> Iterator[Case]:
    """Closed (voided) cases whose latest closing has no package yet, oldest first."""
    done_closed = ArchivedCase.objects.filter(case_id=OuterRef("pk"),
                                              case_ended_at=OuterRef("closed_at"))
    done_voided = ArchivedCase.objects.filter(case_id=OuterRef("pk"),
                                              case_ended_at=OuterRef("voided_at"))
    wanted = Q(status=CaseStatus.CLOSED) & ~Exists(done_closed)
    if include_voided:
        wanted |= Q(status=CaseStatus.VOID) & ~Exists(done_voided)
    cases = Case.objects.filter(wanted).select_related("authority")
    if authority:
        cases = cases.filter(authority__code=authority)
    if since:
        cases = cases.filter(Q(closed_at__date__gte=since) | Q(voided_at__date__gte=since))
    yield from cases.order_by(F("closed_at").asc(nulls_last=True), "diary_number").iterator(
        chunk_size=500)


def agreement_for(case: Case, given: str | None = None) -> SubmissionAgreement:
    agreements = SubmissionAgreement.objects.select_related("creator").filter(
        creator__authority_id=case.authority_id)
    if given:
        found = agreements.filter(reference=given).first()
        if found is None:
            raise TransferFailed(f"submission agreement {given!r} is not one of "
                                 f"{case.authority.code}'s archive creator")
        return found
    day = timezone.localdate()
    for found in agreements.filter(producer__iexact=PRODUCER).order_by("-valid_from"):
        if found.in_force(day):
            return found
    raise TransferFailed(
        f"no submission agreement in force with producer {PRODUCER!r} for "
        f"{case.authority.code}: add one with `diarium archive agreement add --authority "
        f"{case.authority.code} --reference … --producer {PRODUCER}`")


@atomic_with_retry
def link_case(actor: Actor, case: Case, package: Package, version: int, objid: str,
              exported_at: dt.datetime) -> ArchivedCase:
    _require(actor, case)
    link, created = ArchivedCase.objects.get_or_create(
        case=case, version=version, defaults={
            "package": package, "objid": objid, "case_ended_at": ended_at(case),
            "exported_at": exported_at})
    if created:
        audit.record(actor=actor, action="archive.case_archived", obj=link,
                     chain=f"authority:{case.authority_id}",
                     after={"case": str(case.pk), "diary_number": case.diary_number,
                            "version": version, "package": str(package.pk), "objid": objid})
    return link


def _require(actor: Actor, case: Case) -> None:
    actors.require(actor, "archive.transfer", holds(case.authority_id, ARCHIVE_ROLES))


def archive_case(actor: Actor, case: Case, out_dir: Path, *, agreement: str | None = None,
                 as_zip: bool = False, keep: bool = False) -> ArchivedCase:
    """Export the case's SIP, ingest it and link the case to its package. The SIP is
    removed once archived (the AIP holds it byte for byte) unless keep."""
    _require(actor, case)
    found = agreement_for(case, agreement)
    path = export_case_sip(case, out_dir, as_zip=as_zip,
                           include_voided=case.status == CaseStatus.VOID,
                           submission_agreement=found.reference)
    record = read_record(out_dir, case.pk)
    if record is None:
        raise TransferFailed(f"{case.diary_number}: the export left no record")
    try:
        package = ingest_package(actor, path, found)
    except ValidationError as exc:
        raise TransferFailed(f"{case.diary_number}: {'; '.join(exc.messages)}") from exc
    if package.state != PackageState.ARCHIVED:
        detail = package.error or f"{package.state} (receipt {package.pk})"
        raise TransferFailed(f"{case.diary_number}: not archived: {detail}")
    exported_at = parse_datetime(record.exported_at.replace("Z", "+00:00")) or timezone.now()
    link = link_case(actor, case, package, record.version, record.objid, exported_at)
    if not keep:
        _remove(path)
    return link


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def archive_closed_cases(actor: Actor, out_dir: Path, *, authority: str | None = None,
                         since: dt.date | None = None,
                         include_voided: bool = False, agreement: str | None = None,
                         as_zip: bool = False, keep: bool = False, limit: int | None = None,
                         report: Callable[[Transferred], None] | None = None,
                         stop: threading.Event | None = None) -> list[Transferred]:
    """One pass: every case waiting to be archived, each on its own (one failure does not
    stop the others). Each case checks the actor again (its authority's archivists)."""
    actors.require(actor, "archive.transfer", is_archivist)
    results: list[Transferred] = []
    for case in cases_to_archive(authority=authority, since=since,
                                 include_voided=include_voided):
        if (limit is not None and len(results) >= limit) or (stop and stop.is_set()):
            break
        try:
            result = Transferred(case, archive_case(actor, case, out_dir, agreement=agreement,
                                                    as_zip=as_zip, keep=keep))
        except Exception as exc:  # one broken case must not stop the others
            logger.warning("archiving %s failed: %s", case.diary_number, exc)
            result = Transferred(case, error=f"{type(exc).__name__}: {exc}")
        results.append(result)
        if report is not None:
            report(result)
    return results


def watch(pass_once: Callable[[], object], interval: float, stop: threading.Event,
          before_pass: Callable[[], object] | None = None) -> None:
    """Run pass_once, then again every interval seconds, until stop is set. before_pass
    runs first each time (the command closes database connections that went stale)."""
    while not stop.is_set():
        try:
            if before_pass is not None:
                before_pass()
            pass_once()
        except Exception:  # a pass that fails (database gone away) is retried next time
            logger.exception("archiving pass failed")
        stop.wait(interval)
