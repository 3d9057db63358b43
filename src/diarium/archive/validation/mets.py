"""A parsed METS document inside a package, with the namespaces and small helpers the checks
share."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

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


@dataclass
class MetsDocument:
    path: str  # package-relative path of this METS.xml
    folder: str  # folder it describes: "" for the package, "representations/x" otherwise
    tree: etree._ElementTree

    @property
    def root(self) -> etree._Element:
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
