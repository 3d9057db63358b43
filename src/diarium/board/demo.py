"""The board process in the demo (`diarium demo`): bodies with members for KS, BUN and
MBN; a past meeting of kommunstyrelsen with justerade minutes, extracts filed in their
cases and a notice that is down (in the archive of notices); an upcoming meeting of barn-
och utbildningsnämnden with its kallelse sent; MBN's delegation scheme with delegated
decisions, some to be reported and one posted on the notice board.

Everything is made through the board's services. The past meeting happens today in the
services and is then dated back (its justering, notice and decisions), because the
services give today's date to a justering; the dates kept are consistent with the law's
periods. Members log in with `demo-<username>` like the other demo users."""

import datetime as dt
import io
from collections import Counter

from django.utils import timezone

from diarium.board import demo_signing, justering, pdfs
from diarium.board.delegation_rules import DecisionData
from diarium.board.models import (
    AttendanceStatus,
    CaseDecision,
    ItemKind,
    Meeting,
    Notice,
    Office,
)
from diarium.board.services import agenda, bodies, conduct, delegation, minutes, notices
from diarium.core.actors import BOARD, DEMO
from diarium.organisation import services as organisation
from diarium.organisation.demo import DemoOrganisation, demo_password_rules
from diarium.organisation.models import Role
from diarium.registry import services as registry
from diarium.registry.models import DiarySeries

TERM = (dt.date(2023, 1, 1), dt.date(2026, 12, 31))
PEOPLE = {
    "KS": [("Margareta Ek", "S", Office.CHAIR), ("Jonas Blom", "M", Office.FIRST_VICE),
           ("Leila Karimi", "C", ""), ("Tomas Hed", "V", ""), ("Rut Lind", "KD", "")],
    "BUN": [("Peter Sund", "S", Office.CHAIR), ("Anja Roos", "M", Office.FIRST_VICE),
            ("Karl Vik", "L", "")],
    "MBN": [("Stina Falk", "C", Office.CHAIR), ("Olle Berg", "S", Office.FIRST_VICE),
            ("Eva Nord", "M", "")],
}
SCHEME = """nummer;ärende;delegat_typ;delegat;ersättare;beloppsgräns;anmäls;får_ej_delegeras
1.1;Mål, budget och verksamhetsplan;;;;;ja;ja
3.2;Beslut om bygglov för en- och tvåbostadshus;roll;officer;;;ja;nej
3.3;Beslut om startbesked;roll;officer;;;ja;nej
3.5;Beslut om sanktionsavgift enligt PBL;person;handlaggare-mbn;;50000;nej;nej
4.1;Föreläggande enligt miljöbalken;befattning;miljöchef;;;ja;nej
"""


def _members(org: DemoOrganisation, code: str, body) -> list:
    result = []
    for n, (name, party, office) in enumerate(PEOPLE[code], start=1):
        username = f"ledamot-{code.lower()}-{n}"
        first, last = name.split(" ", 1)
        login = organisation.create_user(
            DEMO, username=username, municipality=org.municipality,
            password=f"demo-{username}", password_validators=demo_password_rules(),
            first_name=first, last_name=last, email=f"{username}@sjovik.example")
        result.append(bodies.add_member(_secretary(org, code), body, bodies.MemberData(
            name=name, party=party, office=office, term_start=TERM[0], term_end=TERM[1],
            email=login.email, user=login)))
    return result


def _secretary(org: DemoOrganisation, code: str):
    return org.users[{"KS": "namndsekreterare", "BUN": "namndsekreterare-bun",
                      "MBN": "namndsekreterare"}[code]]


def _ready(org, code: str, officer: str, body, title: str, proposal: str):
    series = DiarySeries.objects.filter(authority=org.authorities[code]).first()
    actor = org.users[officer]
    case = registry.open_case(actor, series, registry.CaseData(
        title=title, responsible_officer=actor, classification_code="1.2.1"))
    data = pdfs.simple_pdfa(f"Tjänsteutlåtande: {title}", org.authorities[code].name,
                            [pdfs.Section("Förslag till beslut", (proposal,))])
    report = registry.register_document(actor, case, registry.DocumentData(
        direction="internal", title=f"Tjänsteutlåtande {title}",
        document_date=timezone.localdate(), record_type="Tjänsteutlåtande"),
        [registry.Upload(io.BytesIO(data), "tjansteutlatande.pdf", "application/pdf")])
    return case, agenda.mark_ready(actor, case, body, report, proposal)


def _past_ks_meeting(org: DemoOrganisation, body, members) -> Meeting:
    secretary = _secretary(org, "KS")
    ready = [_ready(org, "KS", "handlaggare", body, title, text) for title, text in [
        ("Revidering av riktlinjer för dokumenthantering", "Riktlinjerna antas."),
        ("Medborgarförslag om parkbänkar vid Strandvägen", "Medborgarförslaget bifalls."),
    ]]
    day = timezone.localdate() - dt.timedelta(days=70)
    meeting = agenda.create_meeting(secretary, body, day, dt.time(13), "Sessionssalen")
    agenda.add_fixed_item(secretary, meeting, ItemKind.OPENING)
    agenda.add_fixed_item(secretary, meeting, ItemKind.ADJUSTERS)
    for _case, proposal in ready:
        agenda.add_case_item(secretary, meeting, proposal)
    notices.send_notice(secretary, meeting)
    for member in members:
        conduct.record_attendance(secretary, meeting, member, AttendanceStatus.PRESENT)
    conduct.choose_adjusters(secretary, meeting, [members[2]])
    items = list(meeting.items.order_by("position"))
    conduct.record_vote(secretary, items[3], {members[0]: "for", members[1]: "against",
                                              members[2]: "for", members[3]: "for",
                                              members[4]: "abstain"},
                        "Bifall med 3 röster mot 1, 1 avstår")
    conduct.add_remark(secretary, items[3], members[1], "reservation")
    texts = ["Sammanträdet förklaras öppnat.", f"{members[2].name} utses att justera."]
    for item, text in zip(items, texts + [i.decision_text for i in items[2:]], strict=True):
        conduct.decide_item(secretary, item, text)
    # The chair and the justerare read the minutes (the reader role) and sign them with
    # PAdES signatures under the demo's CA (board/demo_signing.py).
    for member in (members[0], members[2]):
        organisation.assign_role(DEMO, member.user, org.authorities["KS"], Role.READER)
        vars(member.user).pop("_diarium_access", None)
    with demo_signing.keys_for([members[0].user, members[2].user]):
        minutes.produce_minutes(secretary, meeting)
        justering.sign(members[0].user, meeting)
        justering.sign(members[2].user, meeting)
    _date_back(meeting, day + dt.timedelta(days=6))
    minutes.settle_decisions(BOARD, timezone.localdate())
    return meeting


def _date_back(meeting: Meeting, justered_on: dt.date) -> None:
    """The demo's history: the justering and its notice as they happened back then."""
    notice = Notice.objects.get(kind="minutes", source_id=meeting.pk)
    fresh = minutes_notice_dates(justered_on)
    Notice.objects.filter(pk=notice.pk).update(justered_on=justered_on, **fresh)
    Meeting.objects.filter(pk=meeting.pk).update(justered_on=justered_on)
    CaseDecision.objects.filter(item__meeting=meeting).update(
        final_after=fresh["appeal_last_day"])


def minutes_notice_dates(justered_on: dt.date) -> dict:
    from diarium.board import deadlines

    period = deadlines.notice_period(justered_on)
    return {"posted_on": justered_on, "appeal_last_day": period.appeal_last_day,
            "taken_down_on": period.taken_down}


def _upcoming_bun_meeting(org: DemoOrganisation, body) -> Meeting:
    secretary = _secretary(org, "BUN")
    ready = [_ready(org, "BUN", "handlaggare-bun", body, title, text) for title, text in [
        ("Skolskjutsregler för läsåret 2027/28", "Reglerna antas."),
        ("Utökning av förskolan Solrosen", "Förvaltningen får i uppdrag att utöka."),
    ]]
    meeting = agenda.create_meeting(secretary, body,
                                    timezone.localdate() + dt.timedelta(days=10),
                                    dt.time(18), "Lärcentrum, sal 2")
    agenda.add_fixed_item(secretary, meeting, ItemKind.OPENING)
    agenda.add_fixed_item(secretary, meeting, ItemKind.ADJUSTERS)
    for _case, proposal in ready:
        agenda.add_case_item(secretary, meeting, proposal)
    agenda.add_fixed_item(secretary, meeting, ItemKind.INFORMATION,
                          "Förvaltningschefen informerar")
    notices.send_notice(secretary, meeting)
    return meeting


def _mbn_delegation(org: DemoOrganisation) -> int:
    authority = org.authorities["MBN"]
    secretary = _secretary(org, "MBN")
    delegation.import_scheme(secretary, authority, SCHEME.encode(), "csv",
                             adopted_by="MBN 2026-01-20 § 4", adopted_on=dt.date(2026, 1, 20),
                             valid_from=dt.date(2026, 2, 1))
    officer = org.users["handlaggare-mbn"]
    series = DiarySeries.objects.filter(authority=authority).first()
    today = timezone.localdate()
    decisions = [("3.2", "Bygglov för enbostadshus, Ekvägen 4", None),
                 ("3.3", "Startbesked, Ekvägen 4", None),
                 ("3.2", "Bygglov för tillbyggnad, Sjövägen 12", None),
                 ("3.5", "Byggsanktionsavgift, Sjövägen 14", 12000)]
    for number, title, amount in decisions:
        case = registry.open_case(officer, series, registry.CaseData(
            title=title, public_title=title, responsible_officer=officer,
            classification_code="1.2.3"))
        data = pdfs.simple_pdfa(f"Delegationsbeslut: {title}", authority.name,
                                [pdfs.Section(f"Beslut enligt delegation {number}", (title,))])
        document = registry.register_document(officer, case, registry.DocumentData(
            direction="outgoing", title=f"Delegationsbeslut {title}", document_date=today,
            record_type="Delegationsbeslut"),
            [registry.Upload(io.BytesIO(data), "beslut.pdf", "application/pdf")])
        delegation.register_decision(officer, case, DecisionData(
            matter_number=number, decided_by=officer, decided_on=today,
            summary=f"Beslut: {title}", public_summary=title, amount=amount,
            document=document))
    return len(decisions)


def load(org: DemoOrganisation) -> Counter:
    stats: Counter = Counter()
    organisation.assign_role(DEMO, org.users["namndsekreterare"], org.authorities["MBN"],
                             Role.SECRETARY)
    # The roles read so far are cached on the user object: read them again.
    vars(org.users["namndsekreterare"]).pop("_diarium_access", None)
    made = {}
    for code in PEOPLE:
        secretary = _secretary(org, code)
        body = bodies.create_body(secretary, org.authorities[code],
                                  org.authorities[code].name,
                                  minutes_kept_at="Kommunkansliet, Stadshuset")
        made[code] = (body, _members(org, code, body))
    _past_ks_meeting(org, *made["KS"])
    _upcoming_bun_meeting(org, made["BUN"][0])
    stats["board meetings"] = 2
    stats["delegated decisions"] = _mbn_delegation(org)
    return stats
