"""A small board world for the board's tests: an authority with a series, a body with
members (chair, two members, a substitute), a secretary and an officer, and ready cases."""

import datetime as dt
import io
from dataclasses import dataclass, field

from diarium.board import pdfs
from diarium.board.models import Body, Membership, Office
from diarium.board.services import agenda, bodies
from diarium.registry import services as registry
from tests import factories as f

TERM = (dt.date(2023, 1, 1), dt.date(2030, 12, 31))


def pdfa_bytes(title: str, text: str = "") -> bytes:
    return pdfs.simple_pdfa(title, "Test", [pdfs.Section(title, (text or title,))])


@dataclass
class World:
    authority: object
    series: object
    secretary: object
    officer: object
    body: Body
    members: dict = field(default_factory=dict)

    def member(self, key: str) -> Membership:
        return self.members[key]

    def ready_case(self, title: str, *, secret: str = "", public_title: str = "",
                   report_text: str = ""):
        secrecy = registry.Secrecy(provision=secret, withhold_title=bool(secret),
                                   withhold_files=bool(secret)) if secret else registry.Secrecy()
        case = f.case(self.officer, self.series, title=title, public_title=public_title,
                      secrecy=secrecy, responsible_officer=self.officer)
        if secret:
            # The secretary registers the extract in the case: they join its access group.
            registry.grant_case_access(self.officer, case, self.secretary)
        report = f.document(self.officer, case, title=f"Tjänsteutlåtande {title}",
                            direction="internal", secrecy=secrecy, uploads=[registry.Upload(
                                io.BytesIO(pdfa_bytes(f"TJUT {title}", report_text)),
                                "tjut.pdf", "application/pdf")])
        proposal = agenda.mark_ready(self.officer, case, self.body, report,
                                     f"Nämnden beslutar enligt förslaget om {title}.")
        return case, proposal


def make_world(code: str = "KS", with_logins: bool = True) -> World:
    auth = f.authority(code, name="Kommunstyrelsen" if code == "KS" else f"Nämnd {code}")
    ser = f.series(auth, code)
    secretary = f.user(f"sekr{code}", roles={auth: "secretary"})
    officer = f.user(f"handl{code}", roles={auth: "officer"})
    body = bodies.create_body(secretary, auth, auth.name, minutes_kept_at="Kommunkansliet")
    world = World(auth, ser, secretary, officer, body)
    people = [("chair", "Anna Ordförande", "S", "member", Office.CHAIR),
              ("vice", "Bo Vice", "M", "member", Office.FIRST_VICE),
              ("m1", "Cecilia Ledamot", "C", "member", Office.NONE),
              ("sub", "David Ersättare", "S", "substitute", Office.NONE)]
    for key, name, party, role, office in people:
        login = f.user(f"{key}{code}") if with_logins else None
        world.members[key] = bodies.add_member(secretary, body, bodies.MemberData(
            name=name, party=party, role=role, office=office, term_start=TERM[0],
            term_end=TERM[1], email=f"{key}@example.se", user=login))
    return world
