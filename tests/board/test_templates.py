"""The kallelse and the minutes from the authority's own Word template (a document
template tied to the record type "Kallelse" or "Protokoll"), filled with the agenda and
the paragraphs and made PDF/A-2b by LibreOffice; without one, the built-in layout."""

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path

import pytest

from diarium.board import layouts, planning
from diarium.board.models import AttendanceStatus, PublishedMeeting
from diarium.board.services import agenda, conduct, minutes, notices
from diarium.documents.convert import checks
from diarium.documents.services import open_content
from diarium.registry import demo_templates, enforcement
from diarium.registry import services as registry
from tests import factories as f
from tests.board.world import make_world
from tests.plan import factories as pf
from tests.registry.plan_world import VALID_FROM, adopt_for

pytestmark = pytest.mark.django_db
CANARY = "KANARIEMALL"

NOTICE_TEMPLATE = (
    "KALLELSEMALL {{ myndighet }}",
    "{{ sammantrade.organ }} sammanträder {{ sammantrade.datum }} kl. {{ sammantrade.tid }}"
    " i {{ sammantrade.plats }}.",
    "{%p for p in punkter %}", "{{ p.rubrik }}", "{%p for r in p.rader %}", "{{ r }}",
    "{%p endfor %}", "{%p endfor %}",
)
# No loop over the items: its pages are followed by the built-in layout of the §§.
MINUTES_TEMPLATE = (
    "PROTOKOLLMALL {{ sammantrade.organ }}",
    "{%p for n in narvaro %}", "Närvarande: {{ n }}", "{%p endfor %}",
    "{%p for j in justerare %}", "Justerare: {{ j }}", "{%p endfor %}",
)


def _text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        return subprocess.run(["pdftotext", tmp.name, "-"], capture_output=True,
                              check=True, text=True).stdout


def _pdfa(data: bytes, tmp_path: Path) -> bool:
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    return checks.inspect(path).is_pdfa


def _content(document) -> bytes:
    with open_content(document.files.get().content) as stream:
        return stream.read()


def _with_templates(world):
    base = pf.adopted_base(world.authority, [
        pf.rule("Tjänsteutlåtande"), pf.rule("Kallelse", "1.2.2"),
        pf.rule("Protokoll", "1.2.2"), pf.rule("Protokollsutdrag", "1.2.2")], VALID_FROM)
    adopt_for(world.authority, base)
    admin = f.user("malladmin", roles={world.authority: "administrator"})
    made = {}
    for name, kind, paragraphs in [("Kallelse KS", planning.NOTICE, NOTICE_TEMPLATE),
                                   ("Protokoll KS", planning.MINUTES, MINUTES_TEMPLATE)]:
        rule = enforcement.resolve_rule(world.authority.pk, kind, dt.date.today())
        made[kind] = registry.add_template(admin, registry.TemplateData(
            name=name, municipality=world.authority.municipality, authority=world.authority,
            record_types=[rule.record_type_id]), registry.Upload(
                io.BytesIO(demo_templates.docx_bytes(paragraphs)), f"{name}.docx"))
    return made


def test_the_kallelse_and_minutes_use_the_authoritys_template(tmp_path, signing):
    world = make_world()
    signing(world, "chair", "m1")  # the minutes go out for justering with PAdES
    _secret_case, secret = world.ready_case(f"Ärende om {CANARY}", secret="OSL 26:1",
                                            public_title="Ärende om enskild")
    _case, proposal = world.ready_case("Ny lekplats", public_title="Ny lekplats",
                                       report_text="Utredningen om lekplatsen")
    made = _with_templates(world)
    assert "punkter" in made[planning.NOTICE].fields
    meeting = agenda.create_meeting(world.secretary, world.body, dt.date(2026, 11, 17),
                                    dt.time(9), "Stora salen")
    assert layouts.template_for(meeting, planning.NOTICE) == made[planning.NOTICE]
    agenda.add_case_item(world.secretary, meeting, proposal)
    agenda.add_case_item(world.secretary, meeting, secret)
    notice = notices.send_notice(world.secretary, meeting)

    data = _content(notice)
    text = _text(data)
    assert _pdfa(data, tmp_path)
    assert "KALLELSEMALL Kommunstyrelsen" in text
    assert "sammanträder 2026-11-17 kl. 09:00 i Stora salen" in text
    assert "Ny lekplats" in text and CANARY in text  # the staff kallelse: every item
    assert "Utredningen om lekplatsen" in text  # the item's document follows

    published = PublishedMeeting.objects.get(meeting_id=meeting.pk)
    with open_content(_stored(published.notice_pdf)) as stream:
        public = stream.read()
    public_text = _text(public)
    assert _pdfa(public, tmp_path)
    assert "KALLELSEMALL" in public_text and "Ny lekplats" in public_text
    assert CANARY not in public_text and "Stängd punkt" in public_text

    for key in ("chair", "m1"):
        conduct.record_attendance(world.secretary, meeting, world.member(key),
                                  AttendanceStatus.PRESENT)
    conduct.choose_adjusters(world.secretary, meeting, [world.member("m1")])
    for item in meeting.items.order_by("position"):
        conduct.decide_item(world.secretary, item, item.decision_text)
    document = minutes.produce_minutes(world.secretary, meeting)
    data = _content(document)
    text = _text(data)
    assert _pdfa(data, tmp_path)
    assert "PROTOKOLLMALL Kommunstyrelsen" in text
    assert "Närvarande: Anna Ordförande" in text and "Justerare: Cecilia Ledamot" in text
    # The template has no loop over the items: the built-in §§ follow its pages.
    assert "§ 1" in text and "Ny lekplats" in text


def _stored(sha256: str):
    from diarium.documents.models import StoredFile

    return StoredFile.objects.get(sha256=sha256)


def test_without_a_template_the_built_in_layout_is_used(tmp_path):
    world = make_world()
    _case, proposal = world.ready_case("Ny lekplats")
    meeting = agenda.create_meeting(world.secretary, world.body, dt.date(2026, 11, 17),
                                    dt.time(9), "Stora salen")
    assert layouts.template_for(meeting, planning.NOTICE) is None
    agenda.add_case_item(world.secretary, meeting, proposal)
    data = _content(notices.send_notice(world.secretary, meeting))
    assert _pdfa(data, tmp_path)
    text = _text(data)
    assert "KALLELSEMALL" not in text and "Ny lekplats" in text
