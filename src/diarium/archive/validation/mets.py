"""A parsed METS document inside a package, with the namespaces and small helpers the checks
share. Its file elements are not in the tree: mets_reader checks each as it is read and keeps
what later checks need of them (`groups`, `formats`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from .report import Findings

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"

Element = etree._Element

HREF = f"{{{XLINK}}}href"
XLINK_TYPE = f"{{{XLINK}}}type"


def m(tag: str) -> str:
    """Clark name of a METS element."""
    return f"{{{METS}}}{tag}"


def csip(name: str) -> str:
    return f"{{{CSIP}}}{name}"


def sip(name: str) -> str:
    return f"{{{SIP}}}{name}"


FORMAT_ATTRIBUTES = {  # requirement -> attribute names (profile spelling, schema spelling)
    "SIP32": ("FILEFORMATNAME",),
    "SIP33": ("FILEFORMATVERSION",),
    "SIP34": ("FILEFORMATREGISTRY", "FORMATREGISTRY"),
    "SIP35": ("FILEFORMATKEY", "FORMATREGISTRYKEY"),
}
# The same with qualified names, made once: they are looked up on every file element.
_FORMAT_QNAMES = {requirement: tuple(sip(n) for n in names)
                  for requirement, names in FORMAT_ATTRIBUTES.items()}


@dataclass
class GroupInfo:
    """What the checks need of a file group's file elements once they have been dropped:
    their findings (grouped), how many there were, whether one is a representation METS."""

    findings: Findings
    files: int = 0
    lists_representation_mets: bool = False


@dataclass
class FormatCounts:
    """SIP32-SIP35 over every file element of a document: how many lack a format attribute
    or leave it empty, and where the first of each is."""

    missing: Counter[str] = field(default_factory=Counter)
    empty: Counter[str] = field(default_factory=Counter)
    first: dict[tuple[str, str], str] = field(default_factory=dict)

    def count(self, doc: MetsDocument, file: etree._Element) -> None:
        for requirement, names in _FORMAT_QNAMES.items():
            values = [v for v in map(file.get, names) if v is not None]
            kind = "missing" if not values else "" if any(v.strip() for v in values) else "empty"
            if kind:
                (self.missing if kind == "missing" else self.empty)[requirement] += 1
                if (kind, requirement) not in self.first:
                    self.first[(kind, requirement)] = doc.at(file, "file")


@dataclass
class MetsDocument:
    path: str  # package-relative path of this METS.xml
    folder: str  # folder it describes: "" for the package, "representations/x" otherwise
    tree: etree._ElementTree | None  # set as soon as the reader has the root
    groups: dict[etree._Element, GroupInfo] = field(default_factory=dict)
    formats: FormatCounts = field(default_factory=FormatCounts)

    @property
    def root(self) -> etree._Element:
        assert self.tree is not None
        return self.tree.getroot()

    @property
    def is_package(self) -> bool:
        return self.folder == ""

    @property
    def name(self) -> str:
        """The package or representation folder name this document describes."""
        return self.folder.rsplit("/", 1)[-1]

    def at(self, element: etree._Element | None, what: str = "") -> str:
        """A location for messages: file, line and an XPath-like hint."""
        line = f":{element.sourceline}" if element is not None and element.sourceline else ""
        return f"{self.path}{line} {what}".rstrip()

    def children(self, parent: etree._Element | None, tag: str) -> list[etree._Element]:
        return [] if parent is None else parent.findall(m(tag))

    def first(self, parent: etree._Element | None, tag: str) -> etree._Element | None:
        return None if parent is None else parent.find(m(tag))


def text_of(element: etree._Element | None) -> str:
    return "" if element is None else "".join(element.itertext()).strip()


def id_list(value: str | None) -> list[str]:
    return (value or "").split()
