"""The canary planted in a secret case, searched for as staff of every role of the case's
own board (KS) and of another board (BUN), and as a user without a role: through the
party register (list, search by name, personnummer and e-mail, detail), through every
filter parameter of every registry list endpoint, and through every write endpoint that
accepts a case or document id (which, from outside the case's access group, must change
nothing in the secret case and show nothing of it).

Who reads the content: the authority's registrators, archivists and administrators (the
case's access group in this world); everyone else of KS sees the number; BUN nobody."""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.core.actors import MAIL
from diarium.organisation.models import Role
from diarium.registry import selectors, services
from diarium.registry.models import Case, Hold
from diarium.registry.selectors import CASE_OFFICER_ROLES
from tests import factories as f
from tests.permissions.clients import api, ui

pytestmark = pytest.mark.django_db

CANARY = "KANARIE-kryp-8812"
NAME = f"Lisa {CANARY}"
PERSONNUMMER = "20150607-2386"
EMAIL = "lisa.kanarie@example.se"
DAY = dt.date(2026, 1, 2)
CONTENT_ROLES = {Role.REGISTRATOR, Role.ARCHIVIST, Role.ADMINISTRATOR}
IDENTITY_ROLES = selectors.IDENTITY_ROLES
VIEWERS = [(role, board) for board in ("KS", "BUN") for role in Role.values] + [(None, None)]


def ids(viewers) -> list[str]:
    return [f"{role}-{board}" if role else "no-role" for role, board in viewers]


@pytest.fixture
def world():
    ks = f.series(f.authority("KS"), "KS")
    bun = f.series(f.authority("BUN"), "BUN")
    reg = f.user("ksreg", roles={ks.authority: "registrar"})
    case = f.case(reg, ks, f"Orosanmälan {CANARY}",
                  secrecy=services.Secrecy("OSL 26:1", withhold_title=True))
    child = services.create_party(reg, kind="person", name=NAME,
                                  identity_number=PERSONNUMMER, email=EMAIL)
    services.add_party(reg, case, child, "barn")
    doc = f.document(reg, case, f"Utredning {CANARY}", direction="outgoing",
                     document_date=DAY, party=child,
                     uploads=[services.Upload(io.BytesIO(CANARY.encode()), "u.txt")])
    mail = services.receive_mail(MAIL, ks.authority, sender="Anna", subject="Brev")
    public = f.case(reg, ks, "Bygglov")
    contact = services.create_party(reg, kind="organisation", name="Bygg AB")
    services.add_party(reg, public, contact)
    return {"ks": ks, "bun": bun, "case": case, "doc": doc, "child": child, "mail": mail,
            "public": public, "contact": contact}


def viewer(world, role, board):
    if role is None:
        return f.user()
    return f.user(roles={world[board.lower()].authority: role})


def reads_content(role, board) -> bool:
    return board == "KS" and role in CONTENT_ROLES


# --- the party register -------------------------------------------------------------

@pytest.mark.parametrize(("role", "board"), VIEWERS, ids=ids(VIEWERS))
def test_party_register(world, role, board):
    client = api(viewer(world, role, board))
    queries = ["", f"?q={CANARY}", f"?q={PERSONNUMMER}", "?q=150607-2386", f"?q={EMAIL}",
               "?kind=person"]
    want = reads_content(role, board)
    for query in queries:
        body = client.get(f"/api/v1/parties/{query}").content.decode()
        # a whole identity number finds a party only for who may read identity numbers
        by_number = query in (f"?q={PERSONNUMMER}", "?q=150607-2386")
        found = want and not (by_number and role not in IDENTITY_ROLES)
        assert (CANARY in body) is found, query
    detail = client.get(f"/api/v1/parties/{world['child'].pk}/")
    assert detail.status_code == (200 if want else 404)


# --- every filter of every list endpoint ---------------------------------------------

# (endpoint, parameter, value, whether a stub shows the field the parameter filters on)
def filters(world) -> list[tuple[str, str, str, bool]]:
    case, today = world["case"], timezone.localdate().isoformat()
    return [
        ("cases", "diarienummer", case.diary_number, True),
        ("cases", "authority", "KS", True),
        ("cases", "q", CANARY, False),
        ("cases", "party", NAME, False),
        ("cases", "party", PERSONNUMMER, False),
        ("cases", "opened_from", today, False),
        ("cases", "opened_to", today, False),
        ("cases", "status", "open", False),
        ("cases", "mine", "false", True),
        ("documents", "case", str(case.pk), True),
        ("documents", "direction", "outgoing", False),
        ("documents", "status", "registered", False),
        ("documents", "date_from", DAY.isoformat(), False),
        ("documents", "date_to", DAY.isoformat(), False),
        ("parties", "q", CANARY, False),
        ("parties", "kind", "person", False),
    ]


LISTS = {"cases": "case", "documents": "doc", "parties": "child"}


@pytest.mark.parametrize(("role", "board"), VIEWERS, ids=ids(VIEWERS))
def test_every_filter_parameter(world, role, board):
    client = api(viewer(world, role, board))
    content = reads_content(role, board)
    exists = board == "KS"
    for endpoint, param, value, stub_field in filters(world):
        response = client.get(f"/api/v1/{endpoint}/", {param: value})
        assert response.status_code == 200, (endpoint, param)
        body = response.json()
        secret_id = str(world[LISTS[endpoint]].pk)
        found = secret_id in {row["id"] for row in body["results"]}
        # A party has no stub: it is visible through a record the user may read.
        want = content or (exists and stub_field and endpoint != "parties")
        if value == PERSONNUMMER and role not in IDENTITY_ROLES:
            want = False  # a whole identity number confirms nothing to who may not read it
        assert found is want, (endpoint, param, value)
        assert (CANARY in json.dumps(body, ensure_ascii=False)) is (found and content), (
            endpoint, param)


# --- every write endpoint that accepts a case or document id --------------------------

def fingerprint(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (
        case.status, case.title, case.document_count,
        sorted(case.documents.values_list("status", "record_type_id", "no_longer_current_on")),
        sorted(str(p) for p in case.case_parties.values_list("party_id", flat=True)),
        sorted(str(c) for c in case.related_cases.values_list("pk", flat=True)),
        sorted(case.access_group.values_list("pk", flat=True)),
        Hold.objects.filter(case=case).count() + Hold.objects.filter(document__case=case).count(),
        AuditEvent.objects.filter(case_id=case.pk).exclude(action="secret.read").count(),
    )


def api_writes(world, user) -> list[tuple[str, str, dict]]:
    case, doc, mine = world["case"], world["doc"], world.get("mine")
    c, d = f"/api/v1/cases/{case.pk}", f"/api/v1/documents/{doc.pk}"
    writes = [
        ("post", "/api/v1/documents/", {"case": str(case.pk), "direction": "incoming",
                                        "title": "Brev", "document_date": "2026-01-03"}),
        ("post", f"/api/v1/inbox/{world['mail'].pk}/place/", {"case": str(case.pk)}),
        ("patch", f"{c}/", {"title": "Ändrad"}),
        ("post", f"{c}/close/", {"note": "x"}), ("post", f"{c}/dormant/", {}),
        ("post", f"{c}/reopen/", {}), ("post", f"{c}/void/", {"reason": "x"}),
        ("post", f"{c}/parties/", {"party": str(world["contact"].pk)}),
        ("post", f"{c}/access/", {"user": user.username}),
        ("post", f"{c}/relate/", {"case": str(world["public"].pk)}),
        ("post", f"{d}/void/", {"reason": "x"}),
        ("post", f"{d}/record-type/", {"record_type": ""}),
        ("post", f"{d}/no-longer-current/", {"date": "2026-01-04"}),
        ("post", "/api/v1/holds/", {"case": str(case.pk), "reason": "x"}),
        ("post", "/api/v1/holds/", {"document": str(doc.pk), "reason": "x"}),
        ("post", "/api/v1/documents/drafts/", {"case": str(case.pk), "direction": "internal",
                                               "title": "Utkast", "document_date": "2026-01-03"}),
        ("post", f"{d}/versions/", {"note": "x", "reason": "x"}),
        ("post", f"{d}/checkout/", {}), ("post", f"{d}/checkin/", {}),
        ("post", f"{d}/break-lock/", {"reason": "x"}), ("post", f"{d}/finalise/", {}),
        ("post", f"{d}/signatures/", {"signers": [{"user": user.username, "role": "x"}]}),
        ("post", f"{d}/signatures/sign/", {}), ("post", f"{d}/signatures/validate/", {}),
        ("post", "/api/v1/dispatches/", {"document": str(doc.pk), "channel": "post",
                                         "recipients": [{"kind": "party",
                                                         "party": str(world["child"].pk)}]}),
    ]
    if mine is not None:
        writes += [
            ("post", f"/api/v1/cases/{mine.pk}/relate/", {"case": str(case.pk)}),
            ("post", f"/api/v1/cases/{mine.pk}/relate/", {"diarienummer": case.diary_number}),
        ]
    return writes


def ui_writes(world) -> list[tuple[str, dict]]:
    case, doc = world["case"], world["doc"]
    existing = {"target": "existing", "diary_number": case.diary_number, "title": "Brev",
                "document_date": "2026-01-03"}
    return [
        (reverse("registry:register"), existing),
        (reverse("registry:inbox_place", args=[world["mail"].pk]), existing),
        (reverse("registry:case_add_document", args=[case.pk]),
         {"direction": "outgoing", "title": "Svar", "document_date": "2026-01-03"}),
        (reverse("registry:case_close", args=[case.pk]), {"note": "x"}),
        (reverse("registry:case_dormant", args=[case.pk]), {}),
        (reverse("registry:case_reopen", args=[case.pk]), {}),
        (reverse("registry:case_void", args=[case.pk]), {"reason": "x", "confirm": "on"}),
        (reverse("registry:document_void", args=[doc.pk]), {"reason": "x", "confirm": "on"}),
        (reverse("registry:document_record_type", args=[doc.pk]), {"record_type": ""}),
        (reverse("registry:document_no_longer_current", args=[doc.pk]), {"date": "2026-01-04"}),
        (reverse("registry:case_hold", args=[case.pk]), {"reason": "x"}),
        (reverse("registry:document_hold", args=[doc.pk]), {"reason": "x"}),
        (reverse("registry:case_edit", args=[case.pk]), {"title": "Ändrad"}),
        (reverse("registry:case_reassign", args=[case.pk]), {"responsible_officer": ""}),
        (reverse("registry:case_follow_up", args=[case.pk]), {"follow_up_date": "2027-01-01"}),
        (reverse("registry:case_add_party", args=[case.pk]),
         {"party": str(world["contact"].pk)}),
        (reverse("registry:case_add_party", args=[case.pk]),
         {"new_party_kind": "person", "new_party_name": "Ny"}),
        (reverse("registry:case_relate", args=[case.pk]),
         {"diary_number": world["public"].diary_number}),
        (reverse("registry:case_grant_access", args=[case.pk]), {"user": ""}),
        (reverse("registry:draft_new", args=[case.pk]),
         {"direction": "internal", "title": "Utkast", "document_date": "2026-01-03"}),
        (reverse("registry:version_add", args=[doc.pk]), {"note": "x", "reason": "x"}),
        (reverse("registry:document_check_out", args=[doc.pk]), {}),
        (reverse("registry:document_check_in", args=[doc.pk]), {}),
        (reverse("registry:document_break_lock", args=[doc.pk]), {"reason": "x"}),
        (reverse("registry:document_finalise", args=[doc.pk]), {}),
        (reverse("registry:document_process_again", args=[doc.pk]), {}),
        (reverse("registry:signature_request", args=[doc.pk]),
         {"level": "B-B", "role_1": "x"}),
        (reverse("registry:signature_validate", args=[doc.pk]), {}),
        (reverse("registry:case_file_register", args=[case.pk]), {}),
        (reverse("registry:document_dispatch", args=[doc.pk]),
         {"channel": "post", "parties": [str(world["child"].pk)]}),
    ]


OUTSIDERS = [(r, b) for r, b in VIEWERS if not reads_content(r, b)]


@pytest.mark.parametrize(("role", "board"), OUTSIDERS, ids=ids(OUTSIDERS))
def test_writes_from_outside_the_access_group_change_nothing(world, role, board):
    user = viewer(world, role, board)
    if role in CASE_OFFICER_ROLES:  # who can be a case's responsible officer
        series = world[board.lower()]
        registrar = f.user(roles={series.authority: "registrar"})
        world["mine"] = f.case(registrar, series, "Mitt ärende", responsible_officer=user)
    before = fingerprint(world["case"])
    client = api(user)
    for method, url, body in api_writes(world, user):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code in (400, 403, 404), (url, body, response.content)
        assert CANARY not in response.content.decode(), url
        assert fingerprint(world["case"]) == before, (url, body)
    browser = ui(user)
    for url, body in ui_writes(world):
        response = browser.post(url, body, follow=True)
        assert CANARY not in response.content.decode(), url
        assert fingerprint(world["case"]) == before, url
