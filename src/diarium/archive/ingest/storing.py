"""Writing a fresh AIP into a staging in every location at once: the SIP's files go to
submission/ (each read once from the package, hashed once, written to all locations), then
the PREMIS and the AIP's METS.xml are written beside them."""

from __future__ import annotations

import contextlib
import io
import mimetypes
import os
import tempfile
from pathlib import Path

from django.conf import settings

from diarium.archive.aip.inventory import (
    METS_PATH,
    PREMIS_PATH,
    SUBMISSION,
    Entry,
    PlannedEvent,
    SipHead,
)
from diarium.archive.aip.mets import aip_mets
from diarium.archive.aip.premis import Agent, check_premis, write_premis
from diarium.archive.event_text import Summary, planned
from diarium.archive.models import EventType, Outcome, Package, SubmissionAgreement
from diarium.archive.storage import AipStore
from diarium.archive.storage.writer import TreeWriter
from diarium.archive.validation import Report
from diarium.archive.validation.formats import identify
from diarium.archive.validation.package import Package as SourcePackage

from .progress import Progress


class SourceChanged(Exception):
    """The package changed between validation and copying."""


def _mime(declared: str, found: str, path: str) -> str:
    return declared or found or mimetypes.guess_type(path)[0] or "application/octet-stream"


def copy_submission(source: SourcePackage, report: Report, writer: TreeWriter,
                    progress: Progress) -> list[Entry]:
    known = {record.path: record for record in report.files}
    entries: list[Entry] = []
    progress.phase("copy", sum(m.size for m in source.files.values()))
    for path, stream in source.iter_members():
        result = writer.copy(f"{SUBMISSION}/{path}", stream, progress.advance)
        record = known.get(path)
        if record is not None and record.sha256 and record.sha256 != result.sha256:
            raise SourceChanged(f"{path} changed after it was validated")
        if record is not None and record.puid:
            puid, name, version = record.puid, record.format_name, record.format_version
            mime = _mime(record.declared_mimetype, "", path)
        else:
            found = identify(result.head, result.tail, path)
            puid, name, version = found.puid, found.name if found.puid else "", found.version
            mime = _mime(record.declared_mimetype if record else "", found.mimetype, path)
        entries.append(Entry(f"{SUBMISSION}/{path}", result.size, result.sha256, puid, mime,
                             name, version))
    if len(entries) != len(source.files):
        raise SourceChanged("the package lost files after it was validated")
    return entries


def agents_for(actor, package: Package) -> list[Agent]:
    agents = [Agent("diarium", "Diarium", "software", "executing program")]
    if actor is not None and actor.is_authenticated:
        agents.append(Agent(f"user:{actor.get_username()}", str(actor), "person",
                            "implementer"))
    return agents


def ingest_events(package: Package, head: SipHead, agreement: SubmissionAgreement,
                  entries: list[Entry], validation: PlannedEvent) -> list[PlannedEvent]:
    count = len(entries)
    fixity = planned(EventType.FIXITY_CHECK, Outcome.SUCCESS,
                     Summary("ingest.fixity", {"files": count}))
    ingestion = planned(EventType.INGESTION, Outcome.SUCCESS, Summary("ingest.aip_made", {
        "aip": package.aip_id, "sip": head.objid or package.name,
        "agreement": agreement.reference}))
    return [validation, fixity, ingestion]


def _premis_file(**arguments) -> Path:
    """premis.xml is streamed to a temporary file (it grows with the number of files) and
    checked there before it is copied into the stagings."""
    folder = Path(settings.DATA_DIR) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="premis-", suffix=".xml", dir=folder)
    os.close(handle)
    path = Path(name)
    try:
        write_premis(path, **arguments)
        check_premis(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def write_metadata(writer: TreeWriter, *, package: Package, head: SipHead,
                   agreement: SubmissionAgreement, entries: list[Entry],
                   events: list[PlannedEvent], agents: list[Agent]) -> list[Entry]:
    """premis.xml and METS.xml (small, built in memory) into every staging; returns their
    inventory entries."""
    premis_file = _premis_file(aip_id=package.aip_id, objid=head.objid, entries=entries,
                               events=events, agents=agents,
                               submission_prefix=f"{SUBMISSION}/")
    try:
        with premis_file.open("rb") as stream:
            result = writer.copy(PREMIS_PATH, stream)
    finally:
        premis_file.unlink(missing_ok=True)
    premis = Entry(PREMIS_PATH, result.size, result.sha256, "", "application/xml",
                   role="metadata")
    sip_mets = next(e for e in entries if e.path == f"{SUBMISSION}/{METS_PATH}")
    data = aip_mets(aip_id=package.aip_id, head=head, creator_name=package.creator.name,
                    creator_code=package.creator.identifier, agreement=agreement.reference,
                    premis=premis, submission_mets=sip_mets, created=events[-1].at)
    written = writer.copy(METS_PATH, io.BytesIO(data))
    mets = Entry(METS_PATH, written.size, written.sha256, "", "application/xml",
                 role="metadata")
    return [premis, mets]


def new_stagings(stores: list[AipStore], package: Package) -> list:
    stagings = []
    try:
        for store in stores:
            stagings.append(store.stage(package.id))
    except OSError:
        for store, staging in zip(stores, stagings, strict=False):
            with contextlib.suppress(OSError):
                store.discard(staging)
        raise
    return stagings
