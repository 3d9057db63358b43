import datetime as dt
import hashlib
import io

import pytest
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.registry import services
from diarium.registry.models import Document
from diarium.registry.services import documents as document_services
from tests import factories as f
from tests.api.conftest import CANARY, assert_problem, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents/"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF"


def multipart(fields: dict, files: list[tuple[str, bytes, str]], boundary: str = "b0undary"):
    """A multipart body written by hand, so file names reach the server exactly as given
    (the test client would strip their directories first)."""
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                  f"{value}\r\n".encode())
    for filename, content, mime in files:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                  f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode())
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def fields(case, **extra) -> dict:
    return {"case": str(case.pk), "direction": "incoming", "title": "Ansökan",
            "document_date": str(timezone.localdate()), **extra}


def post(client, case, files=(), boundary="b0undary", headers=None, **extra):
    body, content_type = multipart(fields(case, **extra), list(files), boundary)
    return client.post(URL, data=body, content_type=content_type, headers=headers or {})


@pytest.fixture
def case(ks, registrator):
    return f.case(registrator, ks)


def test_upload_and_download_the_same_bytes(api, case):
    response = post(api, case, [("ansökan.pdf", PDF, "application/pdf")])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["document_number"] == f"{case.diary_number}:1" and body["number"] == 1
    [file] = body["files"]
    assert file["original_name"] == "ansökan.pdf" and file["size"] == len(PDF)
    assert file["mime_type"] == "application/pdf"
    assert file["sha256"] == hashlib.sha256(PDF).hexdigest()
    download = api.get(file["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert "ans%C3%B6kan.pdf" in download["Content-Disposition"]


def test_download_with_any_accept_header(api, case):
    doc = post(api, case, [("a.pdf", PDF, "application/pdf")]).json()
    response = api.get(doc["files"][0]["download"], HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    missing = api.get(f"{URL}{doc['id']}/files/{doc['id']}/download/",
                      HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing.json()["status"] == 404


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("../../x", "x"), ("C:\\x\\y.pdf", "y.pdf"), ("..\\..\\etc\\passwd", "passwd")],
)
def test_path_like_file_names_keep_only_the_last_part(api, case, sent, kept):
    response = post(api, case, [(sent, b"hej", "text/plain")])
    assert response.status_code == 201, response.content
    assert response.json()["files"][0]["original_name"] == kept
    download = api.get(response.json()["files"][0]["download"])
    number = response.json()["document_number"].replace("/", "_").replace(":", "_")
    assert f'filename="{number} {kept}"' in download["Content-Disposition"]


def test_very_long_file_name_is_shortened_keeping_the_extension(api, case):
    response = post(api, case, [("å" * 450 + ".pdf", PDF, "application/pdf")])
    assert response.status_code == 201, response.content
    name = response.json()["files"][0]["original_name"]
    assert len(name) <= 255 and name.endswith(".pdf") and name.startswith("ååå")
    assert Document.objects.get().files.get().original_name == name


def test_file_name_of_1000_characters_is_refused_as_bad_request(api, case):
    # Django reads at most 1024 bytes of a part's headers: such a name cannot arrive.
    body = assert_problem(post(api, case, [("a" * 1000 + ".pdf", PDF, "application/pdf")]), 400)
    assert "header" in body["detail"]
    assert not Document.objects.exists()


def test_oversized_upload_is_413_problem(api, case, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    body = assert_problem(post(api, case, [("big.bin", b"x" * 2000, "application/zip")]), 413)
    assert body["detail"]
    assert not Document.objects.exists()


def test_file_too_large_while_streaming_is_413_problem(api, case, monkeypatch):
    # The request's Content-Length passes the limit check, but the stream turns out larger.
    real = document_services.store_content
    monkeypatch.setattr(
        document_services, "store_content", lambda s, **kw: real(s, limit=10, **kw)
    )
    body = assert_problem(post(api, case, [("a.txt", b"x" * 11, "text/plain")]), 413)
    assert "MB" in body["detail"]
    case.refresh_from_db()
    assert case.document_count == 0


def test_json_create_without_files(api, case):
    response = api.post(URL, fields(case, sender_recipient="Anna"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["files"] == [] and response.json()["sender_recipient"] == "Anna"


def test_field_errors(api, case):
    future = str(timezone.localdate() + dt.timedelta(days=5))
    body = assert_problem(post(api, case, direction="sidled", document_date=future), 400)
    assert "direction" in body["errors"]
    body = assert_problem(post(api, case, document_date=future), 400)
    assert "document_date" in body["errors"]


def test_another_authoritys_secret_records_do_not_exist(api, bun, outsider, bun_secret_case):
    doc = f.document(outsider, bun_secret_case, title=CANARY,
                     uploads=[services.Upload(io.BytesIO(b"hemligt"), "h.txt")])
    file = doc.files.get()
    assert_problem(api.get(f"{URL}{doc.pk}/"), 404)
    assert_problem(api.get(f"{URL}{doc.pk}/files/{file.pk}/download/"), 404)
    assert_problem(api.post(f"{URL}{doc.pk}/void/", {"reason": "x"}, format="json"), 404)
    assert_problem(post(api, bun_secret_case), 404)
    listed = api.get(URL)
    assert listed.json()["count"] == 0 and CANARY not in listed.content.decode()
    # A public case of another authority is visible, but no one there may register in it.
    public = f.case(outsider, bun)
    assert_problem(post(api, public), 403)


def test_secret_document_is_a_stub_outside_the_access_group(case, registrator, officer):
    doc = f.document(registrator, case, title=CANARY, sender_recipient=CANARY,
                     secrecy=services.Secrecy(provision="OSL 25:1"),
                     uploads=[services.Upload(io.BytesIO(b"journal"), "journal.txt")])
    client = client_for(officer)
    body = client.get(f"{URL}{doc.pk}/").json()
    assert body == {"id": str(doc.pk), "document_number": doc.document_number,
                    "is_secret": True, "redacted": True}
    listed = client.get(f"{URL}?case={case.pk}").json()["results"]
    assert listed == [body]
    download = client.get(f"{URL}{doc.pk}/files/{doc.files.get().pk}/download/")
    assert_problem(download, 404)
    assert not AuditEvent.objects.filter(action="secret.read").exists()


def test_documents_of_a_secret_case_are_stubs_too(secret_case, registrator, officer):
    doc = f.document(registrator, secret_case, title=CANARY)
    body = client_for(officer).get(f"{URL}{doc.pk}/").json()
    assert body["redacted"] is True and body["is_secret"] is True and "title" not in body


def test_secret_download_is_audited(api, case, registrator):
    doc = f.document(registrator, case, secrecy=services.Secrecy(provision="OSL 25:1"),
                     uploads=[services.Upload(io.BytesIO(b"journal"), "journal.txt")])
    response = api.get(f"{URL}{doc.pk}/files/{doc.files.get().pk}/download/")
    assert b"".join(response.streaming_content) == b"journal"
    event = AuditEvent.objects.get(action="secret.read")
    assert event.object_id == str(doc.pk) and event.actor == registrator


def test_void_keeps_the_document_visible(api, case, registrator):
    doc = f.document(registrator, case)
    assert_problem(api.post(f"{URL}{doc.pk}/void/", {}, format="json"), 400)
    body = api.post(f"{URL}{doc.pk}/void/", {"reason": "Fel ärende"}, format="json").json()
    assert body["status"] == "voided" and body["void_reason"] == "Fel ärende"
    assert api.get(f"{URL}{doc.pk}/").json()["status"] == "voided"


def test_list_filters_and_pagination(api, ks, registrator, case):
    other_case = f.case(registrator, ks)
    week_ago = timezone.localdate() - dt.timedelta(days=7)
    a = f.document(registrator, case, document_date=week_ago)
    b = f.document(registrator, case, direction="outgoing")
    c = f.document(registrator, other_case)

    def ids(query: str) -> set[str]:
        response = api.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert ids("") == {str(a.pk), str(b.pk), str(c.pk)}
    assert ids(f"case={case.pk}") == {str(a.pk), str(b.pk)}
    assert ids("direction=outgoing") == {str(b.pk)}
    assert ids(f"date_to={week_ago}") == {str(a.pk)}
    assert ids(f"date_from={week_ago + dt.timedelta(days=1)}&case={case.pk}") == {str(b.pk)}
    page = api.get(f"{URL}?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2
    body = assert_problem(api.get(f"{URL}?case=abc&direction=x"), 400)
    assert set(body["errors"]) == {"case", "direction"}
    today = timezone.localdate()
    body = assert_problem(api.get(f"{URL}?date_from={today}&date_to={week_ago}"), 400)
    assert set(body["errors"]) == {"date_to"}
