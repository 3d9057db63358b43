"""Drafts and versions of documents written in the case: every version kept by SHA-256
and downloadable with its bytes, one holder of the check-out lock, a final that never
changes without a reason, and drafts seen by the case's access group only."""

import hashlib
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from diarium.audit.models import AuditEvent
from diarium.core.errors import Conflict
from diarium.core.visibility import Projection
from diarium.documents.services import open_content
from diarium.registry import selectors, services
from diarium.registry.models import Document, DocumentStatus
from diarium.registry.visibility import RegistryPolicy
from tests import factories as f
from tests.documents import samples

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> services.Upload:
    return services.Upload(io.BytesIO(data), name)


def docx_bytes(tmp_path, *paragraphs: str) -> bytes:
    path = tmp_path / f"v{hashlib.sha256(repr(paragraphs).encode()).hexdigest()[:8]}.docx"
    return samples.docx(path, *paragraphs).read_bytes()


@pytest.fixture
def world():
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    officer = f.user("olle", roles={ks.authority: "officer"})
    other = f.user("otto", roles={ks.authority: "officer"})
    admin = f.user("adam", roles={ks.authority: "administrator"})
    case = f.case(officer, ks, "Detaljplan för Norra hamnen", responsible_officer=officer)
    return ks, officer, other, admin, case


def draft(officer, case, data: bytes = b"Version ett\n", name: str = "tjut.txt"):
    return services.create_draft(
        officer, case, services.DocumentData(direction="internal", title="Tjänsteskrivelse",
                                             document_date=case.opened_at.date()),
        upload(name, data), note="Första utkastet")


def read(version) -> bytes:
    with open_content(version.content) as stream:
        return stream.read()


def test_every_version_is_kept_and_downloadable_with_its_bytes(world):
    _ks, officer, *_rest, case = world
    doc = draft(officer, case)
    assert doc.status == DocumentStatus.DRAFT and doc.number == 1
    contents = [b"Version ett\n", b"Version tva\n", b"Version tre\n"]
    for data in contents[1:]:
        services.add_version(officer, doc, services.VersionInput(upload("tjut.txt", data),
                                                                 note="ändrat"))
    versions = list(selectors.document_versions(doc))
    assert [v.number for v in versions] == [3, 2, 1]
    for version, data in zip(reversed(versions), contents, strict=True):
        assert read(version) == data
        assert version.content_id == hashlib.sha256(data).hexdigest()
        assert version.created_by == officer
    assert not doc.files.exists()  # a draft has versions, not yet a registered file


def test_a_second_check_out_is_refused_and_an_administrator_may_break_the_lock(world):
    _ks, officer, other, admin, case = world
    case.access_group.add(other)
    doc = draft(officer, case)
    services.check_out(officer, doc)
    with pytest.raises(Conflict, match="olle"):
        services.check_out(other, doc)
    with pytest.raises(Conflict):
        services.add_version(other, doc, services.VersionInput(upload("x.txt", b"x")))
    with pytest.raises(PermissionDenied):
        services.break_lock(other, doc, "Olle är sjuk")
    with pytest.raises(ValidationError):
        services.break_lock(admin, doc, " ")
    services.break_lock(admin, doc, "Olle är sjuk")
    event = AuditEvent.objects.get(action="document.lock_broken")
    assert event.before["holder"] == "olle" and event.after["reason"] == "Olle är sjuk"
    services.check_out(other, doc)
    services.check_in(other, doc, services.VersionInput(upload("y.txt", b"ny text")))
    doc.refresh_from_db()
    assert doc.checked_out_by is None and doc.versions.count() == 2


def test_finalise_freezes_the_exact_version(world):
    _ks, officer, _other, _admin, case = world
    doc = draft(officer, case)
    services.add_version(officer, doc, services.VersionInput(upload("tjut.txt", b"Slutlig\n")))
    doc = services.finalise(officer, doc)
    assert doc.status == DocumentStatus.REGISTERED
    assert doc.final_version.number == 2
    file = doc.files.get()
    assert file.version == doc.final_version and file.content_id == doc.final_version.content_id
    with pytest.raises(Conflict):
        services.add_version(officer, doc, services.VersionInput(upload("t.txt", b"smyg")))
    with pytest.raises(Conflict):
        services.check_out(officer, doc)
    with pytest.raises(Conflict):
        services.finalise(officer, doc)
    assert Document.objects.get(pk=doc.pk).final_version.number == 2

    services.add_version(officer, doc, services.VersionInput(
        upload("tjut.txt", "Rättad\n".encode()), reason="Fel belopp i beslutet"))
    doc.refresh_from_db()
    assert doc.final_version.number == 3 and doc.files.count() == 2
    event = AuditEvent.objects.get(action="document.final_replaced")
    assert event.after["reason"] == "Fel belopp i beslutet" and event.before["final_version"] == 2
    assert AuditEvent.objects.filter(action="document.finalised").count() == 1


def test_a_draft_is_for_the_access_group_only_and_never_public(world):
    ks, officer, other, admin, case = world
    doc = draft(officer, case)
    reader = f.user(roles={ks.authority: "reader"})
    assert RegistryPolicy(officer).document(doc).content
    assert RegistryPolicy(admin).document(doc).content
    for outsider in (other, reader):
        assert not RegistryPolicy(outsider).document(doc).exists
        assert not selectors.visible_documents(outsider).filter(pk=doc.pk).exists()
    public = RegistryPolicy(AnonymousUser(), Projection.PUBLIC)
    assert not public.document(doc).exists
    assert not public.filter_documents(Document.objects.all()).filter(pk=doc.pk).exists()
    with pytest.raises(PermissionDenied):
        services.add_version(other, doc, services.VersionInput(upload("x.txt", b"x")))
    with pytest.raises(PermissionDenied):
        draft(other, case)
    case.access_group.add(other)
    other = type(other).objects.get(pk=other.pk)  # a fresh policy cache
    assert RegistryPolicy(other).document(doc).content
    services.finalise(officer, doc)
    doc.refresh_from_db()
    assert RegistryPolicy(reader).document(doc).content
    assert public.document(doc).exists


def test_two_versions_are_compared_by_their_text(world, tmp_path):
    _ks, officer, *_rest, case = world
    first = docx_bytes(tmp_path, "Sammanfattning", "Nämnden föreslås bevilja bygglov.",
                       "Beslutsunderlag")
    second = docx_bytes(tmp_path, "Sammanfattning", "Nämnden föreslås avslå ansökan.",
                        "Beslutsunderlag")
    doc = draft(officer, case, first, "tjut.docx")
    services.add_version(officer, doc, services.VersionInput(upload("tjut.docx", second)))
    new, old = selectors.document_versions(doc)
    lines = selectors.version_diff(old, new)
    removed = [line.text for line in lines if line.kind == "removed"]
    added = [line.text for line in lines if line.kind == "added"]
    assert removed == ["Nämnden föreslås bevilja bygglov."]
    assert added == ["Nämnden föreslås avslå ansökan."]
    assert [line.text for line in lines if line.kind == "same"] == ["Sammanfattning",
                                                                    "Beslutsunderlag"]
