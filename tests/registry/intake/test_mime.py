"""The e-mail parser on its own: whatever bytes arrive it answers (never raises), the
content hash ignores transport headers and line endings, names are decoded, and an HTML
body gives its text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from diarium.registry.intake.mime import parse_eml
from tests.mailmessages import PDF, message, mime_bomb


@given(st.binary(max_size=3000))
def test_any_bytes_give_an_answer(raw):
    parsed = parse_eml(raw)
    assert len(parsed.content_sha256) == 64 and parsed.subject


@given(st.lists(st.sampled_from([
    b"From: a@b.se\r\n", b"Subject: =?utf-8?q?hej?=\r\n", b"Content-Type: multipart/mixed;"
    b' boundary="x"\r\n', b"\r\n", b"--x\r\n", b"--x--\r\n", b"Content-Type: message/rfc822"
    b"\r\n", b"text\r\n", b"Content-Transfer-Encoding: base64\r\n", b"=?x?=\r\n"]),
    max_size=80))
def test_mime_like_garbage_gives_an_answer(lines):
    parse_eml(b"".join(lines))


def test_the_hash_ignores_transport_headers_and_line_endings():
    raw = message("Samma", attachments=[("a.pdf", PDF, "application/pdf")])
    relayed = b"Received: from mx.example.se by imap\r\nDelivered-To: ks@x\r\n" + raw
    on_disk = raw.replace(b"\r\n", b"\n")
    hashes = {parse_eml(r).content_sha256 for r in (raw, relayed, on_disk)}
    assert len(hashes) == 1
    changed = raw.replace(b"Samma", b"Annat")
    assert parse_eml(changed).content_sha256 not in hashes


def test_encoded_names_html_bodies_and_attached_messages():
    inner = message("Vidarebefordrat")
    raw = (b"From: =?utf-8?q?B=C3=B6rje?= <b@example.se>\r\nSubject: =?utf-8?q?Ans=C3=B6kan?="
           b"\r\nMessage-ID: <x@y>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
           b'boundary="B"\r\n\r\n--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n'
           b"<p>Hej <b>d\xc3\xa4r</b></p>\r\n--B\r\nContent-Type: application/pdf\r\n"
           b'Content-Disposition: attachment; filename="=?utf-8?q?r=C3=A4kning.pdf?="\r\n'
           b"\r\n%PDF\r\n--B\r\nContent-Type: message/rfc822\r\n\r\n" + inner +
           b"\r\n--B--\r\n")
    parsed = parse_eml(raw)
    assert parsed.sender == "Börje <b@example.se>" and parsed.subject == "Ansökan"
    assert parsed.body.strip() == "Hej där" and not parsed.refusal
    names = [a.name for a in parsed.attachments]
    assert names == ["räkning.pdf", "Vidarebefordrat.eml"]
    assert parsed.attachments[1].data.startswith(b"From:")


def test_nesting_within_the_limit_is_taken_apart_and_beyond_it_is_not():
    assert not parse_eml(mime_bomb(10)).refusal
    assert "16" in parse_eml(mime_bomb(17)).refusal
