"""The document management plan enforced in the registry: record types and their rules,
defaults, warnings, disposal dates, holds and the disposal report."""

import datetime as dt
import inspect

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.core.actors import INGEST
from diarium.plan.models import ITSystem
from diarium.registry import disposal_selectors as due
from diarium.registry import disposal_services, services
from diarium.registry.models import Document, HoldKind
from tests import factories as f
from tests.registry.plan_world import new_base_version, register, world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
FAR = dt.date(2100, 1, 1)


@pytest.fixture
def w():
    return world()


@pytest.fixture
def case(w):
    return f.case(w.registrator, w.ks)


def report(user, on=FAR, **kwargs) -> list[dict]:
    return list(due.stream_due(user, due.DueCriteria(on=on, **kwargs)))


# --- record types, defaults and warnings ---------------------------------------------


def test_record_type_by_name_or_id_fills_the_rule_and_the_default_secrecy(w, case):
    doc = register(w.registrator, case, "orosanmälan")  # case-insensitive name
    rule = w.rule("Orosanmälan")
    assert doc.record_type_id == rule.record_type_id and doc.rule_id == rule.pk
    assert doc.secrecy_provision == "OSL 26 kap. 1 §" and doc.secrecy_authority == w.ks.authority
    assert doc.withhold_title and doc.withhold_parties and doc.withhold_files
    by_id = register(w.registrator, case, str(rule.record_type_id))
    assert by_id.rule_id == rule.pk


def test_an_explicit_marking_overrides_the_default(w, case):
    doc = register(w.registrator, case, "Orosanmälan", secrecy=services.Secrecy())
    assert doc.secrecy_provision == ""


def test_unknown_record_type_or_no_plan_in_force_is_refused(w, case):
    with pytest.raises(ValidationError) as exc:
        register(w.registrator, case, "Ansökan")
    assert "record_type" in exc.value.message_dict
    other = f.series(f.authority("SN"), "SN")
    officer = f.user(roles={other.authority: "registrar"})
    with pytest.raises(ValidationError):
        register(officer, f.case(officer, other), "Yttrande")
    assert register(officer, f.case(officer, other)).disposal_outcome == "unclassified"


@pytest.mark.parametrize(("name", "series", "code"), [
    ("Kallelse", "ks", "kept_in_order"),
    ("Minnesanteckning", "ks", "not_registered"),
    ("Motion", "bun", "wrong_series"),
    ("Motion", "ks", None),
    ("Tjänsteutlåtande", "bun", None),
])
def test_warnings_say_where_the_record_type_belongs(w, name, series, code):
    from diarium.registry import enforcement

    ser = getattr(w, series)
    warnings = enforcement.warnings_for(w.rule(name, ser.authority), ser)
    assert [x.code for x in warnings] == ([code] if code else [])
    if code == "kept_in_order":
        assert "Protokollsserien" in warnings[0].message
    if code == "wrong_series":
        assert "KS diarium" in warnings[0].message and "BUN" in warnings[0].message


def test_another_it_system_is_warned_about(w):
    from diarium.registry import enforcement

    ITSystem.objects.create(municipality=w.ks.authority.municipality, name="Bygglovssystemet",
                            owner=w.ks.authority)
    warnings = enforcement.warnings_for(w.rule("Bygglovsansökan"), w.ks)
    assert [x.code for x in warnings] == ["other_system"]


def test_registering_despite_a_warning_is_allowed_and_audited(w, case):
    doc = register(w.registrator, case, "Kallelse")
    event = AuditEvent.objects.get(action="document.registered", object_id=str(doc.pk))
    assert event.after["plan_warnings"] == ["kept_in_order"]
    assert event.after["record_type"] == "Kallelse"
    assert event.after["plan_rule"] == str(doc.rule_id)


def test_the_rule_is_frozen_at_registration(w, case):
    before = register(w.registrator, case, "Yttrande")
    v2 = new_base_version(w.base, "Yttrande", period_amount=10)
    from tests.registry.plan_world import adopt_for

    adopt_for(w.ks.authority, v2, TODAY())
    after = register(w.registrator, case, "Yttrande")
    assert before.record_type_id == after.record_type_id
    assert before.rule_id != after.rule_id
    assert Document.objects.get(pk=before.pk).rule.period_amount == 2
    assert after.rule.period_amount == 10
    services.close_case(w.registrator, case)
    year = TODAY().year
    assert Document.objects.get(pk=before.pk).disposal_date == dt.date(year + 2, 12, 31)
    assert Document.objects.get(pk=after.pk).disposal_date == dt.date(year + 10, 12, 31)


# --- disposal dates ------------------------------------------------------------------


def test_disposal_dates_at_registration_closing_and_reopening(w, case):
    kept = register(w.registrator, case, "Tjänsteutlåtande")
    on_close = register(w.registrator, case, "Yttrande")
    dated = register(w.registrator, case, "Kvitto", document_date=dt.date(2025, 3, 4))
    review = register(w.registrator, case, "Minnesanteckning")
    none = register(w.registrator, case)
    assert (kept.disposal_outcome, kept.disposal_date) == ("keep", None)
    assert (on_close.disposal_outcome, on_close.disposal_date) == ("undetermined", None)
    assert (dated.disposal_outcome, dated.disposal_date) == ("date", dt.date(2026, 3, 4))
    assert review.disposal_outcome == "undetermined"  # no review date yet
    assert none.disposal_outcome == "unclassified"

    services.close_case(w.registrator, case)
    on_close.refresh_from_db()
    assert (on_close.disposal_outcome, on_close.disposal_date) == (
        "date", dt.date(TODAY().year + 2, 12, 31))
    services.reopen_case(w.registrator, case)
    on_close.refresh_from_db()
    dated.refresh_from_db()
    assert (on_close.disposal_outcome, on_close.disposal_date) == ("undetermined", None)
    assert dated.disposal_date == dt.date(2026, 3, 4)  # counted from its own date


def test_a_voided_case_counts_from_the_day_it_was_voided(w, case):
    doc = register(w.registrator, case, "Yttrande")
    services.void_case(w.registrator, case, "Fel ärende")
    doc.refresh_from_db()
    assert doc.disposal_date == dt.date(TODAY().year + 2, 12, 31)
    assert [r["document_id"] for r in report(w.archivist)] == [doc.pk]
    assert report(w.archivist)[0]["case_status"] == "voided"


def test_changing_the_record_type_recomputes_and_is_audited(w, case):
    doc = register(w.registrator, case)
    doc = disposal_services.set_record_type(w.archivist, doc, "Kvitto")
    assert doc.disposal_outcome == "date" and doc.rule.name == "Kvitto"
    event = AuditEvent.objects.get(action="document.record_type_changed")
    assert event.before["record_type"] == "" and event.after["record_type"] == "Kvitto"
    doc = disposal_services.set_record_type(w.archivist, doc, None)
    assert doc.disposal_outcome == "unclassified" and doc.rule is None
    officer = f.user(roles={w.ks.authority: "officer"})
    with pytest.raises(PermissionDenied):
        disposal_services.set_record_type(officer, doc, "Kvitto")


def test_classification_is_a_process_of_the_plan_in_force(w):
    with pytest.raises(ValidationError) as exc:
        f.case(w.registrator, w.ks, classification_code="9.9.9")
    assert "classification_code" in exc.value.message_dict
    with pytest.raises(ValidationError):
        f.case(w.registrator, w.ks, classification_code="1.2")  # not a process (level 3)
    case = f.case(w.registrator, w.ks, classification_code="1.2.1")
    services.update_case(w.registrator, case, services.CaseData(
        title="Ny titel", classification_code="1.2.1"))
    other = f.series(f.authority("SN"), "SN")
    officer = f.user(roles={other.authority: "registrar"})
    assert f.case(officer, other, classification_code="7.7.7").classification_code == "7.7.7"


# --- holds and the report ------------------------------------------------------------


def closed_case_with_receipt(w, title="Kvitto"):
    case = f.case(w.registrator, w.ks)
    doc = register(w.registrator, case, "Kvitto", title, document_date=dt.date(2024, 1, 10))
    services.close_case(w.registrator, case)
    return case, doc


def test_open_and_dormant_cases_hold_their_documents(w):
    case = f.case(w.registrator, w.ks)
    register(w.registrator, case, "Kvitto", document_date=dt.date(2024, 1, 10))
    assert report(w.archivist, TODAY()) == []
    services.set_dormant(w.registrator, case)
    assert report(w.archivist, TODAY()) == []
    services.close_case(w.registrator, case)
    assert len(report(w.archivist, TODAY())) == 1


def test_holds_keep_documents_off_the_report_until_released(w):
    case, doc = closed_case_with_receipt(w)
    _other_case, other = closed_case_with_receipt(w, "Annat kvitto")
    assert {r["document_id"] for r in report(w.archivist)} == {doc.pk, other.pk}
    on_case = disposal_services.place_hold(w.archivist, case=case, reason="Tvist")
    on_doc = disposal_services.place_hold(w.archivist, document=other, reason="Revision")
    assert report(w.archivist) == []
    assert due.held_document_ids([doc, other]) == {doc.pk, other.pk}
    disposal_services.release_hold(w.archivist, on_case, "Tvisten avgjord")
    assert [r["document_id"] for r in report(w.archivist)] == [doc.pk]
    disposal_services.release_hold(w.archivist, on_doc)
    assert len(report(w.archivist)) == 2
    actions = list(AuditEvent.objects.filter(action__startswith="hold.").values_list(
        "action", flat=True).order_by("occurred_at", "id"))
    assert actions == ["hold.placed", "hold.placed", "hold.released", "hold.released"]
    with pytest.raises(ValidationError):
        disposal_services.release_hold(w.archivist, on_doc)


def test_a_request_hold_is_placed_by_the_archivists_or_the_registry(w):
    case, doc = closed_case_with_receipt(w)
    with pytest.raises(PermissionDenied):  # a principal that does not declare holds
        disposal_services.place_hold(INGEST, document=doc, reason="Begäran",
                                     kind=HoldKind.REQUEST)
    disposal_services.place_hold(w.archivist, document=doc, reason="Begäran om allmän handling",
                                 kind=HoldKind.REQUEST, reference="BEG-2026-17")
    assert report(w.archivist) == []
    hold = disposal_services.place_hold(w.registrator, case=case, reason="Begäran",
                                        kind=HoldKind.REQUEST)
    assert hold.kind == "request"
    with pytest.raises(PermissionDenied):
        disposal_services.place_hold(w.registrator, case=case, reason="Tvist")


def test_only_archivists_and_administrators_see_the_report_and_place_holds(w):
    case, doc = closed_case_with_receipt(w)
    officer = f.user(roles={w.ks.authority: "officer"})
    admin = f.user(roles={w.ks.authority: "administrator"})
    bun_archivist = f.user(roles={w.bun.authority: "archivist"})
    assert report(w.registrator) == [] and report(officer) == []
    assert not due.can_see_report(w.registrator)
    assert len(report(admin)) == 1 and report(bun_archivist) == []
    assert not due.holdable_cases(bun_archivist).filter(pk=case.pk).exists()
    for user in (w.registrator, officer, bun_archivist):
        with pytest.raises(PermissionDenied):
            disposal_services.place_hold(user, document=doc, reason="x")


def test_the_report_streams_grouped_by_authority_and_record_type(w):
    bun_reg = f.user(roles={w.bun.authority: "registrar"})
    ks_archivist = w.archivist
    both = f.user(roles={w.ks.authority: "archivist", w.bun.authority: "archivist"})
    for _ in range(3):
        closed_case_with_receipt(w)
    yttrande_case = f.case(w.registrator, w.ks)
    register(w.registrator, yttrande_case, "Yttrande")
    services.close_case(w.registrator, yttrande_case)
    bun_case = f.case(bun_reg, w.bun)
    register(bun_reg, bun_case, "Kvitto", document_date=dt.date(2024, 2, 1))
    services.close_case(bun_reg, bun_case)

    rows = due.stream_due(both, due.DueCriteria(on=FAR), chunk_size=1)
    assert inspect.isgenerator(rows)
    rows = list(rows)
    assert [(r["authority"], r["record_type"]) for r in rows] == [
        ("BUN", "Kvitto"), ("KS", "Kvitto"), ("KS", "Kvitto"), ("KS", "Kvitto"),
        ("KS", "Yttrande")]
    assert rows[-1]["decision"] == "Gallringsbeslut KS 2024:1"
    summary = due.due_summary(both, due.DueCriteria(on=FAR))
    assert [(g.authority, g.record_type, g.count) for g in summary] == [
        ("BUN", "Kvitto", 1), ("KS", "Kvitto", 3), ("KS", "Yttrande", 1)]
    assert len(report(ks_archivist, TODAY())) == 3  # Yttrande is due only in two years
    only = due.DueCriteria(on=FAR, authority_ids=frozenset({w.bun.authority.pk}))
    assert [r["authority"] for r in due.stream_due(ks_archivist, only)] == []


def test_secret_documents_show_only_their_public_description(w):
    case = f.case(w.registrator, w.ks)
    register(w.registrator, case, "Kvitto", "Kvitto till Anna Andersson",
             document_date=dt.date(2024, 1, 1), public_title="Kvitto",
             secrecy=services.Secrecy("OSL 26:1"))
    services.close_case(w.registrator, case)
    [row] = report(w.archivist)
    assert row["description"] == "Kvitto" and row["is_secret"]


def test_voided_documents_stay_on_the_report_with_their_status(w):
    _case, doc = closed_case_with_receipt(w)
    services.void_document(w.registrator, doc, "Dubblett")
    [row] = report(w.archivist)
    assert row["document_status"] == "voided"
