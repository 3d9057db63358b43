"""A submission agreement that lists record types admits packages whose CITS ERMS records
are of those types only; one that lists none admits any."""

import pytest

from diarium.archive.erms import export_case_sip
from diarium.archive.ingest.service import ingest_package
from diarium.archive.models import PackageState
from diarium.core.actors import INGEST
from diarium.registry import services
from tests import factories as f
from tests.registry.plan_world import register, world

from .archived import diarium_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def sip(locations, tmp_path):
    w = world()
    case = f.case(w.registrator, w.ks, title="Yttrande över detaljplan")
    register(w.registrator, case, "Yttrande")
    register(w.registrator, case, "Kvitto")
    case = services.close_case(w.registrator, case, "Klart.")
    return w, export_case_sip(case, tmp_path / "out")


def findings(package) -> list[dict]:
    return [x for x in package.report["findings"] if x["requirement"] == "AGREEMENT"]


def test_a_record_type_outside_the_agreement_is_refused(sip):
    w, path = sip
    agreement = diarium_agreement(w.ks.authority, "LÖ-KS-KVITTON")
    agreement.record_types.set([w.rule("Kvitto").record_type])
    package = ingest_package(INGEST, path, agreement)
    assert package.state == PackageState.REJECTED
    (finding,) = findings(package)
    assert finding["severity"] == "ERROR" and "Yttrande" in finding["message"]
    assert "Kvitto" not in finding["message"]


def test_an_agreement_covering_every_record_type_admits_the_package(sip):
    w, path = sip
    agreement = diarium_agreement(w.ks.authority, "LÖ-KS-BÅDA")
    agreement.record_types.set([w.rule(n).record_type for n in ("Kvitto", "Yttrande")])
    package = ingest_package(INGEST, path, agreement)
    assert package.state == PackageState.ARCHIVED
    assert findings(package) == []
