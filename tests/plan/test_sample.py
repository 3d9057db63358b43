"""The sample plan that ships with the demo."""

import datetime as dt

import pytest
from django.core.management import call_command

from diarium.core.actors import DEMO
from diarium.organisation import demo
from diarium.plan import selectors
from diarium.plan.models import ITSystem, RecordTypeRule
from diarium.plan.retention import Outcome, TriggerDates
from diarium.plan.sample import load_sample_plan

pytestmark = pytest.mark.django_db

REQUIRED = [
    "Tjänsteutlåtande", "Delegationsbeslut", "Protokoll", "Protokollsutdrag", "Kallelse",
    "Föredragningslista", "Diarium", "Ärendeakt", "Sjukfrånvaroanmälningar",
    "Arbetstidsredovisning", "Rehabiliteringsutredningar", "Disciplinärenden", "Uppsägningar",
    "Ansökningshandlingar, ej anställda", "Lönelistor och löneuppgifter",
    "E-tjänstebeskrivning", "Begäran om allmän handling, utlämnad", "Leverantörsfakturor",
    "Anbud, ej antagna", "Övriga avtal", "Ansökan om bygglov", "Personakt, barn och unga",
    "Betygskatalog",
]
SYSTEMS = ["Diarium", "HR-systemet", "Lönesystemet", "Rehabsystemet", "Rekryteringssystemet",
           "Skolsystemet", "E-postsystemet", "Nätverksenheter"]


def test_the_sample_plan_loads_for_the_demo_municipality():
    org = demo.create_organisation()
    result = load_sample_plan(DEMO, org.municipality)
    assert result.record_types >= 60 and result.authority_versions == 11
    names = set(result.base_version.rules.values_list("name", flat=True))
    assert set(REQUIRED) <= names
    assert load_sample_plan(DEMO, org.municipality) is None  # only once

    on = dt.date(2025, 6, 1)
    ks, ofn = org.authorities["KS"], org.authorities["ÖFN"]
    ks_rules = selectors.rules_in_force(ks.pk, on)
    assert ks_rules.count() == result.record_types
    ofn_local = selectors.rules_in_force(ofn.pk, on).filter(is_local=True)
    assert ofn_local.count() == 12  # the joint board's own area 8, Överförmyndarverksamhet
    assert set(ofn_local.values_list("secrecy_provision", flat=True)) == {"OSL 32:4", ""}
    assert selectors.process_in_force(ofn.pk, "8.1.2", on).is_local
    assert selectors.process_in_force(ks.pk, "8.1.2", on) is None
    # Processes for every board's work, and specific record types for the usual kinds.
    for code, name in [("1.5.1", "Valdistriktsindelning"), ("1.6.1", "Risk- och sårbarhetsanalys"),
                       ("3.2.1", "Bygglovsbeslut"), ("4.1.4", "Beslut om parkeringstillstånd"),
                       ("5.2.3", "Ansökan och beslut om skolskjuts"),
                       ("6.1.1", "Utredning, barn och unga"),
                       ("7.1.1", "Ansökan om föreningsbidrag")]:
        assert ks_rules.get(name=name).process.code == code
    names = [n.casefold() for n in ks_rules.values_list("name", flat=True)]
    assert len(names) == len(set(names))  # the registry matches record types by name
    assert ks_rules.get(name="Rehabiliteringsutredningar").secrecy_provision == "OSL 39:1"
    sick = ks_rules.get(name="Sjukfrånvaroanmälningar")
    assert sick.secrecy_provision == "OSL 39:3" and sick.count_from_year_end
    closed = TriggerDates(document_date=dt.date(2025, 3, 2))
    assert selectors.disposal_date(sick, closed) == dt.date(2027, 12, 31)
    payroll = ks_rules.get(name="Lönelistor och löneuppgifter")
    assert selectors.disposal_date(payroll, closed) is Outcome.KEEP
    applicants = ks_rules.get(name="Ansökningshandlingar, ej anställda")
    assert (applicants.period_amount, applicants.trigger) == (2, "case_closed")
    assert RecordTypeRule.objects.filter(version__plan__authority=ks).exclude(
        version__decision_reference="").exists()

    systems = {s.name: s for s in ITSystem.objects.all()}
    assert set(SYSTEMS) <= set(systems)
    assert all(systems[name].record_types.exists() for name in SYSTEMS)
    drives = systems["Nätverksenheter"]
    checklist = selectors.checklists(None, drives).get()
    assert (checklist.done, checklist.total) == (3, 11) and checklist.kind == "decommissioning"


def test_the_command_loads_the_sample():
    demo.create_organisation()
    call_command("plan", "load-sample", "--municipality", demo.MUNICIPALITY[1])
    assert ITSystem.objects.count() == 11


def test_the_sample_plan_gives_the_obvious_record_types_a_direction():
    """Issue 9, finding 8: applications come in, the board's decisions go out, the rest
    fits any direction (a decision from another authority, e.g. Kronofogden's, comes in)."""
    org = demo.create_organisation()
    load_sample_plan(DEMO, org.municipality)
    on = dt.date(2025, 6, 1)
    ks = dict(selectors.rules_in_force(org.authorities["KS"].pk, on).values_list(
        "name", "direction"))
    assert ks["Ansökan om bygglov"] == ks["Ansökan om ekonomiskt bistånd"] == "incoming"
    assert ks["Bygglovsbeslut"] == ks["Beslut om ekonomiskt bistånd"] == "outgoing"
    assert ks["Beslut om löneutmätning"] == "incoming"  # Kronofogden's decision
    assert ks["Ansökan om vård enligt LVU"] == "outgoing"  # the board's, to the court
    assert ks["Delegationsbeslut"] == "internal"
    assert ks["Tjänsteutlåtande"] == ks["Ansökan och beslut om skolskjuts"] == "any"
    # A record type holding what came in and the authority's answer fits any direction.
    assert ks["Synpunkter och klagomål"] == ks["Orosanmälan och förhandsbedömning"] == "any"
    assert sum(d == "incoming" for d in ks.values()) >= 25
    ofn = dict(selectors.rules_in_force(org.authorities["ÖFN"].pk, on).filter(
        is_local=True).values_list("name", "direction"))
    assert ofn["Ansökan om godmanskap eller förvaltarskap"] == "incoming"
    assert ofn["Beslut om samtycke eller uttag"] == "outgoing"
