"""Security headers per kind of response: pages, API JSON, downloads, errors and static
files (issue 8, finding 8)."""

import io
import re
from pathlib import Path

import pytest
from django.test import Client

import diarium
from diarium.registry import services
from tests import factories as f
from tests.security.conftest import api_client

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"x" * 100 + b"\n%%EOF"


@pytest.fixture
def document(ks, registrator):
    case = f.case(registrator, ks)
    return f.document(registrator, case, uploads=[services.Upload(io.BytesIO(PDF), "a.pdf")])


def assert_strict_csp(response) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy


def assert_no_store(response) -> None:
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")


def test_pages_have_csp_no_store_and_no_framing(client, registrator):
    for response in (client.get("/logga-in/"),):
        assert_strict_csp(response)
        assert_no_store(response)
        assert response["X-Frame-Options"] == "DENY"
    client.force_login(registrator)
    for path in ("/", "/konto/api-nycklar/"):
        response = client.get(path)
        assert response.status_code == 200
        assert_strict_csp(response)
        assert_no_store(response)
        assert response["X-Content-Type-Options"] == "nosniff"


def test_api_answers_are_no_store(registrator):
    response = api_client(registrator).get("/api/v1/cases/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert_no_store(response)


def test_downloads_are_no_store(registrator, document):
    file = document.files.first()
    response = api_client(registrator).get(
        f"/api/v1/documents/{document.pk}/files/{file.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert_no_store(response)
    client = Client()
    client.force_login(registrator)
    page_download = client.get(f"/filer/{file.pk}/")
    assert page_download.status_code == 200
    assert_no_store(page_download)


def test_errors_are_no_store_with_csp(client, registrator):
    client.force_login(registrator)
    for response in (client.get("/finns-inte/"), client.get("/api/v1/finns-inte/")):
        assert response.status_code == 404
        assert_no_store(response)
        assert "Content-Security-Policy" in response


def test_static_files_are_cached(client):
    response = client.get("/static/web/diarium.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]


def test_hsts_is_sent_on_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/logga-in/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/logga-in/")  # never on plain HTTP


def test_no_hsts_by_default(client):
    assert "Strict-Transport-Security" not in client.get("/logga-in/", secure=True)


def test_the_browsable_api_is_off_without_debug(registrator):
    response = api_client(registrator).get("/api/v1/cases/?format=api")
    assert response.status_code == 404
    html = api_client(registrator).get("/api/v1/cases/", HTTP_ACCEPT="text/html")
    assert html.status_code == 406 and b"<html" not in html.content


def test_the_api_docs_page_has_no_inline_script(registrator):
    response = api_client(registrator).get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200 and "<style" not in html
    assert all(tag.strip().startswith("<script src=") for tag in re.findall(r"<script[^>]*>",
                                                                              html))
    script = api_client(registrator).get(re.search(r'<script src="([^"]*script=[^"]*)"',
                                                   html).group(1).replace("&amp;", "&"))
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


TEMPLATES = sorted(Path(diarium.__file__).parent.glob("**/templates/**/*.html"))
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:",
                    re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_has_inline_script_or_style(template):
    """The Content-Security-Policy forbids inline script and style: none may creep in."""
    assert not INLINE.findall(template.read_text()), template
