"""Closed cases with documents and files, archived through export-cases --ingest: the world
the search, DIP and round-trip tests share."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF

from diarium.archive import services as archive_services
from diarium.archive import transfer
from diarium.archive.models import ArchivedCase
from diarium.core.actors import EXPORT, OPERATOR
from diarium.registry import services
from tests import factories as f


def pdf_with_text(*lines: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def upload(name: str, content: bytes) -> services.Upload:
    return services.Upload(io.BytesIO(content), name)


def diarium_agreement(authority, reference: str | None = None):
    creator = archive_services.ensure_archive_creator(OPERATOR, authority, "212000-0000")
    return archive_services.create_agreement(
        OPERATOR, creator, reference=reference or f"LÖ-{authority.code}-DIARIUM",
        name="Ärenden ur Diarium", producer="Diarium")


def building_case(reg, series, *, secret_document: bool = False, secret_case: bool = False,
                  title: str = "Bygglov för nybyggnad av fritidshus Sjövägen 3"):
    """A closed case: an application (text), a control plan (PDF with text), a drawing
    list (XML), optionally a secret medical certificate, and a decision."""
    marking = services.Secrecy("OSL 26:1", withhold_title=True) if secret_case else (
        services.Secrecy())
    case = f.case(reg, series, title=title, public_title="Bygglov" if secret_case else "",
                  classification_code="3.1", secrecy=marking)
    f.document(reg, case, "Ansökan om bygglov", uploads=[upload(
        "ansökan.txt", "Jag ansöker om bygglov för ett fritidshus med carport vid sjön.\n"
        .encode())])
    f.document(reg, case, "Kontrollplan", uploads=[upload(
        "kontrollplan.pdf", pdf_with_text("Kontrollplan enligt plan- och bygglagen",
                                          "Kontrollansvarig: Per Persson"))])
    f.document(reg, case, "Ritningsförteckning", uploads=[upload(
        "ritningar.xml", b'<?xml version="1.0"?><ritningar><ritning nr="A-01">'
        b"Fasadritning mot norr</ritning><ritning nr="
        b'"A-02">Planritning entresolplan</ritning></ritningar>')])
    if secret_document:
        f.document(reg, case, "Läkarintyg", secrecy=services.Secrecy("OSL 25:1"),
                   uploads=[upload("intyg.txt", b"Diagnos: kronisk bronkit, astmatisk.\n")])
    f.document(reg, case, "Beslut om bygglov", direction="outgoing",
               sender_recipient="Sökanden",
               uploads=[upload("beslut.txt", b"Bygglov beviljas.\n")])
    return services.close_case(reg, case, "Beviljat.")


def archive_closed(out: Path) -> list[ArchivedCase]:
    results = transfer.archive_closed_cases(EXPORT, out)
    failures = [r.error for r in results if r.link is None]
    assert not failures, failures
    return [r.link for r in results]
