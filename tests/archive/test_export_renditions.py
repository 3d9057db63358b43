"""Where the plan says PDF/A, the case's archive package carries each file's PDF/A
rendition beside the original: the same path in the second representation, listed in the
ERMS record, and the package stays valid. Real LibreOffice makes the renditions."""

import io
import shutil

import pytest

from diarium.archive.erms import export_case_sip
from diarium.archive.validation import Severity, validate_package
from diarium.registry import services
from tests import factories as f
from tests.conftest import require
from tests.plan import factories as pf
from tests.registry.plan_world import RULES, world
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def w():
    require(shutil.which("soffice") is not None, "LibreOffice (soffice) is not installed")
    return world([*RULES,
                  pf.rule("Beslut", registration_place="KS diarium", file_format="PDF/A"),
                  pf.rule("Skrivelse", registration_place="KS diarium", file_format="TXT")])


def letter(w, case, record_type: str, name: str):
    return f.document(w.registrator, case, record_type, record_type=record_type,
                      direction="outgoing", uploads=[services.Upload(
                          io.BytesIO(b"Beslut om bygglov, beviljas.\n"), name,
                          "text/plain")])


def test_the_pdfa_rendition_goes_beside_the_original_where_the_plan_asks(w, tmp_path):
    case = f.case(w.registrator, w.ks, title="Bygglov")
    decision = letter(w, case, "Beslut", "beslut.txt")
    letter(w, case, "Skrivelse", "skrivelse.txt")
    run_jobs()  # the documents' processing: renditions made by LibreOffice
    case = services.close_case(w.registrator, case, "Klart.")

    package = export_case_sip(case, tmp_path / "out")

    data = package / "representations"
    rendition = data / "rep2" / "data" / str(decision.number) / "beslut.pdf"
    assert (data / "rep1" / "data" / str(decision.number) / "beslut.txt").is_file()
    assert rendition.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in (data / "rep2" / "data").rglob("*") if p.is_file()) == \
        ["beslut.pdf"]  # the other record type's plan does not ask for PDF/A
    assert f"representations/rep2/data/{decision.number}/beslut.pdf" in \
        (package / "metadata" / "descriptive" / "erms.xml").read_text()
    report = validate_package(package)
    errors = [x for x in report.findings if x.severity is Severity.ERROR]
    assert errors == [] and all(r.checksum_ok for r in report.files)
