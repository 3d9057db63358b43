"""A small registry for the public diary's tests: an adopted plan (tests/registry/
plan_world.py), an open case with an organisation and a private person as parties, a
publishable record type with a file, and a secret case."""

import io
from dataclasses import dataclass

from diarium.core.actors import OPERATOR
from diarium.plan.services import set_publishable
from diarium.registry import services
from diarium.registry.models import Case, Document
from tests.registry import plan_world


@dataclass
class PublicWorld:
    w: plan_world.World
    open_case: Case
    letter: Document
    secret_case: Case
    secret_doc: Document


def build(*, person_name: str = "Sven Svensson", internal: str = "Intern rubrik",
          file_text: bytes = b"Ansokan om bygglov") -> PublicWorld:
    w = plan_world.world()
    reg = w.registrator
    case = services.open_case(reg, w.ks, services.CaseData(
        title=f"Bygglov {internal}", public_title="Bygglov för förråd"))
    person = services.create_party(reg, kind="person", name=person_name,
                                   identity_number="20150607-2386")
    org = services.create_party(reg, kind="organisation", name="Bygg AB")
    services.add_party(reg, case, person, "sökande")
    services.add_party(reg, case, org, "ombud")
    rule = w.rule("Bygglovsansökan")
    set_publishable(OPERATOR, rule.record_type, True)
    letter = services.register_document(reg, case, services.DocumentData(
        direction="incoming", title=f"Ansökan {internal}", public_title="Ansökan om bygglov",
        document_date=plan_world.timezone.localdate(), record_type=rule.record_type,
        party=org), [services.Upload(io.BytesIO(file_text), "ansokan.txt")])
    secret = services.open_case(reg, w.ks, services.CaseData(
        title=f"Orosanmälan {internal}", public_title=f"Hemlig {internal}",
        secrecy=services.Secrecy("OSL 26:1", withhold_title=True, withhold_parties=True,
                                 withhold_files=True)))
    secret_doc = services.register_document(reg, secret, services.DocumentData(
        direction="incoming", title=f"Anmälan {internal}", public_title=f"Anm {internal}",
        document_date=plan_world.timezone.localdate()),
        [services.Upload(io.BytesIO(file_text), "anmalan.txt")])
    return PublicWorld(w, case, letter, secret, secret_doc)
