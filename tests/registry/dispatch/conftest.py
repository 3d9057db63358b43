"""Fixtures for dispatch: an authority with its registry, a real SMTP server (aiosmtpd in
this process, tests/smtpserver.py) set up as the authority's outgoing server, a case with
two parties and a final outgoing decision whose PDF/A was made by the real processing job."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from diarium.core.actors import OPERATOR
from diarium.registry import demo_templates, services
from diarium.registry.dispatch import setup
from diarium.registry.models import Case, Document, Party
from tests import factories as f
from tests import smtpserver
from tests.workers import run_jobs


@pytest.fixture
def smtp():
    server = smtpserver.start(refuse={"okand@example.org"})
    yield server
    server.stop()


@dataclass
class World:
    ks: object
    registrator: object
    admin: object
    case: Case
    decision: Document
    anna: Party
    bo: Party


def configure(authority, server, *, password=None, security="none", **extra) -> None:
    setup.save_settings(OPERATOR, authority, setup.SettingsData(
        host=server.host, port=server.port, security=security,
        from_address="registrator@sjovik.example", from_name="Kommunstyrelsen",
        cover_letter="Hej $mottagare! Här kommer $handling i ärende $diarienummer.",
        **extra), password)


def final_decision(actor, case, title="Beslut om bygglov") -> Document:
    upload = services.Upload(io.BytesIO(demo_templates.docx_bytes([title, "Beviljas."])),
                             "beslut.docx")
    doc = f.document(actor, case, title, uploads=[upload], direction="outgoing")
    run_jobs()  # the real processing: LibreOffice makes the PDF/A
    return doc


@pytest.fixture
def world(smtp) -> World:
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("rut", roles={ks.authority: "registrar"}, email="rut@sjovik.example")
    admin = f.user("adam", roles={ks.authority: "administrator"})
    configure(ks.authority, smtp)
    case = f.case(reg, ks, "Bygglov Storgatan 1")
    anna = services.create_party(reg, kind="person", name="Anna Andersson",
                                 email="anna@example.org", address="Storgatan 1",
                                 postal_code="123 45", city="Sjövik")
    bo = services.create_party(reg, kind="organisation", name="Bo Bygg AB",
                               email="bo@example.org", address="Box 7",
                               postal_code="123 99", city="Sjövik")
    for party in (anna, bo):
        services.add_party(reg, case, party, "sökande")
    return World(ks, reg, admin, case, final_decision(reg, case), anna, bo)
