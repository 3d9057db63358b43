import io

import pytest

from diarium.registry import services
from tests import factories as f
from tests.disclosure.pdfs import letter

CANARY = "KANARIE-begaran-5511"


@pytest.fixture
def world(settings):
    """A board with a public document (a PDF) and a secret one in a secret case."""
    settings.DISCLOSURE_MIN_SECONDS = 0
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("reg", roles={ks.authority: "registrar"})
    officer = f.user("hand", roles={ks.authority: "officer"})
    case = f.case(reg, ks, "Bygglov Storgatan 1", public_title="Bygglov Storgatan 1")
    public = f.document(reg, case, "Ansökan om bygglov", public_title="Ansökan om bygglov",
                        uploads=[services.Upload(io.BytesIO(letter(
                            "Personnummer 19800101-1234", "Ansökan")), "ansokan.pdf")])
    secret_case = f.case(reg, ks, f"Orosanmälan {CANARY}", public_title="Orosanmälan",
                         secrecy=services.Secrecy("OSL 26:1", withhold_title=True,
                                                  withhold_parties=True, withhold_files=True),
                         responsible_officer=reg)
    secret = f.document(reg, secret_case, f"Utredning {CANARY}",
                        sender_recipient=f"Anna {CANARY}",
                        uploads=[services.Upload(io.BytesIO(letter(CANARY, "Utredning")),
                                                 f"utredning-{CANARY}.pdf")])
    return {"ks": ks, "reg": reg, "officer": officer, "public": public, "secret": secret,
            "authority": ks.authority}
