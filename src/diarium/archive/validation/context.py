"""The state shared by the checks of one package: the rule set, the findings (grouped), the
METS documents, and the files they reference (checked for size and checksum after one
streaming pass).

Every finding passes through Context.add, which keeps two rules: a finding's severity is its
requirement's level in the rule set's version unless the check names another (a deviation
listed in requirements.DEVIATIONS), and a package-level rule broken in a representation METS
is a warning that says so, unless the rules are strict."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from .fixity import ALGORITHMS, METS_ALGORITHMS, normalise_algorithm
from .limits import LIMITS
from .messages import make
from .mets import HREF, XLINK_TYPE, Element, MetsDocument
from .package import Package
from .report import Findings, Severity
from .requirements import PACKAGE_LEVEL
from .rules import RuleSet
from .vocabularies import media_type_problem

_NONE: frozenset[str] = frozenset()
_KINDS: dict[frozenset[str], frozenset[str]] = {}


@dataclass(slots=True)
class Expected:
    """What a METS document says about one referenced file (one per file: kept small)."""

    path: str
    location: str
    requirements: dict[str, str]
    size: int | None = None
    checksum: str = ""
    checksum_type: str = ""
    mimetype: str = ""


@dataclass
class Context:
    package: Package
    findings: Findings = field(default_factory=Findings)
    rules: RuleSet = field(default_factory=RuleSet)
    document: MetsDocument | None = None  # the METS document being checked
    documents: list[MetsDocument] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    # path -> the kinds of element referencing it (interned sets: one per combination, not
    # one per file)
    referenced: dict[str, frozenset[str]] = field(default_factory=dict)
    premis: list[str] = field(default_factory=list)  # PREMIS files referenced by digiprovMD
    # CITS ERMS documents: path -> metadata_xml.ErmsDocument (None until it has been read)
    erms: dict[str, Any] = field(default_factory=dict)

    def add_reference(self, path: str, kind: str) -> None:
        kinds = self.referenced.get(path, _NONE)
        if kind not in kinds:
            self.referenced[path] = _KINDS.setdefault(kinds | {kind}, kinds | {kind})

    def add(
        self,
        requirement: str,
        sv: str,
        en: str,
        location: str = "",
        severity: Severity | None = None,
    ) -> None:
        doc = self.document
        if doc is not None and not doc.is_package and requirement in PACKAGE_LEVEL:
            if self.rules.strict:
                sv = f"representation METS (strikt): {sv}"
                en = f"representation METS (strict): {en}"
            else:
                severity = Severity.WARN
                sv = f"representation METS (paketkrav, varning): {sv}"
                en = f"representation METS (a package-level rule, a warning): {en}"
        self.findings.append(make(requirement, sv, en, location, severity, self.rules.version))

    def error(self, requirement: str, sv: str, en: str, location: str = "") -> None:
        self.add(requirement, sv, en, location, Severity.ERROR)

    def warn(self, requirement: str, sv: str, en: str, location: str = "") -> None:
        self.add(requirement, sv, en, location, Severity.WARN)

    def info(self, requirement: str, sv: str, en: str, location: str = "") -> None:
        self.add(requirement, sv, en, location, Severity.INFO)

    # -- references ------------------------------------------------------------------------
    def resolve(self, doc: MetsDocument, href: str, requirement: str, where: str) -> str | None:
        """The package path an xlink:href points at, or None (with a finding) when it points
        outside the package, is not a relative URL or names no file in the package."""
        if not href.strip():
            self.error(requirement, "xlink:href är tomt", "xlink:href is empty", where)
            return None
        parts = urlsplit(href.strip())
        if (parts.scheme and parts.scheme.lower() != "file") or parts.netloc:
            self.error(
                requirement,
                f"xlink:href pekar utanför paketet ({href}); innehåll måste finnas i paketet",
                f"xlink:href points outside the package ({href}); content must be inside "
                "the package",
                where,
            )
            return None
        raw = unquote(parts.path)
        if "\\" in raw:
            self.error(
                requirement,
                f"xlink:href använder omvända snedstreck ({href}); en URL använder /",
                f"xlink:href uses backslashes ({href}); a URL uses /",
                where,
            )
            return None
        if raw.startswith("/") or "\x00" in raw:
            self.error(
                requirement,
                f"xlink:href är en absolut sökväg ({href}); den måste vara relativ",
                f"xlink:href is an absolute path ({href}); it must be relative",
                where,
            )
            return None
        joined = posixpath.normpath(posixpath.join(doc.folder, raw))
        if joined == ".." or joined.startswith("../"):
            self.error(
                requirement,
                f"xlink:href pekar utanför paketet ({href})",
                f"xlink:href points outside the package ({href})",
                where,
            )
            return None
        if self.package.exists(joined):
            return joined
        real = self.package.case_insensitive(joined)
        if real is not None and self.package.exists(real):
            self.warn(
                requirement,
                f"xlink:href '{href}' skiljer sig i stora/små bokstäver från filen '{real}'",
                f"xlink:href '{href}' differs in letter case from the file '{real}'",
                where,
            )
            return real
        self.error(
            requirement,
            f"xlink:href pekar på en fil som inte finns i paketet: {href}",
            f"xlink:href points at a file that is not in the package: {href}",
            where,
        )
        return None

    def check_reference(
        self,
        doc: MetsDocument,
        element: etree._Element,
        locator: Element,
        reqs: dict[str, str],
        kind: str,
        what: str,
    ) -> str | None:
        """Attribute checks shared by file and mdRef (MIMETYPE, SIZE, CREATED, CHECKSUM,
        CHECKSUMTYPE) and by their locators (LOCTYPE, xlink:type, xlink:href). Returns the
        package path the locator points at (None when it points at nothing)."""
        where = doc.at(element, what)
        expected = Expected(path="", location=where, requirements=reqs)
        self._check_mimetype(element, reqs["MIMETYPE"], where, expected)
        self._check_size(element, reqs["SIZE"], where, expected)
        if not element.get("CREATED"):
            self.error(
                reqs["CREATED"],
                "Attributet CREATED saknas",
                "The CREATED attribute is missing",
                where,
            )
        self._check_checksum(element, reqs, where, expected)
        if locator is None:
            return None
        if locator.get("LOCTYPE") != "URL":
            loctype = locator.get("LOCTYPE")
            self.error(
                reqs["LOCTYPE"],
                f"LOCTYPE måste vara 'URL', inte '{loctype}'",
                f"LOCTYPE must be 'URL', not '{loctype}'",
                where,
            )
        if locator.get(XLINK_TYPE) != "simple":
            self.error(
                reqs["type"], "xlink:type måste vara 'simple'", "xlink:type must be 'simple'", where
            )
        href = locator.get(HREF)
        if href is None:
            self.error(reqs["href"], "xlink:href saknas", "xlink:href is missing", where)
            return None
        path = self.resolve(doc, href, reqs["href"], where)
        if path is None:
            return None
        self.add_reference(path, kind)
        if kind == "digiprovMD" and element.get("MDTYPE") == "PREMIS":
            self.premis.append(path)
        expected.path = path
        self.expected.append(expected)
        return path

    def _check_mimetype(
        self, element: Element, requirement: str, where: str, expected: Expected
    ) -> None:
        value = element.get("MIMETYPE")
        if value is None:
            self.error(
                requirement,
                "Attributet MIMETYPE saknas",
                "The MIMETYPE attribute is missing",
                where,
            )
            return
        expected.mimetype = value
        if len(value) > 256:
            self.warn(
                requirement,
                "MIMETYPE är längre än 256 tecken",
                "MIMETYPE is longer than 256 characters",
                where,
            )
            return
        problem = media_type_problem(value)
        if problem:
            # CSIP 2.2 only recommends the IANA list ("another list can be used").
            self.add(
                requirement,
                f"MIMETYPE '{value}' {problem[0]}",
                f"MIMETYPE '{value}' {problem[1]}",
                where,
                Severity.WARN if self.rules.version == "2.2" else Severity.ERROR,
            )

    def _check_size(
        self, element: Element, requirement: str, where: str, expected: Expected
    ) -> None:
        value = element.get("SIZE")
        if value is None:
            self.error(
                requirement, "Attributet SIZE saknas", "The SIZE attribute is missing", where
            )
            return
        if not value.strip().isdigit():
            self.error(
                requirement,
                f"SIZE '{value}' är inte ett antal byte",
                f"SIZE '{value}' is not a number of bytes",
                where,
            )
            return
        size = int(value)
        if size > LIMITS.max_file_bytes:
            self.error(
                "SAFE-SIZE",
                f"Angiven storlek {size} byte överstiger gränsen {LIMITS.max_file_bytes}",
                f"Declared size {size} bytes exceeds the limit {LIMITS.max_file_bytes}",
                where,
            )
        expected.size = size

    def _check_checksum(
        self, element: Element, reqs: dict[str, str], where: str, expected: Expected
    ) -> None:
        checksum = element.get("CHECKSUM")
        algorithm = element.get("CHECKSUMTYPE")
        if not checksum:
            self.error(
                reqs["CHECKSUM"],
                "Attributet CHECKSUM saknas eller är tomt",
                "The CHECKSUM attribute is missing or empty",
                where,
            )
        if not algorithm:
            self.error(
                reqs["CHECKSUMTYPE"],
                "Attributet CHECKSUMTYPE saknas",
                "The CHECKSUMTYPE attribute is missing",
                where,
            )
            return
        name = normalise_algorithm(algorithm)
        if name not in METS_ALGORITHMS:
            self.error(
                reqs["CHECKSUMTYPE"],
                f"Okänd CHECKSUMTYPE '{algorithm}'",
                f"Unknown CHECKSUMTYPE '{algorithm}'",
                where,
            )
        elif name not in ALGORITHMS:
            self.warn(
                reqs["CHECKSUM"],
                f"Kontrollsummor av typen {algorithm} kan inte verifieras",
                f"Checksums of type {algorithm} cannot be verified",
                where,
            )
        elif checksum:
            expected.checksum = checksum.strip().lower()
            expected.checksum_type = name
