"""The round trip: cases closed in the diarium are exported as SIPs, ingested, and ordered
out again as DIPs; every file that comes out is byte for byte the file that went in."""

from __future__ import annotations

import hashlib
import os
import zipfile

import pytest
from django.core.management import call_command

from diarium.archive.dip import services as dip
from diarium.archive.dip.builder import dip_dir
from diarium.archive.models import ArchivedCase, Decision, PackageState
from diarium.archive.validation import Severity, validate_package
from diarium.registry import services
from diarium.registry.models import DocumentFile
from tests import factories as f

from .archived import diarium_agreement, pdf_with_text, upload

pytestmark = pytest.mark.django_db


def _cases(reg, series) -> list:
    rng = os.urandom
    made = []
    for n in range(4):
        case = f.case(reg, series, title=f"Ärende {n} om återvinningscentralen",
                      classification_code="2.1")
        f.document(reg, case, f"Skrivelse {n}", uploads=[
            upload("skrivelse.txt", f"Skrivelse nummer {n}.\n".encode()),
            upload("Bilaga: data?.bin", rng(70_000 + n)),  # a name no file system likes
        ])
        f.document(reg, case, "Protokollsutdrag", direction="internal", uploads=[
            upload("utdrag.pdf", pdf_with_text(f"Protokollsutdrag {n}")),
            upload("utdrag.pdf", b"%PDF-1.4 second file with the same name\n%%EOF\n"),
        ])
        if n % 2:
            f.document(reg, case, "Hemlig handling", secrecy=services.Secrecy("OSL 21:1"),
                       uploads=[upload("hemlig.txt", b"Skyddad identitet.\n")])
        f.document(reg, case, "Anteckning utan fil", direction="internal")
        made.append(services.close_case(reg, case, "Klart."))
    return made


def test_every_file_comes_back_unchanged(locations, tmp_path):
    series = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user(roles={series.authority: "registrar"})
    archivist = f.user(roles={series.authority: "archivist"})
    diarium_agreement(series.authority)
    cases = _cases(reg, series)
    call_command("archive", "export-cases", "--ingest", "--zip",
                 "--out", str(tmp_path / "export"))
    for case in cases:
        link = ArchivedCase.objects.get(case=case)
        package = link.package
        assert package.state == PackageState.ARCHIVED
        order = dip.order_dip(archivist, package, recipient="Forskare")
        restricted = [r for r in order.records.all() if r.restricted]
        if restricted:
            dip.review(archivist, order, [dip.ReviewItem(r, Decision.RELEASE)
                                          for r in restricted])
        delivery = dip.deliver(archivist, order)
        path = dip_dir() / delivery.file_name
        report = validate_package(path)
        assert not [x for x in report.findings if x.severity is Severity.ERROR]
        with zipfile.ZipFile(path) as archive:
            delivered = sorted(hashlib.sha256(archive.read(n)).hexdigest()
                               for n in archive.namelist() if "/data/" in n)
        originals = sorted(
            DocumentFile.objects.filter(document__case=case).values_list(
                "content__sha256", flat=True))
        assert len(originals) == (5 if restricted else 4)
        assert delivered == originals
        assert sorted(item["sha256"] for item in delivery.files) == originals
