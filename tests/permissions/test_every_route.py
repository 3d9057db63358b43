"""Every view, API route and download endpoint either presents records through the
visibility policy, or is declared to serve none — read from the URL conf, so a new route
fails here until it is classified.

Routes that present records are then requested for a secret record (its id filled in for
every path parameter) as a member of the case's access group: the response must show the
canary and the request must have written a `secret.read` event, which only the policy's
page writes — a presenter that bypasses the policy shows the canary without one. As a
colleague outside the group the same request must not show the canary. Write routes that
take a case or document id are crawled by test_canary.py; this test checks it crawls
every one of them."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from diarium.archive.models import ArchivedCase
from diarium.audit.models import AuditEvent
from diarium.registry import services
from diarium.registry.dispatch.models import Dispatch
from diarium.registry.models import Case
from tests import factories as f
from tests.archive.archived import archive_closed, building_case, diarium_agreement
from tests.permissions import test_canary as canary
from tests.permissions.clients import api, ui
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db

CANARY = "KANARIE-rutt-3307"

# Routes that present cases, documents, their files or archived packages: through the
# policy's page, which audits the secret content shown.
PRESENTS = {
    "web:home", "registry:search", "registry:case", "registry:document", "registry:file",
    "registry:case_edit", "registry:worklist", "registry:worklist_export",
    "api:case-list", "api:case-detail", "api:case-history", "api:document-list",
    "api:document-detail", "api:document-download",
    "archive:package", "archive:receipt", "archive:search", "archive:packages",
    "api:archive-package-detail", "api:archive-package-files",
    "api:archive-package-receipt", "api:archive-search-list",
    "registry:version", "registry:version_compare", "api:document-versions",
    "api:document-version-download", "api:document-diff",
    "registry:document_dispatch", "registry:dispatch", "api:dispatch-list",
    "api:dispatch-detail",
    "registry:ageing", "registry:document_search", "registry:document_search_export",
}
# Routes that present a secret file's content as an image or a PDF (the canary's words are
# not in their bytes): through the policy's page too, checked by status and audit event.
BINARY = {"registry:file_preview", "registry:file_rendition", "registry:case_file",
          "registry:dispatch_print"}
# Routes that read through the policy's filters and show no secret content themselves
# (a party record is not marked; who may see it is the policy's filter_parties).
FILTERED = {"api:party-list", "api:party-detail", "registry:party_search"}
# Routes that write to a case or document given by id (crawled by test_canary.py).
WRITES = {
    "api:document-list", "api:inbox-place", "api:case-detail", "api:case-close",
    "api:case-dormant", "api:case-reopen", "api:case-void", "api:case-add-party",
    "api:case-grant-access", "api:case-relate", "api:document-void",
    "api:document-record-type", "api:document-no-longer-current", "api:hold-list",
    "registry:register", "registry:inbox_place", "registry:case_add_document",
    "registry:case_close", "registry:case_dormant", "registry:case_reopen",
    "registry:case_void", "registry:document_void", "registry:document_record_type",
    "registry:document_no_longer_current", "registry:case_hold", "registry:document_hold",
    "registry:case_edit", "registry:case_reassign", "registry:case_follow_up",
    "registry:case_add_party", "registry:case_relate", "registry:case_grant_access",
    "api:document-drafts", "api:document-versions", "api:document-checkout",
    "api:document-checkin", "api:document-break-lock", "api:document-finalise",
    "registry:draft_new", "registry:version_add", "registry:document_check_out",
    "registry:document_check_in", "registry:document_break_lock",
    "registry:document_finalise", "registry:document_process_again",
    "registry:signature_request", "registry:signature_validate", "registry:case_file_register",
    "api:document-signatures", "api:document-sign", "api:document-validate-signatures",
    "api:dispatch-list", "registry:document_dispatch",
}
# Routes that serve no case, document or package content, and why.
NO_RECORDS = {
    "api:schema": "the OpenAPI schema", "api:docs": "the API's documentation page",
    "api:api-root": "links", None: "the API's 404 for unknown paths",
    "api:authority-list": "organisation", "api:authority-detail": "organisation",
    "api:series-list": "diary series are not secret", "api:series-detail": "diary series",
    "api:case-list": "(also a write: opening a case takes a series, not a case id)",
    "api:party-list": "(also a write: adding a contact takes no case id)",
    "api:inbox-list": "unregistered mail carries no marking; registering roles only",
    "api:inbox-detail": "unregistered mail", "registry:inbox": "unregistered mail",
    "registry:inbox_file": "unregistered mail's files",
    # The inbox's other outcomes and .eml/.msg uploads: unregistered mail, registering
    # roles of its authority only (tests/registry/intake).
    "api:inbox-keep": "keeps unregistered mail in order",
    "api:inbox-dismiss": "sets unregistered mail aside",
    "registry:inbox_keep": "keeps unregistered mail in order",
    "registry:inbox_dismiss": "sets unregistered mail aside",
    "registry:inbox_upload": "adds a message to an inbox",
    # Functional mailboxes: server settings and how reading went (administrators only).
    "registry:mailboxes": "mailboxes", "registry:mailbox_new": "sets up a mailbox",
    "registry:mailbox": "a mailbox's settings", "registry:mailbox_poll": "reads a mailbox",
    "api:hold-detail": "a hold's reason and reference, no record content",
    "api:hold-release": "releases a hold by its id", "registry:hold_release": "the same",
    "api:disposal-report-list": "counts per record type",
    "api:disposal-report-csv": "public descriptions of secret documents only",
    "api:disposal-report-documents": "public descriptions of secret documents only",
    "registry:disposal_report": "counts", "registry:disposal_list": "public descriptions",
    "registry:disposal_csv": "public descriptions",
    "registry:ageing_export": "counts of open cases per authority and unit",
    "registry:reminders": "the user's own choice of e-mail reminders",
    "set_language": "the UI language", "web:login": "login", "web:logout": "logout",
    "api:archive-package-list": "package names and states (also ingest)",
    "api:archive-agreement-list": "agreements", "api:archive-agreement-detail": "agreements",
    "archive:agreements": "agreements", "archive:structure": "series and counts",
    "api:archive-series-list": "series", "api:archive-series-detail": "series",
    "api:archive-disposal-run-list": "disposal runs", "archive:disposal_runs": "runs",
    "api:archive-disposal-run-detail": "a run's counts and decision",
    "api:archive-disposal-run-items": "public descriptions of secret documents only",
    "archive:disposal_run": "public descriptions of secret documents only",
    "api:archive-disposal-run-approve": "a decision", "archive:disposal_decide": "decision",
    "api:archive-disposal-run-reject": "a decision",
    "api:archive-disposal-run-execute": "executes a decided run",
    "archive:disposal_execute": "executes a decided run",
    "api:archive-disposal-run-certificate": "the proof of disposal (no content)",
    "archive:disposal_certificate": "the proof of disposal (no content)",
    "api:archive-hold-list": "holds", "api:archive-hold-detail": "holds",
    "api:archive-hold-release": "holds",
    "archive:disposal_holds": "holds; the held packages' case titles through the policy's page",
    "archive:disposal_hold_release": "holds",
    # Background jobs: kind, state, progress and result counts (package ids, list labels),
    # shown to who started them, the kind's staff and administrators (core/jobs/access.py).
    "api:job-list": "jobs", "api:job-detail": "a job's state and progress",
    "api:job-retry": "retries a failed job", "core:jobs": "jobs", "core:job": "a job",
    "core:job_retry": "retries a failed job",
    # API tokens and login lockouts: the user's own tokens, administrators' lists.
    "api:token-list": "API tokens", "api:token-detail": "an API token",
    "web:api_tokens": "API tokens", "web:revoke_api_token": "revokes an API token",
    "web:login_locks": "login lockouts",
    "web:shortcuts": "the keyboard shortcuts (no data)",
    # Signing in (docs/sign-in.md): the second step of a password login, the user's own
    # authenticator, and the single sign-on exchanges (404 while switched off).
    "web:login_code": "the code of a pending login", "web:login_enrol": "enrols at login",
    "web:two_factor": "the user's own authenticator",
    "web:two_factor_remove": "removes the user's own authenticator",
    "web:user_two_factor": "an administrator removes a user's lost authenticator",
    "web:oidc_login": "to the identity provider", "web:oidc_callback": "back from it",
    "web:saml_login": "to the SAML IdP", "web:saml_acs": "the IdP's signed answer",
    "web:saml_metadata": "the service provider's metadata",
    # User administration and the organisation file: users, roles, units, boards and
    # series (administrators only; tests/web/test_user_administration.py).
    "web:users": "users and their roles", "web:user_new": "creates a user",
    "web:user": "a user and their roles", "web:user_update": "a user's details",
    "web:user_role": "gives or takes a role", "web:user_active": "deactivates a user",
    "web:user_password": "sets a password",
    "web:organisation_file": "the organisation file's dry run",
    "web:organisation_apply": "imports the organisation file",
    "web:organisation_export": "the organisation as a file",
    # Operations: probes and figures for load balancers and monitoring, no login; counts
    # and states only (docs/operations.md).
    "operations:live": "the process answers", "operations:ready": "checks' states",
    "operations:metrics": "counts by kind and state (token or address list; else 404)",
    "registry:provisions": "the register of secrecy provisions (law, not records)",
    "registry:notifications_read": "marks the user's own notices read",
    "registry:provision_active": "takes a secrecy provision out of use",
    # Document templates (mallar): administrators' files with fields, no record content.
    "registry:templates": "templates", "registry:template_file": "a template's file",
    "registry:template_retire": "retires a template",
    # Signatures (docs/signatures.md): a signing request by its id (the service checks that
    # the signer may read the document), a validation report and the to-sign list through
    # the policy's page, and the user's own signing key.
    "registry:signature_sign": "signs a request (the service checks the signer's sight)",
    "registry:signature_cancel": "cancels a request (the service checks the case)",
    "registry:signature_report": "a validation report, through the policy's page",
    "registry:to_sign": "the user's own documents to sign, through the policy's page",
    "api:document-to-sign": "the user's own documents to sign, by the policy's sight",
    "registry:signer_key": "the user's own signing key",
    # Dispatch (docs/dispatch.md): a retry by the dispatch's id (read through the dispatch
    # selectors, which need the document's content), and the administrators' lists and
    # mail settings (names and addresses of recipients, no record content).
    "registry:dispatch_retry": "sends a dispatch's failed recipients again",
    "api:dispatch-retry": "sends a dispatch's failed recipients again",
    "registry:distribution_lists": "distribution lists",
    "registry:distribution_list_new": "creates a distribution list",
    "registry:distribution_list": "a distribution list's versions",
    "registry:dispatch_settings": "an authority's outgoing mail server",
    "api:distribution-list-list": "distribution lists of the caller's authorities",
    "api:distribution-list-detail": "a distribution list",
    # The board process (docs/board.md). The secretary's meeting page shows case titles
    # through the policy's page (readable_cases; a secret case's public title otherwise);
    # the other secretary routes are writes on meetings and items by their own ids,
    # secretaries of the body's authority only (tests/board/test_views.py).
    "board:meetings": "meetings and the justering lists", "board:meeting_new": "a meeting",
    "board:meeting": "the agenda: case titles through the policy's page",
    "board:add_item": "puts a ready case on the agenda", "board:reorder": "agenda order",
    "board:send_notice": "makes and sends the kallelse", "board:attendance": "attendance",
    "board:adjusters": "justerare", "board:produce_minutes": "makes the minutes",
    "board:posting_date": "the notice's date", "board:move_item": "agenda order",
    "board:close_item": "marks an item closed", "board:conflict": "jäv",
    "board:vote": "votes", "board:remark": "reservations", "board:decide": "a decision",
    "board:complete_justering": "completes a justering whose signatures are all in place",
    "board:request_again": "sends cancelled minutes for justering again",
    "board:send_again": "sends the kallelse and extracts to those not reached yet",
    "board:extract_recipients": "an extract's distribution list and recipients",
    "board:mark_ready": "reads the case and its documents through the registry's "
                        "selectors (the policy's filters)",
    # Members' pages: the meetings of the bodies they sit in, the documents sent to them
    # for their decision (secret ones marked), their own notes (tests/board/test_views.py).
    "board:my_meetings": "the member's meetings", "board:my_meeting": "the member's agenda",
    "board:sign": "justering by the signer whose turn it is", "board:note": "own note",
    "board:member_document": "a document sent to the member's body for its decision",
    # The public notice board and published meetings: public tables only, no login
    # (board/models/public.py; tests/board/test_public.py plants a canary).
    "board_public:notices": "public notices", "board_public:archive": "public notices",
    "board_public:meetings": "public agendas", "board_public:meeting": "a public agenda",
    "board_public:notice_pdf": "the public kallelse",
    "board_public:agenda_pdf": "the public agenda (closed items withheld)",
    "board_public:minutes_pdf": "the public justerade minutes (closed items withheld)",
    # Delegated decisions: decision texts through the policy's page (readable_cases; the
    # public description otherwise), registration through the service's may_add_to
    # (tests/board/test_delegated_page.py).
    "board:delegated_decisions": "delegated decisions: texts through the policy's page",
    "board:register_delegated": "registers a delegated decision (the service's checks)",
    # Members' personal links (tests/board/test_member_links.py): the secretary sends and
    # withdraws them; the link opens the member's upcoming meetings, the documents sent to
    # their body for its decision (secret ones marked) and their own notes, nothing else.
    "board:member_links": "the body's members and their links",
    "board:issue_member_link": "sends a member's link", "board:revoke_member_link":
    "withdraws a member's link", "board:link_meetings": "the member's upcoming meetings",
    "board:link_meeting": "the member's agenda", "board:link_note": "own note",
    "board:link_document": "a document sent to the member's body for its decision",
}
# Archive orders (begäran ur e-arkivet): the archivist's secrecy review of an order shows
# restricted records; it is the archive's own procedure, audited by the order's review and
# delivery events, and is still to be moved onto the policy's page (see docs/permissions.md).
ARCHIVE_ORDERS = {
    "api:archive-dip-order-list", "api:archive-dip-order-detail",
    "api:archive-dip-order-deliver", "api:archive-dip-order-masked",
    "api:archive-dip-order-review", "api:archive-delivery-list",
    "api:archive-delivery-detail", "api:archive-delivery-download",
    "archive:order_new", "archive:orders", "archive:order", "archive:order_review",
    "archive:order_masked", "archive:order_deliver", "archive:deliveries",
    "archive:delivery_download",
}
# Requests for official documents (docs/requests.md). The public's form and links show
# only the public projection and the files logged for a delivery; staff's pages show a
# request's documents through the policy's page. Canaries: tests/disclosure.
DISCLOSURE = {
    "disclosure:public_request": "the public projection's fields (number, date, title)",
    "disclosure:download": "the files of one delivery, by its unguessable link",
    "disclosure:download_file": "a file of one delivery, by its unguessable link",
    "disclosure:requests": "request numbers, clocks and counts",
    "disclosure:settings": "an authority's way of taking requests",
    "disclosure:request_new": "registers a request (documents by number, as the public "
                              "projection shows them)",
    "disclosure:statistics": "counts per month", "disclosure:statistics_csv": "counts",
    "disclosure:request": "through the policy's page (tests/disclosure/test_staff.py)",
    "disclosure:review": "access group only (the service asks the policy)",
    "disclosure:mask": "through the policy's page; the service asks the policy",
    "disclosure:page_image": "through the policy's page", "disclosure:redacted": "the same",
    "disclosure:decision": "a decision on reviewed documents",
    "disclosure:deliver": "access group only (the service asks the policy)",
    "api:request-list": "request numbers and clocks",
    "api:request-detail": "through the policy's page (tests/disclosure/test_api.py)",
    "api:request-review": "access group only (the service asks the policy)",
}
PLAN = "plan:"  # the document management plan and the systems register: no records
# The public diary and its open API read the public projection only, never the registry:
# no secret content to audit (tests/public/test_canary.py crawls every one of them).
PUBLIC = ("public:", "public_api:")
PLAN_API = {
    "api:plan-list", "api:plan-detail", "api:plan-export", "api:plan-import",
    "api:plan-versions", "api:plan-version-list", "api:plan-version-detail",
    "api:plan-version-adopt", "api:plan-rule-list", "api:plan-rule-detail",
    "api:plan-lookup-list", "api:system-list", "api:system-detail",
    "api:checklist-template-list", "api:checklist-template-detail",
    "api:checklist-template-items", "api:checklist-list", "api:checklist-detail",
    "api:checklist-tick",
}


def routes() -> dict[str | None, str]:
    """Every route of the URL conf outside the Django admin: name -> pattern."""
    found: dict[str | None, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue
                inner = p.namespace if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                found[name] = prefix + str(p.pattern)

    walk(get_resolver().url_patterns, "", None)
    return found


def test_every_route_is_classified():
    known = (PRESENTS | BINARY | FILTERED | WRITES | set(NO_RECORDS) | ARCHIVE_ORDERS
             | PLAN_API | set(DISCLOSURE))
    unclassified = sorted(
        str(name) for name in routes()
        if name not in known and not str(name).startswith((PLAN, *PUBLIC))
    )
    assert unclassified == [], "classify these routes in this test: " + ", ".join(unclassified)


def test_the_canary_crawl_covers_every_write_route():
    world = canary.world.__wrapped__()
    user = f.user()
    world["mine"] = f.case(f.user(roles={world["ks"].authority: "registrar"}), world["ks"])
    crawled = {resolve(urlsplit(url).path).view_name
               for _method, url, _body in canary.api_writes(world, user)}
    crawled |= {resolve(url).view_name for url, _body in canary.ui_writes(world)}
    assert crawled == WRITES


# --- the routes that present records: through the policy ------------------------------

@pytest.fixture
def registry_world():
    ks = f.series(f.authority("KS"), "KS")
    reg = f.user("reg", roles={ks.authority: "registrar"})
    case = f.case(reg, ks, f"Orosanmälan {CANARY}", secrecy=services.Secrecy("OSL 26:1"),
                  responsible_officer=reg)
    doc = f.document(reg, case, f"Utredning {CANARY}",
                     uploads=[services.Upload(io.BytesIO(CANARY.encode()), "u.txt")])
    file_id = doc.files.get().pk
    # Open more than six months: the ageing report lists it (to its access group).
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(days=200))
    versions = [services.add_version(reg, doc, services.VersionInput(
        services.Upload(io.BytesIO(f"{CANARY}\n{n}\n".encode()), "v.txt"), reason="rättelse",
        note=f"Anteckning {CANARY}"))
        for n in range(2)]
    dispatch = Dispatch.objects.create(document=doc, channel="post", created_by=reg,
                                       subject=f"Beslut {CANARY}")
    dispatch.recipients.create(position=1, kind="postal", name=f"Mottagare {CANARY}",
                               postal_address="Box 1\n111 11 Stad", state="sent")
    return {"member": reg, "outsider": f.user(roles={ks.authority: "officer"}),
            "dispatch_id": dispatch.pk,
            "case_id": case.pk, "document_id": doc.pk, "file_id": file_id,
            "version_id": versions[0].pk,
            "diff": f"?old={versions[0].pk}&new={versions[1].pk}"}


@pytest.fixture
def archive_world(settings, tmp_path):
    paths = [tmp_path / "copy-1", tmp_path / "copy-2"]
    settings.ARCHIVE_LOCATIONS = [{"name": p.name, "path": str(p)} for p in paths]
    settings.ARCHIVE_INBOX = str(tmp_path / "inbox")
    ks = f.series(f.authority("KS"), "KS")
    reg = f.user(roles={ks.authority: "registrar"})
    diarium_agreement(ks.authority)
    case = building_case(reg, ks, secret_case=True, title=f"Orosanmälan {CANARY}")
    archive_closed(tmp_path / "export")
    package = ArchivedCase.objects.get(case=case).package
    return {"member": f.user(roles={ks.authority: "archivist"}),
            "outsider": f.user(roles={ks.authority: "officer"}),
            "package_id": package.pk, "query": f"?reference={case.diary_number}"}


def url_of(name: str, world: dict) -> str:
    """The route's URL for the world's secret record, with a query that finds it."""
    from django.urls import reverse

    kind = name.split(":")[1].split("-")[0]
    params = {"pk": world.get({"case": "case_id", "document": "document_id",
                               "archive": "package_id", "dispatch": "dispatch_id"}.get(kind, ""))}
    pattern = routes()[name]
    keys = ("case_id", "document_id", "file_id", "package_id", "version_id", "dispatch_id")
    kwargs = {key: world[key] for key in keys
              if f"<uuid:{key}>" in pattern or f"P<{key}>" in pattern}
    if "file_id" in pattern and name.startswith("api:"):
        kwargs["file_id"] = world["file_id"]
    if "P<pk>" in pattern:
        kwargs["pk"] = params["pk"]
    if "<slug:slug>" in pattern:  # a work list: the member's own cases
        kwargs["slug"] = "mina"
    if "<str:fmt>" in pattern:
        kwargs["fmt"] = "csv"
    search = name in ("archive:search", "api:archive-search-list")
    diff = name in ("registry:version_compare", "api:document-diff")
    of_document = f"?document={world.get('document_id')}" if name == "api:dispatch-list" else ""
    if name.startswith("registry:document_search"):  # found by the words of its title
        of_document = "?q=Utredning"
    return reverse(name, kwargs=kwargs) + (world["query"] if search else "") + (
        world["diff"] if diff else "") + of_document


def client(user, name: str):
    return api(user) if name.startswith("api:") else ui(user)


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def check_presents(name: str, world: dict) -> None:
    url = url_of(name, world)
    before = AuditEvent.objects.filter(action="secret.read").count()
    response = client(world["member"], name).get(url)
    assert response.status_code == 200, (name, url, response.status_code)
    shown = body(response)
    if name == "api:archive-package-files":
        assert "METS.xml" in shown  # the restricted package's file list
    elif "package_id" in world and CANARY not in shown:
        assert str(world["package_id"]) in shown, name  # the restricted package itself
    else:
        assert CANARY in shown, name
    assert AuditEvent.objects.filter(action="secret.read").count() == before + 1, (
        f"{name} showed secret content without the visibility policy's audit")
    outside = client(world["outsider"], name).get(url)
    assert outside.status_code in (200, 403, 404) and CANARY not in body(outside), name


REGISTRY_PRESENTS = sorted(n for n in PRESENTS if not n.split(":")[1].startswith("archive")
                           and not n.startswith("archive:"))
ARCHIVE_PRESENTS = sorted(PRESENTS - set(REGISTRY_PRESENTS))


@pytest.mark.parametrize("name", REGISTRY_PRESENTS)
def test_registry_presenters_go_through_the_policy(registry_world, name):
    check_presents(name, registry_world)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")
def test_previews_and_renditions_go_through_the_policy(registry_world):
    run_jobs()  # the rendition and its preview images
    for name in sorted(BINARY):
        url = url_of(name, registry_world)
        before = AuditEvent.objects.filter(action="secret.read").count()
        response = client(registry_world["member"], name).get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert AuditEvent.objects.filter(action="secret.read").count() == before + 1, name
        assert client(registry_world["outsider"], name).get(url).status_code == 404, name


def test_archive_presenters_go_through_the_policy(archive_world):
    for name in ARCHIVE_PRESENTS:
        check_presents(name, archive_world)
