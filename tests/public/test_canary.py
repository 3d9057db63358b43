"""Secrecy by construction: canary strings planted in every internal field of secret
cases and documents (titles, public titles, parties' names, personnummer and addresses,
descriptions, file contents and names, secrecy notes, void reasons, the audit log) and in
private persons and internal titles of open cases; then every public page is crawled from
/insyn/ (every link, every pagination and filter combination the pages offer, the feeds,
the open API with its filters and search, the downloads, error pages) and no canary may
appear anywhere: bodies, attributes, JSON, headers. Hypothesis then throws arbitrary query
strings, built around the canaries, at the search pages and the API."""

import html
import io
import itertools
import json
import re
from collections import deque
from urllib.parse import quote, quote_plus, urlencode, urlsplit

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diarium.audit.models import AuditEvent
from diarium.core.actors import OPERATOR
from diarium.plan.services import set_publishable
from diarium.public import projector, views
from diarium.registry import services
from diarium.registry.models import Case, Document, DocumentFile
from diarium.search.models import SearchEntry
from tests import factories as f
from tests.registry import plan_world

pytestmark = pytest.mark.django_db

CANARY = "KANARIEqz7"
PERSONNUMMER = "20150607-2386"
ADDRESS = f"Kanarievägen {CANARY} 7"
TOKENS = [CANARY, CANARY.lower(), PERSONNUMMER, "150607-2386", "201506072386",
          "Kanarievägen"]
NOT_PUBLIC = ("/insyn/begar/", "/insyn/moten/", "/insyn/anslagstavla/")


def _plant(w) -> dict:
    reg = w.registrator
    c = lambda what: f"{what} {CANARY}"  # noqa: E731
    child = services.create_party(reg, kind="person", name=c("Lisa"),
                                  identity_number=PERSONNUMMER, address=ADDRESS,
                                  email="kanarie@example.se")
    org = services.create_party(reg, kind="organisation", name="Bygg AB")
    # A secret case with secret and open-looking documents, files and parties.
    secret = services.open_case(reg, w.ks, services.CaseData(
        title=c("Orosanmälan"), public_title=c("Offentlig men hemlig"),
        secrecy=services.Secrecy("OSL 26:1", withhold_title=True, withhold_parties=True,
                                 withhold_files=True)))
    services.add_party(reg, secret, child, c("barn"))
    services.add_party(reg, secret, org, "ombud")
    rule = w.rule("Bygglovsansökan")
    set_publishable(OPERATOR, rule.record_type, True)
    for n in range(3):
        services.register_document(reg, secret, services.DocumentData(
            direction="incoming", title=c(f"Utredning {n}"), public_title=c("Pub"),
            sender_recipient=c("Avsändare"), party=child,
            document_date=plan_world.timezone.localdate(), record_type=rule.record_type),
            [services.Upload(io.BytesIO(c("innehåll").encode()), f"{CANARY}-{n}.txt")])
    # An open case: its internal title, its private person, a secret document in it, a
    # document of a type that is not publishable (file content must stay unread).
    open_case = services.open_case(reg, w.ks, services.CaseData(
        title=c("Bygglov intern"), public_title="Bygglov för förråd"))
    services.add_party(reg, open_case, child, "sökande")
    services.add_party(reg, open_case, org, "ombud")
    services.register_document(reg, open_case, services.DocumentData(
        direction="incoming", title=c("Ansökan intern"), public_title="Ansökan om bygglov",
        sender_recipient=c("Lisa"), party=child, record_type=rule.record_type,
        document_date=plan_world.timezone.localdate()),
        [services.Upload(io.BytesIO(b"Ritning av forrad"), f"{CANARY}-ritning.txt")])
    services.register_document(reg, open_case, services.DocumentData(
        direction="outgoing", title=c("Beslut"), public_title="Beslut om bygglov",
        party=org, document_date=plan_world.timezone.localdate()),
        [services.Upload(io.BytesIO(c("ej publicerbar").encode()), "beslut.txt")])
    services.register_document(reg, open_case, services.DocumentData(
        direction="internal", title=c("Hemlig bilaga"), public_title=c("Bilaga"),
        document_date=plan_world.timezone.localdate(),
        secrecy=services.Secrecy("OSL 21:1", withhold_title=True, withhold_files=True)),
        [services.Upload(io.BytesIO(c("bilaga").encode()), "bilaga.txt")])
    bun_reg = f.user("bunreg", roles={w.bun.authority: "registrar"})
    for n in range(4):  # enough cases for several pages
        services.open_case(bun_reg, w.bun, services.CaseData(
            title=c(f"Intern {n}"), public_title=f"Skolskjuts {n}"))
    voided = services.open_case(reg, w.ks, services.CaseData(title=c("Makulerad")))
    services.void_case(reg, voided, c("skäl"))
    closed = services.open_case(reg, w.ks, services.CaseData(title=c("Stängd"),
                                                             public_title="Avslutat"))
    services.close_case(reg, closed, c("anteckning"))
    # A marking's own text (as brought in from a former diarium) is never shown as it is.
    Case.objects.filter(pk=secret.pk).update(secrecy_provision=f"OSL 26:1 {CANARY}",
                                              osl_provision=None)
    projector.rebuild()
    return {"secret": secret, "open": open_case}


@pytest.fixture
def planted(monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)  # every list has several pages
    w = plan_world.world()
    made = _plant(w)
    # The canary really is in the internal data, so a leak would be seen.
    assert Case.objects.filter(title__contains=CANARY).count() >= 3
    assert Document.objects.filter(sender_recipient__contains=CANARY).exists()
    assert DocumentFile.objects.filter(original_name__contains=CANARY).exists()
    assert SearchEntry.objects.filter(kind="registry", body__contains=CANARY.lower()).exists()
    assert any(CANARY in json.dumps(e.after, default=str) for e in AuditEvent.objects.all())
    return made


def leaks(text: str, echoes: tuple[str, ...] = ()) -> list[str]:
    """The canary tokens in text, after removing what the request itself sent (a search
    form shows the words searched for)."""
    for echo in sorted(echoes, key=len, reverse=True):
        if echo:
            for form in {echo, html.escape(echo), html.escape(echo, quote=False),
                         quote_plus(echo), quote(echo), json.dumps(echo)[1:-1]}:
                text = text.replace(form, "")
    return [t for t in TOKENS if t in text]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    return data.decode("utf-8", "replace")


def _check(response, path: str, echoes=()) -> str:
    assert response.status_code < 500, (path, response.status_code)
    text = _body(response)
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    found = leaks(text, echoes) + leaks(headers, echoes)
    assert not found, (path, found)
    return text


HREF = re.compile(r'(?:href|src|action)="([^"]+)"')


def _links(text: str, content_type: str) -> list[str]:
    if "json" in content_type:
        found = re.findall(r'"(/(?:insyn|api/public)/[^"]*)"', text)
        found += [f"/api/public/v1/cases/{i}/" for i in re.findall(
            r'"case": "([0-9a-f-]{36})"', text)]
        found += [f"/api/public/v1/documents/{i}/" for i in re.findall(
            r'"id": "([0-9a-f-]{36})"', text)]
        found += [f"/api/public/v1/cases/{i}/" for i in re.findall(
            r'"id": "([0-9a-f-]{36})"', text)]
        return found
    return [html.unescape(h) for h in HREF.findall(text)] + re.findall(r"<link>([^<]+)</link>",
                                                                       text)


def _public(url: str) -> bool:
    path = urlsplit(url).path
    return (path.startswith(("/insyn/", "/api/public/")) and not urlsplit(url).netloc
            and not path.startswith(NOT_PUBLIC))


def _form_combinations(text: str) -> list[str]:
    """Every combination of the search form's select options (the filters it offers)."""
    selects = re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', text, re.S)
    if not selects:
        return []
    names = [name for name, _ in selects]
    options = [[html.unescape(v) for v in re.findall(r'<option value="([^"]*)"', body)]
               for _, body in selects]
    return ["/insyn/sok/?" + urlencode(dict(zip(names, combo, strict=True)))
            for combo in itertools.product(*options)]


def crawl(client: Client, start: list[str]) -> set[str]:
    seen, queue = set(), deque(start)
    while queue:
        url = queue.popleft()
        if url in seen or not _public(url):
            continue
        seen.add(url)
        response = client.get(url)
        text = _check(response, url)
        kind = response.get("Content-Type", "")
        if "html" in kind or "json" in kind or "xml" in kind:
            queue.extend(u for u in _links(text, kind) if u not in seen)
            if url.rstrip("/").endswith("/insyn/sok") or url == "/insyn/":
                queue.extend(u for u in _form_combinations(text) if u not in seen)
    return seen


API_FILTERS = [{"status": s} for s in ("", "open", "closed", "voided")] + [
    {"direction": d} for d in ("incoming", "outgoing", "internal")] + [
    {"authority": "KS"}, {"authority": "BUN"}, {"record_type": "Bygglovsansökan"},
    {"date_from": "2000-01-01", "date_to": "2999-01-01"}, {"q": "bygglov"}, {"q": "KS"},
    {"page": "2"}, {"page": "99999999999"}]


def test_no_canary_on_any_public_page(planted):
    client = Client()
    start = ["/insyn/", "/insyn/postlista/?dagar=31", "/insyn/register/",
             "/api/public/v1/schema/", "/api/public/v1/authorities/",
             "/api/public/v1/registers/", "/api/public/v1/postlista/KS/?days=31",
             "/api/public/v1/postlista/BUN/", "/insyn/postlista/KS/rss/",
             "/insyn/postlista/KS/atom/", "/insyn/postlista/BUN/atom/",
             "/insyn/arende/00000000-0000-0000-0000-000000000000/",
             "/insyn/fil/00000000-0000-0000-0000-000000000000/", "/insyn/finns-inte/",
             "/api/public/v1/finns-inte/"]
    for endpoint in ("cases", "documents"):
        start += [f"/api/public/v1/{endpoint}/?{urlencode(p)}" for p in API_FILTERS]
    # The secret records' own addresses and ids, asked for directly.
    for obj in Case.objects.all():
        start += [f"/insyn/arende/{obj.pk}/", f"/api/public/v1/cases/{obj.pk}/"]
    for obj in Document.objects.all():
        start += [f"/insyn/handling/{obj.pk}/", f"/api/public/v1/documents/{obj.pk}/"]
    for obj in DocumentFile.objects.all():
        start.append(f"/insyn/fil/{obj.pk}/")
    seen = crawl(client, start)
    # The crawl went everywhere: pages, pagination, filters, feeds, downloads.
    assert any("page=2" in u for u in seen)
    assert any("/insyn/fil/" in u for u in seen)
    assert any("status=closed" in u and "authority=KS" in u for u in seen)
    assert len(seen) > 200
    downloads = [u for u in seen if u.startswith("/insyn/fil/")]
    assert any(client.get(u).status_code == 200 for u in downloads)


def test_searching_for_a_canary_finds_nothing(planted):
    client = Client()
    for term in [CANARY, CANARY.lower(), PERSONNUMMER, "150607-2386", "Kanarievägen",
                 "Orosanmälan", "Lisa", "Utredning", "Avsändare", "innehåll", "anteckning"]:
        for endpoint in ("cases", "documents"):
            url = f"/api/public/v1/{endpoint}/?" + urlencode({"q": term})
            body = json.loads(_check(client.get(url), url, (term,)))
            assert body["count"] == 0, (term, endpoint, body)
        for kind in ("cases", "documents"):
            url = "/insyn/sok/?" + urlencode({"q": term, "kind": kind})
            _check(client.get(url), url, (term,))


PARAMS = ["q", "kind", "authority", "date_from", "date_to", "direction", "record_type",
          "status", "page", "dagar", "days", CANARY]
VALUES = st.one_of(
    st.sampled_from([CANARY, CANARY.lower(), PERSONNUMMER, "Lisa", "OSL 26:1",
                     "Orosanmälan", "KS", "open", "incoming", "2026-01-01", "1", "-1",
                     "99999999999999999999", "", "' OR 1=1 --", "%", "_", "*", '"']),
    st.text(max_size=40),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from([CANARY, "Lisa", "KS"]),
              st.text(max_size=10)),
)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(params=st.dictionaries(st.sampled_from(PARAMS), VALUES, max_size=5),
       path=st.sampled_from(["/insyn/sok/", "/api/public/v1/cases/",
                             "/api/public/v1/documents/", "/insyn/postlista/",
                             "/insyn/postlista/KS/", "/api/public/v1/postlista/KS/",
                             "/insyn/postlista/KS/atom/"]))
def test_no_query_string_reaches_a_secret_field(planted, params, path):
    params = {k: v.replace("\x00", "") for k, v in params.items()}
    url = f"{path}?{urlencode(params)}"
    response = Client().get(url)
    text = _check(response, url, tuple(params.values()) + tuple(params))
    if response.status_code == 200 and "json" in response.get("Content-Type", ""):
        for row in json.loads(text)["results"]:
            assert not leaks(json.dumps(row, ensure_ascii=False))
