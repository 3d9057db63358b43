"""The validation report: findings keyed by requirement ID, plus the file inventory.

Repeated findings are grouped: of each (requirement, severity) the first EXAMPLES findings
are kept and the rest only counted, so a METS that breaks one rule for each of 100,000 files
costs the memory (and report size) of ten findings, not of 100,000. `keep_all` keeps every
finding (`diarium archive validate --all`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

EXAMPLES = 10  # findings kept per (requirement, severity) unless every one is asked for


class Severity(StrEnum):
    ERROR = "ERROR"  # a MUST is broken: the package is not valid
    WARN = "WARN"  # a SHOULD is not followed
    INFO = "INFO"  # a MAY, or a remark


@dataclass(frozen=True)
class Finding:
    requirement: str
    severity: Severity
    message: str  # Swedish
    message_en: str
    location: str = ""

    def text(self, lang: str = "sv") -> str:
        return self.message_en if lang == "en" else self.message

    def to_dict(self) -> dict:
        return {
            "requirement": self.requirement,
            "severity": str(self.severity),
            "message": self.message,
            "message_en": self.message_en,
            "location": self.location,
        }


Key = tuple[str, Severity]


class Findings:
    """Findings as they are found, grouped by (requirement, severity)."""

    def __init__(self, keep_all: bool = False) -> None:
        self.keep_all = keep_all
        self.kept: list[Finding] = []
        self.omitted: Counter[Key] = Counter()
        self._seen: Counter[Key] = Counter()

    def append(self, finding: Finding) -> None:
        key = (finding.requirement, finding.severity)
        self._seen[key] += 1
        if self.keep_all or self._seen[key] <= EXAMPLES:
            self.kept.append(finding)
        else:
            self.omitted[key] += 1

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.append(finding)

    def merge(self, other: Findings) -> None:
        """Add the findings gathered in `other` (kept and counted) as if found here now."""
        for finding in other.kept:
            self.append(finding)
        for key, count in other.omitted.items():
            self._seen[key] += count
            self.omitted[key] += count

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.kept)

    def __len__(self) -> int:
        return len(self.kept)


@dataclass
class FileRecord:
    """One file referenced from a METS document, as found in the package."""

    path: str
    size: int | None = None
    declared_mimetype: str = ""
    puid: str = ""
    format_name: str = ""
    format_version: str = ""
    checksum_type: str = ""
    checksum_ok: bool | None = None
    sha256: str = ""

    def to_dict(self) -> dict:
        # Every field is a str, int, bool or None: a shallow dict is the same as asdict,
        # which deep-copies field by field (0.9 s for a package of 10,000 files).
        return dict(self.__dict__)


@dataclass
class Report:
    package: str
    findings: list[Finding] = field(default_factory=list)  # the kept ones
    files: list[FileRecord] = field(default_factory=list)
    unreadable: bool = False  # the package could not be read at all (exit code 2)
    profile: str = ""  # "CSIP" or "SIP"
    version: str = ""  # of the rules applied: "2.1" or "2.2"
    strict: bool = False  # package-level rules were errors in representation METS too
    omitted: Counter[Key] = field(default_factory=Counter)  # grouped away, per key
    erms: list = field(default_factory=list)  # metadata_xml.ErmsDocument, for agreements

    @property
    def rules(self) -> str:
        """The rule set applied, e.g. 'E-ARK SIP 2.2' ('' when none was)."""
        return f"E-ARK {self.profile} {self.version}" if self.profile else ""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def count(self, severity: Severity) -> int:
        """Every finding of `severity`, the grouped-away ones included."""
        omitted = sum(n for (_r, s), n in self.omitted.items() if s is severity)
        return sum(1 for f in self.findings if f.severity is severity) + omitted

    def groups(self) -> list[dict]:
        """Per (requirement, severity): how many findings there are and how many are shown."""
        shown = Counter((f.requirement, f.severity) for f in self.findings)
        return [{"requirement": requirement, "severity": str(severity),
                 "count": n + self.omitted[(requirement, severity)], "shown": n}
                for (requirement, severity), n in shown.items()]

    @property
    def valid(self) -> bool:
        return not self.unreadable and not self.errors

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return 2
        return 1 if self.errors else 0

    def requirements(self, severity: Severity | None = None) -> set[str]:
        return {
            f.requirement for f in self.findings if severity is None or f.severity is severity
        }

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "package": self.package,
            "profile": self.profile,
            "version": self.version,
            "rules": self.rules,
            "strict": self.strict,
            "exit_code": self.exit_code,
            "findings": [f.to_dict() for f in self.findings],
            "groups": self.groups(),
            "erms": [e.to_dict() for e in self.erms],
            "files": [f.to_dict() for f in self.files],
        }
