"""Checking an ERMS document against CITS ERMS 2.1.2: the XML schema (ERMS.xsd) and the
Schematron rules (erms.sch), both shipped in diarium/archive/schemas/erms/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lxml import etree

from diarium.archive.sip import SCHEMA_DIR

from .schematron import Schematron

ERMS_NS = "https://DILCIS.eu/XML/ERMS"
ERMS_VERSION = "2.1.2"
ERMS_DIR = SCHEMA_DIR / "erms"
ERMS_XSD = ERMS_DIR / "ERMS.xsd"
ERMS_SCH = ERMS_DIR / "erms.sch"
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class Problem:
    rule: str  # "ERMS-XSD" for a schema error, else the Schematron rule's id
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.rule}{where}: {self.message}"


class ErmsInvalid(Exception):
    """The ERMS document breaks the schema or a Schematron rule; nothing was written."""

    def __init__(self, problems: list[Problem], subject: str = ""):
        self.problems = problems
        rules = ", ".join(sorted({p.rule for p in problems}))
        prefix = f"{subject}: " if subject else ""
        super().__init__(f"{prefix}ERMS not valid ({rules}):\n"
                         + "\n".join(f"  {p}" for p in problems))

    @property
    def rules(self) -> list[str]:
        return sorted({p.rule for p in self.problems})


@cache
def erms_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(ERMS_XSD), parser))


@cache
def erms_schematron() -> Schematron:
    return Schematron(ERMS_SCH)


def erms_problems(tree: etree._ElementTree) -> list[Problem]:
    """Every schema error and every failed Schematron assertion (empty when valid)."""
    schema = erms_schema()
    problems = []
    if not schema.validate(tree):
        problems += [Problem("ERMS-XSD", e.message, e.line)
                     for e in list(schema.error_log)[:MAX_PROBLEMS]]
    problems += [Problem(f.rule, f.message, f.line)
                 for f in erms_schematron().validate(tree)[:MAX_PROBLEMS]]
    return problems


def check_erms(tree: etree._ElementTree, subject: str = "") -> None:
    """Raise ErmsInvalid listing the rule ids when the document is not valid."""
    problems = erms_problems(tree)
    if problems:
        raise ErmsInvalid(problems, subject)
