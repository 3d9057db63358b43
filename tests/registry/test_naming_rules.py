"""The plan's naming rules applied: a new document's title, the names its files carry in a
download and in the archive package, and a registrator's own title beside the proposal."""

import io
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from diarium.archive.erms.source import snapshot
from diarium.audit.models import AuditEvent
from diarium.documents.naming import safe_file_name
from diarium.registry import naming, services
from tests import factories as f
from tests.plan import factories as pf
from tests.registry.plan_world import RULES, world

pytestmark = pytest.mark.django_db

RULE = "{diarienummer} {handlingstyp} {datum}"


@pytest.fixture
def w():
    named = pf.rule("Beslut", registration_place="KS diarium", naming_rule=RULE)
    return world([*RULES, named])


@pytest.fixture
def case(w):
    return f.case(w.registrator, w.ks, title="Bygglov för förskola")


def upload(name: str, content: bytes = b"%PDF-1.4 test") -> services.Upload:
    return services.Upload(io.BytesIO(content), name, "application/pdf")


def register(w, case, title="", record_type="Beslut", names=("beslut.pdf",)):
    return f.document(w.registrator, case, title=title, record_type=record_type,
                      direction="outgoing", uploads=[upload(n) for n in names])


def event_of(doc) -> AuditEvent:
    return AuditEvent.objects.get(action="document.registered", object_id=str(doc.pk))


def test_a_document_without_a_title_gets_the_rules(w, case):
    doc = register(w, case)
    expected = f"{doc.document_number} Beslut {doc.document_date.isoformat()}"
    assert doc.title == expected
    assert "proposed_title" not in event_of(doc).after


def test_a_title_of_the_registrators_own_is_kept_and_the_proposal_is_in_the_history(w, case):
    doc = register(w, case, title="Beslut om bygglov")
    assert doc.title == "Beslut om bygglov"
    assert event_of(doc).after["proposed_title"].startswith(f"{doc.document_number} Beslut")


def test_without_a_naming_rule_a_title_is_still_required(w, case):
    with pytest.raises(ValidationError) as caught:
        register(w, case, record_type="Motion")
    assert "title" in caught.value.message_dict


def test_downloads_and_the_archive_package_carry_the_rules_name(w, case):
    doc = register(w, case, names=("skannad.pdf", "bilaga.docx", "skannad.pdf"))
    title = safe_file_name(doc.title)
    names = sorted(naming.file_names(doc).values())
    assert names == sorted([f"{title}.pdf", f"{title} - bilaga.docx",
                            f"{title} - skannad.pdf"])
    paths = sorted(item.path for item in snapshot(case).documents[0].files)
    assert paths == sorted(f"{doc.number}/{name}" for name in names)


def test_a_download_is_led_by_the_documents_number_and_is_safe(w, case, client):
    doc = register(w, case, title="Brev", record_type="Motion", names=("CON.pdf",))
    client.force_login(w.registrator)
    file = doc.files.get()
    response = client.get(reverse("registry:file", args=[file.pk]))
    disposition = unquote(response["Content-Disposition"])
    number = safe_file_name(doc.document_number)
    assert response.status_code == 200 and f"{number} _CON.pdf" in disposition
    assert "/" not in disposition.split("filename", 1)[1]


def test_names_are_unique_in_the_case_and_depend_on_the_files_own_document(w, case):
    first = register(w, case, title="A", record_type="Motion", names=("brev.pdf",))
    second = register(w, case, title="B", record_type="Motion", names=("brev.pdf",))
    names = [naming.file_name(doc.files.get()) for doc in (first, second)]
    assert len(set(names)) == 2
    assert all(name.endswith(" brev.pdf") for name in names)  # no "(2)" from a neighbour
