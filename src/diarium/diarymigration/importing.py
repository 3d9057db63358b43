"""Bringing a former diarium in: read the whole export, check it whole, report every problem
with its file, row and column, and only when there is none (and it is no dry run) bring
the cases in, in batches, through the registry's service (registry/services/migrated.py).

    report = import_diary(actor, Path("export"), mapping.load(None), dry_run=True)

Three passes, each streaming (memory stays flat however large the export):
1. read: every row of the source into a staging file (staging.py), each row's own problems
   reported (a date that is no date, a code no one knows, a file that is not there);
2. check: case by case with its documents and parties, what the registry must agree to: the
   series, the number free, the plan's record types, the user's right to bring cases in to
   the authority, the source's checksums; and whether it was brought in before (the
   same source id and hash: skipped; a changed one: a problem);
3. bring in: each batch's files stored first (content-addressed, write-once), then the
   batch written in one transaction with its audit events, index entries, disposal dates
   and the counters of its series.

A batch refused in pass 3 (someone took a number in the meantime) stops the run; the
batches before it stay, and running the import again brings in the rest."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from diarium.core.actors import Actor
from diarium.documents.services import store_content
from diarium.organisation.models import User
from diarium.registry.models import DiarySeries
from diarium.registry.services import Secrecy
from diarium.registry.services import migrated as service

from . import values
from .mapping import Mapping
from .report import Report
from .source import CASE, DOCUMENT, PARTY, Progress, Source, SourceError
from .staging import BAD, NEW, SKIP, Staged, StagedPart, Staging

BATCH = 500
NO_LIMIT = 1 << 62  # a former diarium's files are not uploads: no upload limit
DEFAULT_SYSTEM = "CSV"


def _quiet(phase: str, done: int, total: int | None) -> None:
    return None


def open_source(path: Path, mapping: Mapping) -> Source:
    """The source at path: a folder of CSV files, or CITS ERMS packages (one package, a
    folder of them, or an ERMS XML file)."""
    from .csv_source import CsvSource
    from .erms_source import ErmsSource

    if path.is_dir() and (path / mapping.files["cases"]).is_file():
        return CsvSource(path, mapping)
    if not path.exists():
        raise SourceError(_("%(path)s does not exist.") % {"path": path})
    return ErmsSource(path, mapping)


def import_diary(actor: Actor, path: Path, mapping: Mapping, *, dry_run: bool = False,
                 progress: Progress = _quiet, batch: int = BATCH) -> Report:
    """Check the export at path whole and, when it has no problem and this is no dry run,
    bring it in. The report has every problem and the counts."""
    report = Report()
    source = open_source(path, mapping)
    try:
        with Staging(_tmp()) as staging:
            source.read(staging, report, progress)
            _orphans(staging, source, report)
            importer = _Importer(actor, source, mapping, report, staging, batch)
            importer.check(progress)
            if report.ok and not dry_run:
                importer.bring_in(progress)
    finally:
        source.close()
    return report


def _tmp() -> Path:
    path = Path(settings.DATA_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _orphans(staging: Staging, source: Source, report: Report) -> None:
    for table, part in (("documents", DOCUMENT), ("parties", PARTY)):
        for file, row, ref in staging.orphans(table):
            if ref:
                report.error(file, row, source.column(part, "case_id"), _(
                    "There is no case %(ref)s in the export.") % {"ref": ref})


@dataclass
class _Built:
    case: service.MigratedCase
    staged: Staged
    documents: list[StagedPart]
    parties: list[StagedPart]


class _Importer:
    def __init__(self, actor: Actor, source: Source, mapping: Mapping, report: Report,
                 staging: Staging, batch: int) -> None:
        self.actor, self.source, self.mapping = actor, source, mapping
        self.report, self.staging, self.batch = report, staging, batch
        self.system = (mapping.system or source.system or DEFAULT_SYSTEM)[:100]
        self.rules = service.RuleFinder()
        self.run = uuid.uuid4()
        self._series: dict[str, DiarySeries | None] | None = None
        self._users: dict[str, User | None] = {}
        self._allowed: dict[object, bool] = {}
        self._counters: dict[tuple, tuple[int, int]] = {}

    # -- lookups --------------------------------------------------------------------------
    def series(self, code: str) -> DiarySeries | None:
        if self._series is None:
            everything = list(DiarySeries.objects.select_related("authority"))
            self._series = {s.code.casefold(): s for s in everything}
            self._series |= {s.code: s for s in everything}
        return self._series.get(code) or self._series.get(code.casefold())

    def user(self, username: str) -> User | None:
        if username not in self._users:
            self._users[username] = User.objects.filter(username=username).first()
        return self._users[username]

    def allowed(self, series: DiarySeries) -> bool:
        key = series.authority_id
        if key not in self._allowed:
            try:
                service.require_may_migrate(self.actor, series.authority)
                self._allowed[key] = True
            except PermissionDenied:
                self._allowed[key] = False
        return self._allowed[key]

    def counters(self, cases: list[service.MigratedCase]) -> None:
        keys = {(c.series.pk, c.year) for c in cases} - set(self._counters)
        self._counters |= service.counters(keys)

    # -- building a case ------------------------------------------------------------------
    def _build(self, staged: Staged, documents: list[StagedPart], parties: list[StagedPart],
               files: dict[int, list[service.MigratedFile]] | None = None,
               warn: bool = True) -> _Built | None:
        """The case to bring in, or None (reported) when its series is not known or not
        the user's to bring cases in to."""
        data = staged.data
        series = self.series(data["series"])
        if series is None:
            self.report.error(staged.file, staged.row, self.source.column(CASE, "series"), _(
                "There is no diary series %(code)s in Diarium; create it (organisation file) "
                "or map the code in the mapping file.") % {"code": data["series"]})
            return None
        if not self.allowed(series):
            self.report.error(staged.file, staged.row, self.source.column(CASE, "series"), _(
                "You may not bring cases in to %(authority)s (registrators and "
                "administrators of the authority may).") % {"authority": series.authority})
            return None
        officer = None
        if data.get("officer"):
            officer = self.user(data["officer"])
            if officer is None and warn:
                self.report.warning(staged.file, staged.row,
                                    self.source.column(CASE, "officer"), _(
                    "There is no user %(name)s; the case is brought in without a "
                    "responsible officer.") % {"name": data["officer"]})
        case = service.MigratedCase(
            source=self.system, source_id=staged.source_id, sha256=_hash(staged, documents,
                                                                          parties),
            where=f"{staged.file}" + (f":{staged.row}" if staged.row else ""),
            series=series, year=data["year"], number=data["number"],
            diary_number=staged.diary_number, title=data["title"],
            opened_at=_moment(data["opened_at"]), public_title=data["public_title"],
            classification_code=data["classification_code"], status=data["status"],
            closed_at=_moment(data["closed_at"]), closing_note=data["closing_note"],
            voided_at=_moment(data["voided_at"]), void_reason=data["void_reason"],
            follow_up_date=_date(data["follow_up_date"]), responsible_officer=officer,
            secrecy=_secrecy(data["secrecy"]),
        )
        for position, part in enumerate(documents):
            doc = part.data
            case.documents.append(service.MigratedDocument(
                number=doc["number"], direction=doc["direction"], title=doc["title"],
                document_date=_date(doc["document_date"]),
                registered_at=_moment(doc["registered_at"]),
                public_title=doc["public_title"], record_type=doc["record_type"],
                sender_recipient=doc["sender_recipient"], status=doc["status"],
                voided_at=_moment(doc["voided_at"]), void_reason=doc["void_reason"],
                secrecy=_secrecy(doc["secrecy"]),
                files=(files or {}).get(position, [])))
        for part in parties:
            party = part.data
            case.parties.append(service.MigratedParty(
                kind=party["kind"], name=party["name"],
                identity_number=party["identity_number"], role=party["role"],
                contact=party["contact"], source_id=party["source_id"]))
        return _Built(case, staged, documents, parties)

    def _batches(self, state: str) -> Iterator[tuple[list[Staged], dict, dict]]:
        for staged in self.staging.cases(self.batch, state):
            yield (staged, self.staging.parts("documents", staged),
                   self.staging.parts("parties", staged))

    # -- pass 2 ---------------------------------------------------------------------------
    def check(self, progress: Progress) -> None:
        total, done = self.staging.count(), 0
        for staged, documents, parties in self._batches(None):
            self._check_batch(staged, documents, parties)
            done += len(staged)
            progress("check", done, total)
            self.staging.commit()

    def _check_batch(self, staged: list[Staged], documents: dict, parties: dict) -> None:
        report = self.report
        built: list[_Built] = []
        broken: set[int] = set()
        for item in staged:
            docs, links = documents[item.source_id], parties[item.source_id]
            report.cases += 1
            if item.state == BAD:
                self.staging.mark(item.seq, BAD)
                continue
            if any(p.data.get("_bad") for p in docs + links):
                # Its problems are reported; check the rest of the case all the same.
                broken.add(item.seq)
                docs = [p for p in docs if not p.data.get("_bad")]
                links = [p for p in links if not p.data.get("_bad")]
            made = self._build(item, docs, links)
            if made is None:
                self.staging.mark(item.seq, BAD)
                continue
            built.append(made)
        done = service.imported(self.system, [b.case.source_id for b in built])
        fresh = []
        for made in built:
            before = done.get(made.case.source_id)
            if before is None:
                fresh.append(made)
            elif before == made.case.sha256:
                report.skipped_cases += 1
                self.staging.mark(made.staged.seq, SKIP)
            else:
                self.staging.mark(made.staged.seq, BAD)
                report.error(made.staged.file, made.staged.row,
                             self.source.column(CASE, "case_id"), _(
                    "The case %(number)s was brought in before, and has changed in the "
                    "export since; Diarium does not change a registration brought in (change "
                    "it in Diarium).") % {"number": made.case.diary_number})
        self.counters([m.case for m in fresh])
        taken = service.taken_numbers([m.case for m in fresh])
        for made in fresh:
            case = made.case
            found = service.problems(case, self.rules)
            number = service.number_problem(
                case, self._counters[(case.series.pk, case.year)], taken)
            if number is not None:
                found.append(number)
            errors_before = report.errors
            self._report(made, found)
            self.source.check_files(made.staged, made.documents, report)
            if report.errors > errors_before or made.staged.seq in broken:
                self.staging.mark(made.staged.seq, BAD)
                continue
            self.staging.mark(made.staged.seq, NEW, case.sha256)
            report.new_cases += 1
            report.documents += len(case.documents)
            report.parties += len(case.parties)
            for part in made.documents:
                report.files += len(part.data["files"])
                report.bytes += sum(f["size"] for f in part.data["files"])

    def _report(self, made: _Built, found: list[service.Problem]) -> None:
        by_number = {}
        for part in made.documents:
            by_number.setdefault(part.data["number"], part)
        for problem in found:
            if problem.document is not None:
                part = by_number.get(problem.document)
                file, row = (part.file, part.row) if part else (made.staged.file,
                                                                  made.staged.row)
                column = self.source.column(DOCUMENT, problem.field)
            elif problem.party is not None:
                part = made.parties[problem.party]
                file, row = part.file, part.row
                column = self.source.column(PARTY, problem.field)
            else:
                file, row = made.staged.file, made.staged.row
                column = self.source.column(CASE, problem.field)
            self.report.error(file, row, column, problem.message)

    # -- pass 3 ---------------------------------------------------------------------------
    def bring_in(self, progress: Progress) -> None:
        total, done = self.staging.count(NEW), 0
        brought = service.BroughtIn()
        for staged, documents, parties in self._batches(NEW):
            cases = []
            for item in staged:
                docs = documents[item.source_id]
                files = {i: self._store(item, part) for i, part in enumerate(docs)}
                made = self._build(item, docs, parties[item.source_id], files, warn=False)
                if made is None:  # the series went away, or the right to it (reported)
                    self.report.brought_in = {"cases": brought.cases}
                    return
                made.case.sha256 = self.staging.sha256(item.seq)
                cases.append(made)
            try:
                brought.add(service.bring_in(self.actor, [m.case for m in cases],
                                             run=self.run, rules=self.rules))
            except service.MigrationRefused as exc:
                for position, found in exc.problems.items():
                    self._report(cases[position], found)
                self.report.error(staged[0].file, None, None, _(
                    "The import stopped: the registry changed while it ran. %(done)s cases "
                    "were brought in; run the import again to bring in the rest.") % {
                    "done": done})
                break
            done += len(cases)
            progress("import", done, total)
        self.report.brought_in = {"cases": brought.cases, "documents": brought.documents,
                                  "parties": brought.parties, "files": brought.files}

    def _store(self, staged: Staged, part: StagedPart) -> list[service.MigratedFile]:
        """Store a document's files before its batch's transaction (content-addressed and
        write-once, as uploads are); a SHA-256 the source declares must match."""
        stored = []
        for file in part.data["files"]:
            with self.source.open_file(staged, file) as stream:
                content = store_content(stream, mime_type=file["mime_type"], limit=NO_LIMIT)
            if file.get("checksum_type") == "SHA-256" and \
                    content.sha256 != file["checksum"].lower():
                raise SourceError(_("%(path)s changed since it was checked.") % {
                    "path": file["path"]})
            stored.append(service.MigratedFile(content, file["name"], file["mime_type"]))
        return stored


def _hash(staged: Staged, documents: list[StagedPart], parties: list[StagedPart]) -> str:
    """SHA-256 of what was read of a case, its documents and parties: the same export gives
    the same hash, a changed row another."""

    def plain(data: dict) -> dict:
        return {k: v for k, v in data.items() if not k.startswith("_")}

    content = {"case": plain(staged.data), "documents": [plain(d.data) for d in documents],
               "parties": [plain(p.data) for p in parties]}
    text = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _moment(text):
    return values.moment(text) if text else None


def _date(text):
    return values.date(text) if text else None


def _secrecy(marking: list | None) -> Secrecy:
    if not marking:
        return Secrecy()
    provision, marked_on, title, parties, files = marking
    return Secrecy(provision, _date(marked_on), bool(title), bool(parties), bool(files))

