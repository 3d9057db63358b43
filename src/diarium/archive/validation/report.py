"""The validation report: findings keyed by requirement ID, plus the file inventory."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


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
        return asdict(self)


@dataclass
class Report:
    package: str
    findings: list[Finding] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    unreadable: bool = False  # the package could not be read at all (exit code 2)
    profile: str = ""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

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
            "exit_code": self.exit_code,
            "findings": [f.to_dict() for f in self.findings],
            "files": [f.to_dict() for f in self.files],
        }
