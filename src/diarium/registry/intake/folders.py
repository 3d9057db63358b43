"""Bulk intake of a folder tree (a network drive's H:\\Bygglov\\…) into cases and
documents: `diarium import folder PATH --mapping FILE.csv [--dry-run]`.

The mapping is a CSV file (comma or semicolon, UTF-8, a header row) with the columns

    pattern      a path pattern relative to PATH: `*` within a folder name, `**` any
                 number of folders, `?` one character; matched without regard to case.
                 The first row whose pattern matches a file decides for it.
    series       the diary series code (needed for a new case)
    case         an existing case's diary number; empty: a new case
    case_title   the new case's title; `{1}`, `{2}` … are the file's path components
                 (1 = the first folder under PATH), `{parent}` its folder, `{stem}` its
                 name without extension. Files with the same series and title share one
                 case, in this run and later runs.
    record_type  the record type's name (or id) in the authority's plan; may be empty
    direction    incoming, outgoing or internal (inkommande, utgående, upprättad)
    date         the document date: YYYY-MM-DD, `mtime` (the file's modification date;
                 the default) or `name` (a date written in the file's path, 2024-03-01
                 or 20240301)
    title        optional: the document's description, with the same placeholders
                 (default `{stem}`)

Every file is either imported or reported as skipped with its reason (no mapping row,
hidden or system file, link, empty, unreadable, too large, already imported, a case or
record type that does not exist, no date). A file already imported (the same path and
content: path and SHA-256 are recorded) is skipped, so a second run imports nothing twice.
The run acts as the user given (--user): registration is a person's act."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from diarium.core.actors import Actor
from diarium.registry import enforcement, selectors
from diarium.registry.models import (
    LEGACY_CODES,
    Case,
    CaseStatus,
    DiarySeries,
    Direction,
)
from diarium.registry.services._common import Upload
from diarium.registry.services.documents import DocumentData, store_uploads
from diarium.registry.services.folder_import import case_for_key, import_file, imported

COLUMNS = ("pattern", "series", "case", "case_title", "record_type", "direction", "date",
           "title")
REQUIRED = ("pattern", "direction")
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}
DIRECTIONS = {"utgående": "outgoing", "upprättad": "internal"} | {
    k: v for k, v in LEGACY_CODES.items() if v in Direction.values}
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class MappingError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Rule:
    line: int
    pattern: str
    regex: re.Pattern
    series: DiarySeries | None
    case: Case | None
    case_title: str
    record_type: str
    direction: str
    date: str
    title: str


@dataclass
class Planned:
    path: Path
    relative: str
    rule: Rule
    case_key: str = ""
    case_title: str = ""
    data: DocumentData | None = None


@dataclass
class Outcome:
    relative: str
    status: str  # "imported", "would import", "skipped"
    reason: str = ""
    target: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def _glob(pattern: str) -> re.Pattern:
    out, i = "", 0
    pattern = pattern.replace("\\", "/").strip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z", re.IGNORECASE)


def read_mapping(actor: Actor, text: str) -> list[Rule]:
    """The mapping's rows, checked: unknown series, cases the actor cannot register in,
    bad directions or dates are all reported at once (MappingError)."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    problems = [f"the mapping has no column {c}" for c in REQUIRED if c not in headers]
    problems += [f"unknown column {h}" for h in headers if h and h not in COLUMNS]
    if problems:
        raise MappingError(problems)
    rules = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        try:
            rules.append(_rule(actor, line, row))
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
    if problems:
        raise MappingError(problems)
    if not rules:
        raise MappingError(["the mapping has no rows"])
    return rules


def _rule(actor: Actor, line: int, row: dict) -> Rule:
    if not row.get("pattern"):
        raise ValueError("no pattern")
    direction = DIRECTIONS.get(row["direction"].lower(), row["direction"].lower())
    if direction not in Direction.values:
        raise ValueError(f"unknown direction {row['direction']!r}")
    series = None
    if row.get("series"):
        series = DiarySeries.objects.filter(code=row["series"].upper()).first()
        if series is None:
            raise ValueError(f"no diary series {row['series']!r}")
    case = None
    if row.get("case"):
        try:
            case = selectors.get_case_by_number(actor, row["case"])
        except Case.DoesNotExist:
            raise ValueError(f"no case {row['case']!r}") from None
        if case.status in (CaseStatus.VOID, CaseStatus.DISPOSED):
            raise ValueError(f"the case {row['case']} is {case.status}")
    elif series is None:
        raise ValueError("a new case needs a series")
    elif not row.get("case_title"):
        raise ValueError("a new case needs a case_title")
    date = row.get("date") or "mtime"
    if date not in ("mtime", "name"):
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise ValueError(f"date {date!r} is not YYYY-MM-DD, mtime or name") from None
    authority_id = case.authority_id if case else series.authority_id
    if row.get("record_type"):
        try:
            enforcement.resolve_rule(authority_id, row["record_type"], timezone.localdate())
        except ValidationError:
            raise ValueError(f"no record type {row['record_type']!r} in the plan") from None
    return Rule(line, row["pattern"], _glob(row["pattern"]), series, case,
                row.get("case_title", ""), row.get("record_type", ""), direction, date,
                row.get("title") or "{stem}")


def _fill(template: str, relative: str) -> str:
    parts = relative.split("/")
    path = Path(relative)
    values = {"parent": path.parent.name, "stem": path.stem, "name": path.name}

    def one(match: re.Match) -> str:
        key = match.group(1)
        if key.isdigit():
            n = int(key)
            return parts[n - 1] if 0 < n <= len(parts) else match.group(0)
        return values.get(key, match.group(0))

    return " ".join(_PLACEHOLDER.sub(one, template).split())


def _walk(root: Path) -> Iterator[tuple[Path, str, str]]:
    """Every entry under root as (path, relative path, reason to skip or "")."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        base = Path(folder)
        for name in sorted(dirs):
            if (base / name).is_symlink():
                yield base / name, (base / name).relative_to(root).as_posix(), \
                    "a link to a folder (not followed)"
        dirs[:] = [d for d in dirs if not (base / d).is_symlink() and not d.startswith(".")]
        for name in sorted(files):
            path = base / name
            relative = path.relative_to(root).as_posix()
            reason = ""
            if path.is_symlink():
                reason = "a link (not followed)"
            elif name.startswith((".", "~$")) or name.lower() in SYSTEM_FILES:
                reason = "a hidden, temporary or system file"
            yield path, relative, reason


def _document_date(rule: Rule, path: Path, relative: str) -> dt.date:
    if rule.date == "mtime":
        return timezone.localdate(dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC))
    if rule.date == "name":
        for match in _DATE_IN_NAME.finditer(relative):
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
        raise ValueError("no date in the file's path")
    return dt.date.fromisoformat(rule.date)


def plan(actor: Actor, root: Path, rules: list[Rule]) -> tuple[list[Planned], list[Outcome]]:
    planned, skipped = [], []
    for path, relative, reason in _walk(root):
        if reason:
            skipped.append(Outcome(relative, "skipped", reason))
            continue
        rule = next((r for r in rules if r.regex.match(relative)), None)
        if rule is None:
            skipped.append(Outcome(relative, "skipped", "no mapping row matches"))
            continue
        try:
            size = path.stat().st_size
            if size == 0:
                raise ValueError("an empty file")
            if size > settings.MAX_UPLOAD_BYTES:
                raise ValueError(f"larger than the limit of {settings.MAX_UPLOAD_BYTES} bytes")
            date = _document_date(rule, path, relative)
            if date > timezone.localdate() + dt.timedelta(days=1):
                raise ValueError(f"the date {date} lies in the future")
        except (OSError, ValueError) as exc:
            skipped.append(Outcome(relative, "skipped", f"line {rule.line}: {exc}"))
            continue
        item = Planned(path, relative, rule, data=DocumentData(
            direction=rule.direction, title=_fill(rule.title, relative)[:500] or path.name,
            document_date=date, record_type=rule.record_type or None))
        if rule.case is None:
            item.case_title = _fill(rule.case_title, relative)[:500]
            item.case_key = f"{rule.series.code}\n{item.case_title.casefold()}"
        planned.append(item)
    return planned, skipped


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _target(item: Planned, case: Case | None) -> str:
    if case is not None:
        return case.diary_number
    return f"{item.rule.series.code}: {item.case_title} (new)"


def run(actor: Actor, root: Path, rules: list[Rule], *, dry_run: bool = False,
        progress: Callable[[int, int, str], None] | None = None) -> Report:
    """Import (or, with dry_run, only plan and report) every file under root."""
    root = root.resolve()
    planned, skipped = plan(actor, root, rules)
    report = Report(outcomes=list(skipped), dry_run=dry_run)
    for n, item in enumerate(planned, 1):
        source = str(item.path)
        try:
            sha = _sha256(item.path)
        except OSError as exc:
            report.outcomes.append(Outcome(item.relative, "skipped", f"unreadable: {exc}"))
            continue
        if imported(source, sha):
            report.outcomes.append(Outcome(item.relative, "skipped", "already imported"))
        elif dry_run:
            case = item.rule.case or (case_for_key(item.case_key) if item.case_key else None)
            report.outcomes.append(Outcome(item.relative, "would import",
                                           target=_target(item, case)))
        else:
            report.outcomes.append(_import_one(actor, item, source))
        if progress is not None:
            progress(n, len(planned), item.relative)
    return report


def _import_one(actor: Actor, item: Planned, source: str) -> Outcome:
    try:
        with item.path.open("rb") as stream:
            [stored] = store_uploads(actor, [Upload(stream, item.path.name)])
        doc = import_file(actor, source, stored, item.data, case=item.rule.case,
                          series=item.rule.series, case_key=item.case_key,
                          case_title=item.case_title)
    except FileExistsError:
        return Outcome(item.relative, "skipped", "already imported")
    except (ValidationError, PermissionDenied, OSError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return Outcome(item.relative, "skipped", f"line {item.rule.line}: {message}")
    return Outcome(item.relative, "imported", target=doc.document_number)
