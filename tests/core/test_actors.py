"""The explicit actor: every service refuses a missing actor before it writes anything, a
system principal holds exactly what it declares, and the audit log records who acted."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import io
import pkgutil
import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import diarium
from diarium.archive import disposal, tasks
from diarium.archive.aip.inventory import SipHead
from diarium.archive.dip import services as dip
from diarium.archive.models import ArchiveRecord, DisposalRecord
from diarium.archive.validation.package import open_package
from diarium.audit import services as audit
from diarium.audit.models import AuditEvent
from diarium.core import actors
from diarium.core.actors import DEMO, DISPOSAL, FIXITY, INGEST, MAIL, OPERATOR, MissingActor
from diarium.core.jobs.models import Job, JobState
from diarium.core.visibility import Shown
from diarium.organisation import services as organisation
from diarium.plan import services as plan_services
from diarium.plan.models import Plan
from diarium.plan.services import ItemData, SystemData
from diarium.registry import disposal_services, services
from diarium.registry.intake.mime import ParsedMail
from diarium.registry.models import Direction, SecrecyProvision
from diarium.registry.services import mailboxes, migrated
from diarium.registry.services.mailboxes import MailboxData
from tests import factories as f
from tests.archive.conftest import locations, sip  # noqa: F401  (the fixture is used)
from tests.archive.disposal_world import DECISION, build, closed_case
from tests.mailmessages import message
from tests.plan import factories as pf

pytestmark = pytest.mark.django_db

# Modules that hold services besides every `services` module and package.
OTHER_SERVICE_MODULES = [
    "diarium.archive.disposal.access", "diarium.archive.disposal.build",
    "diarium.archive.disposal.certificate", "diarium.archive.disposal.execute",
    "diarium.archive.disposal.items", "diarium.archive.fixity.audit",
    "diarium.archive.ingest.agreements", "diarium.archive.ingest.service",
    "diarium.archive.transfer", "diarium.registry.disposal_services",
]

# Public functions of those modules that are no service, and why they need no actor.
NOT_SERVICES = {
    "diarium.registry.services.parties.validate_party": "checks a form's contact, writes nothing",
    "diarium.organisation.services.new_user_problems": "checks a new user, writes nothing",
    "diarium.registry.services.provisions.may_manage_provisions": "a permission check",
    "diarium.registry.services.series.check_number_format": "checks a text, changes nothing",
    "diarium.registry.services.reminders.mode_of": "a read of a user's choice",
    "diarium.registry.services.reminders.due_reminders": "a read of what is due, sends nothing",
    "diarium.registry.services.staging.clear_expired": "housekeeping of staged uploads past "
                                                       "their age (no record; stage_files "
                                                       "checks its actor)",
    "diarium.archive.disposal.access.items": "a read of a list the caller already holds",
    "diarium.archive.disposal.access.counts": "a read of a list the caller already holds",
    "diarium.archive.disposal.access.record_type_name": "a read of a list the caller holds",
    "diarium.archive.disposal.access.latest_job": "a read of a list the caller holds",
    "diarium.archive.disposal.certificate.person": "formats a name",
    "diarium.archive.disposal.items.skip_text": "a text for a code",
    "diarium.archive.disposal.items.mark": "a step of process(), which checks the actor",
    "diarium.archive.ingest.agreements.check_agreement": "adds findings to a report",
    "diarium.archive.ingest.agreements.validation_event": "describes a report",
    "diarium.archive.transfer.ended_at": "a read of a case the caller holds",
    "diarium.archive.transfer.cases_to_archive": "a read for archive_closed_cases",
    "diarium.archive.transfer.agreement_for": "a read for archive_case",
    "diarium.archive.transfer.watch": "a loop around a pass the caller gives",
    "diarium.core.jobs.services.subject_of": "pure",
    "diarium.core.jobs.services.attach": "points a running job at what it made; the job's "
                                         "starter was checked when it was started",
    "diarium.audit.services.to_json_value": "pure",
    "diarium.audit.services.event_payload": "pure",
    "diarium.audit.services.event_hash": "pure",
    "diarium.audit.services.diff": "pure",
    "diarium.documents.services.guess_mime_type": "pure",
    "diarium.documents.services.store_content": "the content store itself (by hash, no "
                                                "record); the service storing checks its actor",
    "diarium.documents.services.open_content": "reads stored content",
    "diarium.plan.services.plans.default_base": "a read for create_draft",
    "diarium.plan.services.plans.check_base": "a check for create_draft",
    "diarium.plan.services.systems.system_snapshot": "pure",
    "diarium.registry.services.documents.safe_file_name": "pure",
    "diarium.registry.services.documents.default_secrecy": "pure",
    "diarium.registry.services.templates.values_for": "a read of a case the caller holds",
    "diarium.registry.services.templates.may_manage_templates": "a permission check",
    "diarium.registry.services.mailboxes.note_poll": "the poll's bookkeeping on the mailbox; "
                                                     "the intake services it calls check "
                                                     "their actor (system:mail)",
    "diarium.registry.services.mailboxes.note_uidvalidity": "the poll's bookkeeping",
    "diarium.registry.services.mailboxes.note_seen": "the poll's bookkeeping",
    "diarium.registry.services.mailboxes.note_released": "the poll's bookkeeping",
    "diarium.registry.services.mailboxes.claim_poll": "the poll's lease",
    "diarium.registry.services.mailboxes.renew_poll": "the poll's lease",
    "diarium.registry.services.mailboxes.release_poll": "the poll's lease",
    "diarium.registry.services.folder_import.imported": "a read for the folder import",
    "diarium.registry.services.folder_import.case_for_key": "a read for the folder import",
    "diarium.registry.services.migrated.problems": "checks a case, writes nothing",
    "diarium.registry.services.migrated.number_problem": "pure",
    "diarium.registry.services.migrated.counters": "a read for the checks",
    "diarium.registry.services.migrated.taken_numbers": "a read for the checks",
    "diarium.registry.services.migrated.imported": "a read for the checks",
    "diarium.registry.dispatch.services.content_to_send": "a read: what a dispatch attaches",
    "diarium.registry.dispatch.services.file_to_send": "a read: the file a dispatch sends",
    "diarium.registry.dispatch.services.pdfa_of": "a read of a file's rendition",
    "diarium.registry.dispatch.services.pending": "a read for the sending job",
    "diarium.registry.dispatch.services.note_attempt": "the sending job's bookkeeping; its "
                                                       "starter was checked (start_sending)",
    "diarium.registry.dispatch.services.note_failed": "the sending job's bookkeeping",
    "diarium.registry.dispatch.services.note_sent": "the sending job's bookkeeping",
    "diarium.registry.services.case_files.file_name": "pure",
    "diarium.registry.services.signatures.next_step": "a read of a request",
    "diarium.registry.services.signatures.rendition_of": "a read of a version's rendition",
    "diarium.registry.services.signatures.signed_files": "a read of a document's files",
    "diarium.disclosure.services.validate_submission": "checks a form, writes nothing",
    "diarium.disclosure.services.submit_request": "the public's request: its actor is "
                                                  "always system:public-requests",
    "diarium.disclosure.services.count_download": "the public's download by its link: "
                                                  "system:public-requests",
    "diarium.disclosure.services.client_key": "pure",
    "diarium.disclosure.services.too_many": "a read for the rate limit",
    "diarium.disclosure.services.released_files": "a read of reviewed documents",
    "diarium.disclosure.services.link_path": "pure",
    "diarium.disclosure.services.masks_from": "pure: a job's parameters as masks",
    "diarium.disclosure.services.open_delivery": "a read by a link's token",
    "diarium.board.services.member_links.find": "a read by a member link's token",
    "diarium.board.services.member_links.use": "the member's use of their link: its actor "
                                               "is always system:member-link",
    "diarium.board.services.member_links.save_note": "the member's own private note by "
                                                     "their link (no actor but the link)",
    "diarium.board.services.member_links.active_link": "a read",
    "diarium.board.services.member_links.link_path": "pure",
    "diarium.board.services.member_links.link_url": "pure",
}


def service_modules() -> list:
    names = set(OTHER_SERVICE_MODULES)
    for found in pkgutil.walk_packages(diarium.__path__, "diarium."):
        parts = found.name.split(".")
        if "services" in parts and not parts[-1].startswith("_"):
            names.add(found.name)
    return [importlib.import_module(name) for name in sorted(names)]


def public_functions() -> dict[str, Callable]:
    return {
        f"{module.__name__}.{name}": value
        for module in service_modules()
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__
        and not name.startswith("_")
    }


@pytest.fixture
def w(locations, settings, tmp_path):  # noqa: F811  (the archive's fixture, imported)
    """Everything the services act on, made by the actors that may: a closed case with
    receipts archived and due, an approved and a proposed disposal list, holds, a DIP
    order and its delivery, mail in the inbox, a party, a plan draft and a system with
    a checklist."""
    settings.DATA_DIR = tmp_path / "data"  # DIPs are written there
    d = build(tmp_path)
    p = d.plan
    ks, reg, ark = p.ks, p.registrator, p.archivist
    approved = disposal.approve(d.approver, disposal.create_run(ark, d.authority), DECISION)
    closed_case(p, "Kontantkassan 2023", (b"Kvitto 1.\n",))
    proposed = disposal.create_run(ark, d.authority)
    open_case = f.case(reg, ks, title="Bygglov Sjövägen 3")
    order = dip.order_dip(ark, d.package, recipient="Anna Andersson")
    muni = ks.authority.municipality
    plan = Plan.objects.get(authority=ks.authority)
    draft = plan_services.create_draft(OPERATOR, plan)
    process = plan_services.save_process(OPERATOR, draft, "1.2.9", "Lokal process")
    system = plan_services.create_system(OPERATOR, muni, SystemData("Ekonomisystemet",
                                                                    ks.authority))
    template = plan_services.create_template(OPERATOR, muni, "procurement", "Upphandling",
                                             [ItemData("Kravställ arkivering")])
    checklist = plan_services.start_checklist(OPERATOR, system, template)
    sip_path = sip(tmp_path / "sip", name="sip-actor")
    administration = organisation.create_administration(OPERATOR, muni, name="KLF")
    return {
        "d": d, "ks": ks, "reg": reg, "case": open_case, "closed": d.case,
        "doc": d.receipts[0], "package": d.package, "approved": approved,
        "proposed": proposed, "run_item": approved.items.first(), "order": order,
        "delivery": dip.deliver(ark, dip.order_dip(ark, d.package, recipient="Björn")),
        "record": ArchiveRecord.objects.filter(package=d.package).first(),
        "hold": disposal_services.place_hold(ark, case=open_case, reason="Tvist"),
        "archive_hold": disposal.place_hold(ark, d.package, "Tvist"),
        "item": services.receive_mail(MAIL, ks.authority, sender="anna@example.se",
                                      subject="Synpunkt"),
        "party": services.create_party(reg, kind="person", name="Anna Andersson"),
        "stored": services.store_uploads(reg, [upload()]), "muni": muni, "plan": plan,
        "draft": draft, "process": process,
        "rule": plan_services.save_rule(OPERATOR, draft, pf.rule("Lokal typ", "1.2.9")),
        "system": system, "template": template, "tick": checklist.items.first(),
        "sip": sip_path, "out": tmp_path / "out", "root": tmp_path,
        "administration": administration,
        "unit": organisation.create_unit(OPERATOR, administration, name="Kansliet"),
        "token": organisation.create_api_token(OPERATOR, reg).token,
        "failed_job": Job.objects.create(kind=tasks.FIXITY, state=JobState.FAILED,
                                         principal="system:fixity"),
    }


def upload() -> services.Upload:
    return services.Upload(io.BytesIO(b"Synpunkt.\n"), "synpunkt.txt")


def template_upload() -> services.Upload:
    from diarium.registry.demo_templates import docx_bytes

    return services.Upload(io.BytesIO(docx_bytes(["{{ diarienummer }}"])), "mall.docx")


def a_template(w):
    return services.add_template(DEMO, services.TemplateData("Mall", w["muni"]),
                                 template_upload())


def case_data() -> services.CaseData:
    return services.CaseData(title="Bygglov Strandvägen 1")


def doc_data() -> services.DocumentData:
    return services.DocumentData(direction=Direction.INCOMING, title="Ansökan",
                                 document_date=timezone.localdate(), record_type="Kvitto")


def head(w) -> SipHead:
    opened = open_package(w["sip"])
    try:
        return SipHead.read(opened)
    finally:
        opened.close()


TODAY = dt.date.today()


def board(w) -> dict:
    """A board world for the board's services (made once per test)."""
    if "board" not in w:
        from diarium.board.services import agenda
        from tests.board.world import make_world

        world = make_world("BW")
        case, proposal = world.ready_case("Ärende för nämnden")
        meeting = agenda.create_meeting(world.secretary, world.body, TODAY, dt.time(9),
                                        "Salen")
        item = agenda.add_case_item(world.secretary, meeting, proposal)
        w["board"] = {"world": world, "case": case, "proposal": proposal,
                      "meeting": meeting, "item": item, "member": world.member("chair")}
    return w["board"]


def board_calls() -> dict[str, Callable[[dict], tuple[tuple, dict]]]:
    from diarium.board.delegation_rules import DecisionData
    from diarium.board.services.bodies import MemberData

    b = "diarium.board.services."
    return {
        b + "agenda.mark_ready": lambda w: ((board(w)["case"], board(w)["world"].body,
                                             board(w)["proposal"].report, "Bifall"), {}),
        b + "agenda.create_meeting": lambda w: ((board(w)["world"].body, TODAY, dt.time(9),
                                                 "Salen"), {}),
        b + "agenda.add_fixed_item": lambda w: ((board(w)["meeting"], "opening"), {}),
        b + "agenda.add_case_item": lambda w: ((board(w)["meeting"], board(w)["proposal"]),
                                               {}),
        b + "agenda.attach_document": lambda w: ((board(w)["item"],
                                                  board(w)["proposal"].report), {}),
        b + "agenda.set_item_closed": lambda w: ((board(w)["item"], True), {}),
        b + "agenda.reorder": lambda w: ((board(w)["meeting"], [board(w)["item"].pk]), {}),
        b + "agenda.move": lambda w: ((board(w)["item"], 1), {}),
        b + "bodies.create_body": lambda w: ((board(w)["world"].authority, "Utskottet"), {}),
        b + "bodies.add_member": lambda w: ((board(w)["world"].body, MemberData(
            "Eva Ny", TODAY, TODAY)), {}),
        b + "conduct.record_attendance": lambda w: ((board(w)["meeting"], board(w)["member"],
                                                     "present"), {}),
        b + "conduct.choose_adjusters": lambda w: ((board(w)["meeting"],
                                                    [board(w)["member"]]), {}),
        b + "conduct.declare_conflict": lambda w: ((board(w)["item"], board(w)["member"]),
                                                   {}),
        b + "conduct.record_vote": lambda w: ((board(w)["item"], {board(w)["member"]: "for"},
                                               "Bifall"), {}),
        b + "conduct.add_remark": lambda w: ((board(w)["item"], board(w)["member"],
                                              "reservation"), {}),
        b + "conduct.decide_item": lambda w: ((board(w)["item"], "Bifall"), {}),
        b + "conduct.set_extract_recipients": lambda w: (
            (board(w)["item"], None, "Länsstyrelsen <lst@example.org>"), {}),
        b + "delegation.import_scheme": lambda w: (
            (board(w)["world"].authority, b"nummer;\xc3\xa4rende\n1;x\n", "csv"),
            {"adopted_by": "§ 1", "adopted_on": TODAY, "valid_from": TODAY}),
        b + "delegation.register_decision": lambda w: ((board(w)["case"], DecisionData(
            "1", board(w)["world"].officer, TODAY, "Beviljat")), {}),
        b + "member_notes.save_note": lambda w: ((board(w)["item"], "Anteckning"), {}),
        b + "minutes.produce_minutes": lambda w: ((board(w)["meeting"],), {}),
        b + "minutes.choose_posting_date": lambda w: ((board(w)["meeting"], TODAY), {}),
        b + "minutes.complete_justering": lambda w: ((board(w)["meeting"], TODAY), {}),
        b + "minutes.justera_immediately": lambda w: ((board(w)["item"],), {}),
        b + "minutes.settle_decisions": lambda w: ((TODAY,), {}),
        b + "notices.send_notice": lambda w: ((board(w)["meeting"],), {}),
        b + "daily.run_daily": lambda w: ((TODAY,), {}),
        b + "member_links.issue_link": lambda w: ((board(w)["member"],), {}),
        b + "member_links.revoke_link": lambda w: ((board(w)["member"],), {}),
    }


# Every service, with the arguments (after the actor) it would get in real use.
CALLS: dict[str, Callable[[dict], tuple[tuple, dict]]] = {
    "diarium.archive.dip.services.order_dip": lambda w: ((w["package"],),
                                                         {"recipient": "Anna"}),
    "diarium.archive.dip.services.review": lambda w: (
        (w["order"], [dip.ReviewItem(w["record"], "release")]), {}),
    "diarium.archive.dip.services.add_masked_file": lambda w: (
        (w["order"], w["record"], io.BytesIO(b"%PDF-1.4"), "maskad.pdf"), {}),
    "diarium.archive.dip.services.deliver": lambda w: ((w["order"],), {}),
    "diarium.archive.dip.services.check_deliverable": lambda w: ((w["order"],), {}),
    "diarium.archive.dip.services.note_download": lambda w: ((w["delivery"],), {}),
    "diarium.archive.disposal.access.authority_ids": lambda w: ((), {}),
    "diarium.archive.disposal.access.may_dispose": lambda w: ((), {}),
    "diarium.archive.disposal.access.handles": lambda w: ((w["ks"].authority_id,), {}),
    "diarium.archive.disposal.access.runs": lambda w: ((), {}),
    "diarium.archive.disposal.access.get_run": lambda w: ((w["approved"].pk,), {}),
    "diarium.archive.disposal.access.holds": lambda w: ((), {}),
    "diarium.archive.disposal.access.get_hold": lambda w: ((w["archive_hold"].pk,), {}),
    "diarium.archive.disposal.access.holdable_packages": lambda w: ((), {}),
    "diarium.archive.disposal.build.create_run": lambda w: ((w["ks"].authority,), {}),
    "diarium.archive.disposal.certificate.complete": lambda w: ((w["approved"],), {}),
    "diarium.archive.disposal.execute.execute": lambda w: ((w["approved"],), {}),
    "diarium.archive.disposal.execute.check_executable": lambda w: ((w["approved"],), {}),
    "diarium.archive.disposal.items.process": lambda w: ((w["approved"], w["run_item"]), {}),
    "diarium.archive.disposal.services.approve": lambda w: ((w["proposed"], DECISION), {}),
    "diarium.archive.disposal.services.reject": lambda w: ((w["proposed"], "Nej"), {}),
    "diarium.archive.disposal.services.place_hold": lambda w: ((w["package"], "Tvist"), {}),
    "diarium.archive.disposal.services.release_hold": lambda w: ((w["archive_hold"],), {}),
    "diarium.archive.fixity.audit.audit": lambda w: ((), {}),
    "diarium.archive.ingest.agreements.resolve_agreement": lambda w: (
        (None, head(w)), {}),
    "diarium.archive.ingest.service.ingest_package": lambda w: ((w["sip"],), {}),
    "diarium.archive.services.ensure_archive_creator": lambda w: ((w["ks"].authority,), {}),
    "diarium.archive.services.create_agreement": lambda w: (
        (w["package"].creator,), {"reference": "LÖ-NY", "name": "Ny", "producer": "Diarium"}),
    "diarium.archive.transfer.link_case": lambda w: (
        (w["closed"], w["package"], 2, "diarium-ks-ny", timezone.now()), {}),
    "diarium.archive.transfer.archive_case": lambda w: ((w["closed"], w["out"]), {}),
    "diarium.archive.transfer.archive_closed_cases": lambda w: ((w["out"],), {}),
    "diarium.core.jobs.services.start": lambda w: ((tasks.FIXITY,), {}),
    "diarium.core.jobs.services.run_here": lambda w: ((tasks.FIXITY,), {}),
    "diarium.core.jobs.services.retry": lambda w: ((w["failed_job"],), {}),
    "diarium.audit.services.record": lambda w: (
        (), {"action": "x", "object_type": "t", "object_id": "1"}),
    "diarium.audit.services.record_many": lambda w: (
        (), {"events": [audit.Pending("x", object_type="t", object_id="1")]}),
    "diarium.registry.services.migrated.require_may_migrate": lambda w: (
        (w["ks"].authority,), {}),
    "diarium.registry.services.migrated.bring_in": lambda w: (
        ([migrated.MigratedCase(
            source="CSV", source_id="1", sha256="0" * 64, where="cases.csv:2",
            series=w["ks"], year=2019, number=4, diary_number="KS 2019/4", title="Bidrag",
            opened_at=timezone.now() - dt.timedelta(days=3000))],),
        {"run": uuid.uuid4()}),
    "diarium.organisation.services.create_api_token": lambda w: ((w["reg"],), {}),
    "diarium.organisation.services.revoke_api_token": lambda w: ((w["token"],), {}),
    "diarium.organisation.services.unlock_login": lambda w: ((), {"username": "reg"}),
    "diarium.organisation.services.confirm_two_factor": lambda w: (
        (w["reg"], None, "123456"), {}),
    "diarium.organisation.services.reset_two_factor": lambda w: ((w["reg"],), {}),
    "diarium.organisation.services.create_municipality": lambda w: (
        (), {"name": "Björkfors kommun", "code": "9902"}),
    "diarium.organisation.services.create_authority": lambda w: (
        (w["muni"],), {"code": "SN", "name": "Socialnämnden"}),
    "diarium.organisation.services.update_authority": lambda w: (
        (w["ks"].authority,), {"name": "Kommunstyrelsen"}),
    "diarium.organisation.services.create_administration": lambda w: (
        (w["muni"],), {"name": "Socialförvaltningen"}),
    "diarium.organisation.services.create_unit": lambda w: (
        (w["administration"],), {"name": "Ekonomiavdelningen"}),
    "diarium.organisation.services.rename_unit": lambda w: ((w["unit"], "Kansli"), {}),
    "diarium.organisation.services.create_user": lambda w: (
        (), {"username": "karin", "municipality": w["muni"], "first_name": "Karin"}),
    "diarium.organisation.services.update_user": lambda w: ((w["reg"],), {"last_name": "Ek"}),
    "diarium.organisation.services.assign_role": lambda w: (
        (w["reg"], w["ks"].authority, "administrator"), {}),
    "diarium.organisation.services.update_municipality": lambda w: (
        (w["muni"],), {"name": "Björkfors kommun"}),
    "diarium.organisation.services.update_administration": lambda w: (
        (w["administration"],), {"authorities": [w["ks"].authority]}),
    "diarium.organisation.services.set_up": lambda w: (
        (), {"name": "Ängby kommun", "code": "9950", "organisation_number": "212000-9950",
             "username": "it-admin", "password": "Grusväg-Tallkotte-91"}),
    "diarium.organisation.services.set_password": lambda w: (
        (w["reg"], "Grusväg-Tallkotte-91"), {}),
    "diarium.organisation.services.remove_role": lambda w: (
        (w["reg"], w["ks"].authority, "registrar"), {}),
    "diarium.plan.services.importing.import_plan": lambda w: (
        (w["plan"], pf.csv_bytes([pf.process_row("1", "Ledning")]), "csv"), {}),
    "diarium.plan.services.plans.create_plan": lambda w: ((w["muni"],), {"name": "Ny"}),
    "diarium.plan.services.plans.create_draft": lambda w: ((w["plan"],), {}),
    "diarium.plan.services.plans.rebase_draft": lambda w: ((w["draft"], w["d"].plan.base),
                                                           {}),
    "diarium.plan.services.plans.save_process": lambda w: ((w["draft"], "1.2.8", "Ny"), {}),
    "diarium.plan.services.plans.delete_process": lambda w: ((w["process"],), {}),
    "diarium.plan.services.plans.save_rule": lambda w: (
        (w["draft"], pf.rule("Ny typ", "1.2.9")), {}),
    "diarium.plan.services.plans.delete_rule": lambda w: ((w["rule"],), {}),
    "diarium.plan.services.plans.adopt_version": lambda w: (
        (w["draft"],), {"decision_date": TODAY, "decision_reference": "KS § 1",
                        "valid_from": TODAY}),
    "diarium.plan.services.plans.discard_draft": lambda w: ((w["draft"],), {}),
    "diarium.plan.services.publishing.set_publishable": lambda w: (
        (w["rule"].record_type, True), {}),
    "diarium.plan.services.systems.create_system": lambda w: (
        (w["muni"], SystemData("Lönesystemet", w["ks"].authority)), {}),
    "diarium.plan.services.systems.update_system": lambda w: (
        (w["system"], SystemData("Nytt namn", w["ks"].authority)), {}),
    "diarium.plan.services.systems.create_template": lambda w: (
        (w["muni"], "decommissioning", "Avveckling", ["Leverera"]), {}),
    "diarium.plan.services.systems.set_template_items": lambda w: (
        (w["template"], ["Ny punkt"]), {}),
    "diarium.plan.services.systems.start_checklist": lambda w: (
        (w["system"], w["template"]), {}),
    "diarium.plan.services.systems.tick_item": lambda w: ((w["tick"],), {}),
    "diarium.registry.disposal_services.set_record_type": lambda w: (
        (w["doc"], "Kvitto"), {}),
    "diarium.registry.disposal_services.mark_no_longer_current": lambda w: (
        (w["doc"], TODAY), {}),
    "diarium.registry.disposal_services.place_hold": lambda w: (
        (), {"reason": "Tvist", "case": w["closed"]}),
    "diarium.registry.disposal_services.release_hold": lambda w: ((w["hold"],), {}),
    "diarium.registry.disposal_services.dispose_document": lambda w: (
        (w["doc"],), {"decision": DECISION}),
    "diarium.registry.services.cases.open_case": lambda w: ((w["ks"], case_data()), {}),
    "diarium.registry.services.cases.update_case": lambda w: ((w["case"], case_data()), {}),
    "diarium.registry.services.cases.close_case": lambda w: ((w["case"], "Klart"), {}),
    "diarium.registry.services.cases.reopen_case": lambda w: ((w["closed"],), {}),
    "diarium.registry.services.cases.set_dormant": lambda w: ((w["case"],), {}),
    "diarium.registry.services.cases.void_case": lambda w: ((w["case"], "Fel"), {}),
    "diarium.registry.services.cases.relate_cases": lambda w: ((w["case"], w["closed"]), {}),
    "diarium.registry.services.cases.grant_case_access": lambda w: (
        (w["case"], w["reg"]), {}),
    "diarium.registry.services.documents.store_uploads": lambda w: (([upload()],), {}),
    "diarium.registry.services.staging.stage_files": lambda w: (("register", []), {}),
    "diarium.registry.services.documents.register_document": lambda w: (
        (w["case"], doc_data(), [upload()]), {}),
    "diarium.registry.services.documents.register_stored_document": lambda w: (
        (w["case"], doc_data(), w["stored"]), {}),
    "diarium.registry.services.documents.void_document": lambda w: ((w["doc"], "Fel"), {}),
    "diarium.registry.services.documents.note_shown": lambda w: (
        ("case", [Shown(f"authority:{w['ks'].authority_id}", "registry.case",
                        str(w["case"].pk), w["case"].pk)]), {}),
    "diarium.registry.services.documents.register_in_new_case": lambda w: (
        (w["ks"], case_data(), doc_data(), [upload()]), {}),
    "diarium.registry.services.documents.register_stored_in_new_case": lambda w: (
        (w["ks"], case_data(), doc_data(), w["stored"]), {}),
    "diarium.registry.services.inbox.receive_mail": lambda w: (
        (w["ks"].authority,), {"sender": "a@example.se", "subject": "Brev",
                               "uploads": [upload()]}),
    "diarium.registry.services.inbox.place_inbox_item": lambda w: (
        (w["item"], w["case"], doc_data()), {}),
    "diarium.registry.services.inbox.place_inbox_item_in_new_case": lambda w: (
        (w["item"], w["ks"], case_data(), doc_data()), {}),
    "diarium.registry.services.inbox.receive_message": lambda w: (
        (w["ks"].authority, message("Brev")), {}),
    "diarium.registry.services.inbox.receive_refused_message": lambda w: (
        (w["ks"].authority, ParsedMail("<m@x>", "a@x", "Stort", None, "", "0" * 64)), {}),
    "diarium.registry.services.inbox.keep_inbox_item": lambda w: (
        (w["item"], "E-postarkivet"), {}),
    "diarium.registry.services.inbox.dismiss_inbox_item": lambda w: ((w["item"], "Reklam"), {}),
    "diarium.registry.services.mailboxes.create_mailbox": lambda w: (
        (w["ks"].authority, MailboxData("ks@x", "imap.x", "ks"), "lösen"), {}),
    "diarium.registry.services.mailboxes.update_mailbox": lambda w: (
        (mailboxes.create_mailbox(OPERATOR, w["ks"].authority,
                                  MailboxData("ks@y", "imap.y", "ks"), "lösen"),
         MailboxData("ks@y", "imap.z", "ks")), {}),
    "diarium.registry.services.folder_import.import_file": lambda w: (
        ("/H/brev.pdf", w["stored"][0], doc_data()), {"case": w["case"]}),
    "diarium.registry.services.parties.create_party": lambda w: (
        (), {"kind": "person", "name": "Anna Andersson"}),
    "diarium.registry.services.parties.add_party": lambda w: ((w["case"], w["party"]), {}),
    "diarium.registry.services.versions.create_draft": lambda w: (
        (w["case"], doc_data(), upload()), {}),
    "diarium.registry.services.versions.add_version": lambda w: (
        (w["doc"], services.VersionInput(upload(), reason="Rättelse")), {}),
    "diarium.registry.services.versions.check_out": lambda w: ((w["doc"],), {}),
    "diarium.registry.services.versions.check_in": lambda w: ((w["doc"],), {}),
    "diarium.registry.services.versions.break_lock": lambda w: ((w["doc"], "Sjuk"), {}),
    "diarium.registry.services.versions.finalise": lambda w: ((w["doc"],), {}),
    "diarium.registry.services.versions.process_again": lambda w: ((w["doc"],), {}),
    "diarium.registry.services.templates.add_template": lambda w: (
        (services.TemplateData("Mall", w["muni"]), template_upload()), {}),
    "diarium.registry.services.templates.retire_template": lambda w: ((a_template(w),), {}),
    "diarium.registry.services.templates.create_from_template": lambda w: (
        (w["case"], a_template(w), doc_data()), {}),
    "diarium.registry.services.cases.reassign_case": lambda w: ((w["case"], w["reg"]), {}),
    "diarium.registry.services.cases.set_follow_up_date": lambda w: (
        (w["case"], TODAY), {}),
    "diarium.registry.services.notifications.mark_notifications_read": lambda w: ((), {}),
    "diarium.registry.services.reminders.send_reminders": lambda w: ((), {}),
    "diarium.registry.services.reminders.set_reminder_mode": lambda w: (("digest",), {}),
    "diarium.registry.services.parties.add_new_party": lambda w: (
        (w["case"], services.PartyData(kind="person", name="Bo Berg")), {}),
    "diarium.registry.services.parties.create_party_from": lambda w: (
        (services.PartyData(kind="person", name="Bo Berg"),), {}),
    "diarium.registry.services.parties.link_party": lambda w: ((w["case"], w["party"]), {}),
    "diarium.registry.services.provisions.create_provision": lambda w: (
        (), {"chapter": 40, "section": 9, "description": "Prov"}),
    "diarium.registry.services.provisions.set_provision_active": lambda w: (
        (SecrecyProvision.objects.order_by("chapter", "section").first(), False), {}),
    "diarium.registry.services.series.create_series": lambda w: (
        (w["ks"].authority,), {"code": "KSN", "name": "Nytt diarium"}),
    "diarium.registry.services.series.update_series": lambda w: (
        (w["ks"],), {"name": "Stängt", "active": False}),
    "diarium.disclosure.services.review_item": lambda w: (
        (a_request(w).items.get(), "release"), {}),
    "diarium.disclosure.services.mask_item": lambda w: ((a_request(w).items.get(), []), {}),
    "diarium.disclosure.services.request_masking": lambda w: (
        (a_request(w).items.get(), []), {}),
    "diarium.disclosure.services.make_decision": lambda w: ((a_request(w),), {}),
    "diarium.disclosure.services.deliver": lambda w: ((a_request(w), "post"), {}),
    "diarium.disclosure.services.register_request": lambda w: ((a_submission(w),), {}),
    "diarium.disclosure.services.configure": lambda w: (
        (w["ks"].authority,), {"register_as_case": False}),
} | board_calls()


def a_dispatch(w):
    from diarium.registry.dispatch.models import Dispatch

    return Dispatch(document=w["doc"], channel="email")  # not saved: refused before


def a_signature_request(w):
    from diarium.documents.signature_models import SignatureRequest

    return SignatureRequest(document=w["doc"].pk)  # not saved: refused before


def a_version(w):
    from diarium.registry.models import DocumentVersion

    return DocumentVersion(document=w["doc"])  # not saved: refused before


SIGNATURE_SERVICES = {
    "diarium.registry.services.signatures.cancel_signatures": lambda w: (
        (a_signature_request(w), "Fel person"), {}),
    "diarium.registry.services.signatures.register_pkcs11_key": lambda w: (
        (w["reg"], "/usr/lib/softhsm/libsofthsm2.so", "token", "key", "1234"), {}),
    "diarium.registry.services.signatures.register_pkcs12_key": lambda w: (
        (w["reg"], b"not a key", "lösen"), {}),
    "diarium.registry.services.signatures.request_signatures": lambda w: (
        (a_version(w), [(w["reg"], "ordförande")]), {}),
    "diarium.registry.services.signatures.require_reader": lambda w: ((w["doc"],), {}),
    "diarium.registry.services.signatures.sign": lambda w: ((a_signature_request(w),), {}),
    "diarium.registry.services.signatures.validate_file": lambda w: (
        (w["doc"].files.first(),), {}),
    "diarium.registry.services.signatures.validate_uploaded": lambda w: ((w["doc"],), {}),
    "diarium.registry.services.case_files.make_case_file": lambda w: ((w["case"],), {}),
    "diarium.registry.services.case_files.register_case_file": lambda w: ((w["case"],), {}),
}
DISPATCH_SERVICES = {
    "diarium.registry.dispatch.services.dispatch_by_email": lambda w: (
        (w["doc"], dispatch_request()), {}),
    "diarium.registry.dispatch.services.dispatch_by_post": lambda w: (
        (w["doc"], dispatch_request()), {}),
    "diarium.registry.dispatch.services.record_run": lambda w: (
        (a_dispatch(w), ["anna@example.org"], []), {}),
    "diarium.registry.dispatch.services.retry": lambda w: ((a_dispatch(w),), {}),
    "diarium.registry.dispatch.services.start_sending": lambda w: ((a_dispatch(w),), {}),
}
CALLS |= SIGNATURE_SERVICES | DISPATCH_SERVICES


def dispatch_request():
    from diarium.registry.dispatch.services import DispatchRequest

    return DispatchRequest(subject="Beslut")


def a_submission(w):
    from diarium.disclosure import services as disclosure

    return disclosure.Submission(reply_method="pickup", message="Alla protokoll",
                                 authority=w["ks"].authority)


def a_request(w):
    """A request from the public (made by its principal, not by the call under test)."""
    from diarium.disclosure import services as disclosure

    return disclosure.submit_request(disclosure.Submission(
        reply_method="pickup", message="Alla protokoll", authority=w["ks"].authority))[0]

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def files_under(root) -> set:
    """Every file of the test's folder: the file store, the archive copies, DIPs, exports."""
    return {(p, p.stat().st_size) for p in root.rglob("*") if p.is_file()}


def test_every_public_function_of_the_service_modules_is_known():
    """A new public function in a service module is either a service (it takes the actor
    first and is called below) or says in NOT_SERVICES why it needs no actor."""
    functions = public_functions()
    assert set(NOT_SERVICES) <= set(functions), "NOT_SERVICES names a function that is gone"
    found = set(functions) - set(NOT_SERVICES)
    assert found == set(CALLS), "a service is missing from CALLS, or is gone"
    for name in found:
        parameters = inspect.signature(functions[name]).parameters
        assert next(iter(parameters)) in ("actor", "user") or "actor" in parameters, name
    for name in NOT_SERVICES:
        assert "actor" not in inspect.signature(functions[name]).parameters, name


def call_without_actor(func: Callable, args: tuple, kwargs: dict) -> None:
    actor = inspect.signature(func).parameters.get("actor")
    if actor is not None and actor.kind is inspect.Parameter.KEYWORD_ONLY:
        func(*args, actor=None, **kwargs)
    else:
        func(None, *args, **kwargs)


def test_no_service_accepts_a_missing_actor(w):
    """Each service, called as in real use but with actor None, raises MissingActor and
    has sent no INSERT, UPDATE or DELETE to the database and written no file."""
    functions = public_functions()
    wrong = []
    for name, arguments in sorted(CALLS.items()):
        func = functions[name]
        args, kwargs = arguments(w)
        files = files_under(w["root"])
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            try:
                call_without_actor(func, args, kwargs)
            except MissingActor:
                pass
            except Exception as exc:  # reported with its name
                wrong.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            else:
                wrong.append(f"{name}: accepted no actor")
                continue
        writes = [q["sql"] for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith(WRITES)]
        written = files_under(w["root"]) ^ files
        if writes or written:
            wrong.append(f"{name}: wrote before refusing: {writes[:1]} {sorted(written)[:1]}")
    assert wrong == [], "\n".join(wrong)


# --- the principals and the check -------------------------------------------------------


def test_a_missing_actor_an_anonymous_user_and_a_forged_principal_are_refused():
    with pytest.raises(MissingActor):
        actors.check(None)
    with pytest.raises(PermissionDenied):
        actors.check(AnonymousUser())
    forged = actors.SystemPrincipal(INGEST.name, frozenset(actors.PERMISSIONS))
    with pytest.raises(PermissionDenied):
        actors.require(forged, "archive.fixity", lambda user: True)


def test_a_principal_holds_what_it_declares_and_nothing_else():
    never = pytest.fail  # a principal's check never asks the users' role check
    assert actors.may(FIXITY, "archive.fixity", never)
    assert not actors.may(FIXITY, "archive.ingest", never)
    assert not actors.may(DEMO, "registry.register", never)
    with pytest.raises(PermissionDenied):
        actors.require(INGEST, "disposal.execute", never)
    assert actors.principal("system:disposal") is DISPOSAL
    assert {p.name for p in actors.principals()} >= {
        "system:demo", "system:operator", "system:migration", "system:mail", "system:ingest",
        "system:export", "system:fixity", "system:disposal"}
    with pytest.raises(LookupError):
        actors.principal("system:nobody")
    with pytest.raises(ValueError):
        actors.declare("fixity", set(), "")  # no "system:" prefix
    with pytest.raises(ValueError):
        actors.declare("system:fixity", set(), "")  # taken
    with pytest.raises(ValueError):
        actors.declare("system:new", {"everything"}, "")  # no such permission


def test_a_user_is_checked_by_the_services_role_check():
    reader = f.user()
    assert actors.may(reader, "archive.fixity", lambda user: user == reader)
    assert not actors.may(reader, "archive.fixity", lambda user: False)
    assert actors.user_of(reader) == reader and actors.name_of(reader) == reader.username
    assert actors.user_of(FIXITY) is None and actors.name_of(FIXITY) == "system:fixity"
    with pytest.raises(PermissionDenied):
        actors.require_person(FIXITY, "a person")
    actors.require_person(reader, "a person")


def test_the_audit_log_names_the_principal_and_its_hash_covers_the_name():
    ks = f.authority("KS")
    services.receive_mail(MAIL, ks, sender="anna@example.se", subject="Synpunkt")
    event = AuditEvent.objects.get(action="inbox.received")
    assert (event.actor_id, event.actor_name) == (None, "system:mail")
    with transaction.atomic():
        audit.record(actor=OPERATOR, action="x", object_type="t", object_id="1")
    call_command("audit", "verify", stdout=io.StringIO())
    AuditEvent.objects.filter(pk=event.pk).update(actor_name="system:demo")
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=io.StringIO())


def test_a_system_principal_neither_draws_up_nor_decides_a_disposal_list(w):
    d = w["d"]
    with pytest.raises(PermissionDenied):
        disposal.create_run(DISPOSAL, d.authority)
    with pytest.raises(PermissionDenied):
        disposal.approve(DISPOSAL, w["proposed"], DECISION)
    with pytest.raises(PermissionDenied):  # four eyes: the author is not the second pair
        disposal.approve(d.archivist, w["proposed"], DECISION)
    done = disposal.execute(DISPOSAL, w["approved"])
    assert done.state == "completed" and done.executed_by is None
    assert AuditEvent.objects.filter(action="archive.disposal_completed",
                                     actor_name="system:disposal").exists()
    names = set(DisposalRecord.objects.filter(run=done).values_list("executed_by_name",
                                                                     flat=True))
    assert names == {"system:disposal"}


def test_disposing_of_a_document_needs_a_decision_and_a_due_document(w):
    open_doc = services.register_document(w["reg"], w["case"], doc_data())
    with pytest.raises(ValidationError):
        disposal_services.dispose_document(DISPOSAL, w["doc"], decision=" ")
    with pytest.raises(ValidationError):  # its case is open: not due
        disposal_services.dispose_document(DISPOSAL, open_doc, decision=DECISION)
    with pytest.raises(PermissionDenied):
        disposal_services.dispose_document(INGEST, w["doc"], decision=DECISION)
