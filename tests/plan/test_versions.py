"""Plan versions: adoption freezes, new drafts keep old versions readable, and the rule in
force for an authority at a date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from diarium.audit.models import AuditEvent
from diarium.core.actors import OPERATOR
from diarium.plan import selectors, services
from diarium.plan.io.errors import PlanFileError
from diarium.plan.models import RecordTypeRule
from diarium.plan.retention import Outcome, TriggerDates
from tests import factories as f
from tests.plan import factories as pf

pytestmark = pytest.mark.django_db

V1, V2 = dt.date(2025, 1, 1), dt.date(2026, 4, 1)


@pytest.fixture
def ks():
    return f.authority("KS")


@pytest.fixture
def base(ks):
    return pf.adopted_base(ks, [pf.rule(), pf.disposed("Protokollsutdrag", 2)], V1)


def ks_version(ks, base, on=V1, extra=()):
    plan = services.create_plan(OPERATOR, ks.municipality, ks)
    return pf.adopt(pf.draft_with(plan, list(extra), base=base, processes=[]), on)


def test_adoption_freezes_the_version(base):
    assert base.is_adopted and base.decision_reference == "KS 2024-12-02 § 12"
    rule = base.rules.get(name="Protokollsutdrag")
    with pytest.raises(ValidationError):
        services.save_rule(OPERATOR, base, pf.rule("Ny"))
    with pytest.raises(ValidationError):
        services.delete_rule(OPERATOR, rule)
    with pytest.raises(ValidationError):
        services.save_process(OPERATOR, base, "1.2.1", "Nytt namn")
    rule.name = "Ändrad"
    with pytest.raises(ValidationError):
        rule.save()  # the model refuses too, whoever calls it
    with pytest.raises(ValidationError):
        base.delete()
    with pytest.raises(ValidationError):
        services.adopt_version(OPERATOR, base, decision_date=V1, decision_reference="KS § 1")


def test_a_new_draft_copies_and_leaves_the_old_version_readable(base):
    draft = services.create_draft(OPERATOR, base.plan)
    assert draft.number == 2 and draft.rules.count() == 2
    with pytest.raises(ValidationError):
        services.create_draft(OPERATOR, base.plan)  # one draft at a time
    old = draft.rules.get(name="Protokollsutdrag")
    services.save_rule(OPERATOR, draft, pf.disposed("Protokollsutdrag", 5, process_code="1.2.1"),
                       rule=old)
    new_rule = draft.rules.get(name="Protokollsutdrag")
    kept = base.rules.get(name="Protokollsutdrag")
    assert (kept.period_amount, new_rule.period_amount) == (2, 5)
    assert kept.record_type_id == new_rule.record_type_id and kept.pk != new_rule.pk
    assert [v.number for v in selectors.versions(None, base.plan)] == [2, 1]


def test_rule_in_force_for_an_authority_at_a_date(ks, base):
    first = ks_version(ks, base, V1)
    base_draft = services.create_draft(OPERATOR, base.plan)
    rule = base_draft.rules.get(name="Protokollsutdrag")
    services.save_rule(OPERATOR, base_draft,
                       pf.disposed("Protokollsutdrag", 10, process_code="1.2.2"), rule=rule)
    base2 = pf.adopt(base_draft, V2)
    ks_draft = services.create_draft(OPERATOR, first.plan, base=base2)
    second = pf.adopt(ks_draft, V2)
    type_id = rule.record_type_id

    assert selectors.rule_for(ks.pk, type_id, V1 - dt.timedelta(days=1)) is None
    in_2025 = selectors.rule_for(ks.pk, type_id, dt.date(2025, 6, 1))
    in_2026 = selectors.rule_for(ks.pk, type_id, V2)
    assert in_2025.version == first and in_2025.period_amount == 2
    assert in_2026.version == second and in_2026.period_amount == 10
    assert in_2026.process.code == "1.2.2"
    assert selectors.version_in_force(ks.pk, dt.date(2030, 1, 1)) == second
    assert selectors.rules_in_force(ks.pk, V2).count() == 2
    assert selectors.process_in_force(ks.pk, "1.2.2", V2).name == "Genomföra sammanträden"
    # A document registered in 2025 keeps its rule: the row never changes.
    kept = selectors.get_rule(in_2025.pk)
    closed = TriggerDates(case_closed=dt.date(2025, 9, 1))
    assert selectors.disposal_date(kept, closed) == dt.date(2027, 9, 1)
    assert selectors.disposal_date(in_2026, closed) == dt.date(2035, 9, 1)
    assert selectors.retentions([kept.pk])[kept.pk].period_amount == 2
    keep = selectors.rule_for(ks.pk, base.rules.get(name="Tjänsteutlåtande").record_type_id, V2)
    assert selectors.disposal_date(keep, closed) is Outcome.KEEP


def test_a_later_version_cannot_apply_from_an_earlier_date(base):
    draft = services.create_draft(OPERATOR, base.plan)
    with pytest.raises(ValidationError) as caught:
        services.adopt_version(OPERATOR, draft, decision_date=dt.date(2024, 6, 1),
                               decision_reference="KS 2024-06-01 § 3")
    assert "valid_from" in caught.value.message_dict


def test_adoption_needs_a_decision_and_record_types(ks):
    plan = pf.base_plan(ks)
    draft = services.create_draft(OPERATOR, plan)
    with pytest.raises(ValidationError) as caught:
        services.adopt_version(OPERATOR, draft, decision_date=V1, decision_reference=" ")
    assert set(caught.value.message_dict) == {"decision_reference", "rules"}


def test_authority_plan_adds_to_the_base_plan_only(ks, base):
    plan = services.create_plan(OPERATOR, ks.municipality, ks)
    draft = pf.draft_with(plan, [pf.rule("Lokal handling", process_code="1.2.2")], base=base,
                          processes=[])
    from_base = draft.rules.get(name="Tjänsteutlåtande")
    assert not from_base.is_local and draft.rules.get(name="Lokal handling").is_local
    with pytest.raises(ValidationError):
        services.save_rule(OPERATOR, draft, pf.rule("Ändrad"), rule=from_base)
    with pytest.raises(ValidationError):
        services.save_process(OPERATOR, draft, "1.2.1", "Omdöpt")
    local = services.save_process(OPERATOR, draft, "1.2.9", "Lokal process")
    assert local.is_local
    version = pf.adopt(draft)
    assert version.rules.count() == 3 and version.base == base


def test_rebase_keeps_local_additions(ks, base):
    first = ks_version(ks, base, V1, [pf.rule("Lokal handling", process_code="1.2.2")])
    base_draft = services.create_draft(OPERATOR, base.plan)
    services.save_rule(OPERATOR, base_draft, pf.rule("Ny i basplanen", process_code="1.2.2"))
    base2 = pf.adopt(base_draft, V2)
    draft = services.create_draft(OPERATOR, first.plan)
    assert draft.base == base2  # default: the latest adopted base version
    services.rebase_draft(OPERATOR, draft, base)
    assert set(draft.rules.values_list("name", flat=True)) == {
        "Tjänsteutlåtande", "Protokollsutdrag", "Lokal handling"}
    services.rebase_draft(OPERATOR, draft, base2)
    assert draft.rules.filter(name__in=["Ny i basplanen", "Lokal handling"]).count() == 2
    assert draft.rules.get(name="Lokal handling").record_type_id == \
        first.rules.get(name="Lokal handling").record_type_id


def test_authority_import_accepts_its_own_export_and_refuses_changes_to_the_base(ks, base):
    version = ks_version(ks, base, V1, [pf.rule("Lokal handling", process_code="1.2.2")])
    exported = selectors.export_version(None, version, "csv")
    result = services.import_plan(OPERATOR, version.plan, exported, "csv")
    assert (result.processes, result.record_types) == (0, 1)
    assert selectors.version_content(result.version) == selectors.version_content(version)
    services.discard_draft(OPERATOR, result.version)
    changed = exported.replace("Nämndens diarium".encode(), b"Annat diarium", 1)
    with pytest.raises(PlanFileError) as caught:
        services.import_plan(OPERATOR, version.plan, changed, "csv")
    assert "change it in the base plan" in caught.value.issues[0].message
    rows = pf.plan_rows(pf.type_row("Lokal", "9.9.9"))[4:]
    with pytest.raises(PlanFileError) as caught:
        services.import_plan(OPERATOR, version.plan, pf.csv_bytes(rows), "csv")
    assert [(i.row, i.column) for i in caught.value.issues] == [(3, "processkod")]
    assert "Unknown process code 9.9.9" in caught.value.issues[0].message
    renamed = pf.csv_bytes([pf.process_row("1.2", "Annat namn")])
    with pytest.raises(PlanFileError) as caught:
        services.import_plan(OPERATOR, version.plan, renamed, "csv")
    assert "belongs to the base plan" in caught.value.issues[0].message


def test_discarding_a_draft(base):
    draft = services.create_draft(OPERATOR, base.plan)
    services.discard_draft(OPERATOR, draft)
    assert selectors.draft_of(base.plan) is None
    assert RecordTypeRule.objects.filter(version=base).count() == 2


def test_every_write_is_audited_in_the_plan_chain(ks, base):
    version = ks_version(ks, base)
    base_actions = list(AuditEvent.objects.filter(chain=f"plan:{ks.municipality_id}")
                        .values_list("action", flat=True))
    assert base_actions[:2] == ["plan.created", "plan.draft_created"]
    assert base_actions.count("plan.rule_saved") == 2 and base_actions[-1] == "plan.adopted"
    ks_actions = list(AuditEvent.objects.filter(chain=f"authority:{ks.pk}")
                      .values_list("action", flat=True))
    assert ks_actions == ["plan.created", "plan.draft_created", "plan.adopted"]
    adopted = AuditEvent.objects.get(chain=f"authority:{ks.pk}", action="plan.adopted")
    assert adopted.object_id == str(version.pk)
    assert adopted.after["decision_reference"] == version.decision_reference
