"""Every write to requests: one function per use case, transactional, audited.

A request sent by the public is registered by the `system:public-requests` principal (no
person sent it on staff's behalf); everything after that is done by staff, each step
checked against the visibility policy: only the case's access group reviews, masks or
releases a secret document."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import smtplib
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import PUBLIC_REQUESTS, Actor
from diarium.core.transactions import atomic_with_retry
from diarium.disclosure import clock, redaction, selectors
from diarium.disclosure.models import (
    Decision,
    Delivery,
    DeliveryMethod,
    DisclosureRequest,
    DisclosureSettings,
    Mask,
    MaskedFile,
    Outcome,
    ReplyMethod,
    RequestCounter,
    RequestedItem,
    RequestStatus,
)
from diarium.documents.models import StoredFile
from diarium.documents.services import open_content, store_content
from diarium.organisation.models import Authority
from diarium.organisation.selectors import REGISTERING_ROLES, REGISTRY_ROLES, holds
from diarium.plan import selectors as plan_selectors
from diarium.registry import services as registry
from diarium.registry.disposal_services import place_hold, release_hold
from diarium.registry.hold_model import Hold, HoldKind
from diarium.registry.models import Document, DocumentFile
from diarium.registry.provisions import parse_citation

logger = logging.getLogger(__name__)
MAX_TEXT = 4000
MAX_NAME = 200
MAX_ITEMS = 50


def _chain(authority_id) -> str:
    return f"authority:{authority_id}"


# --- the public's request -----------------------------------------------------------

@dataclass
class Submission:
    """A request as the public form gives it. documents: ids already checked against the
    public projection (selectors.public_documents); authority: where a free-text request
    goes."""

    reply_method: str
    documents: list = field(default_factory=list)  # PublicEntry
    message: str = ""
    authority: Authority | None = None
    requester_name: str = ""
    email: str = ""
    postal_address: str = ""
    wants_decision: bool = False


def validate_submission(data: Submission) -> None:
    errors: dict[str, str] = {}
    if data.reply_method not in ReplyMethod.values:
        errors["reply_method"] = _("Choose how you want the answer.")
    if data.reply_method == ReplyMethod.EMAIL:
        try:
            validate_email(data.email)
        except ValidationError:
            errors["email"] = _("Give a valid e-mail address for the answer.")
    elif data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            errors["email"] = _("Give a valid e-mail address.")
    if data.reply_method == ReplyMethod.POST and not data.postal_address.strip():
        errors["postal_address"] = _("Give a postal address for the answer.")
    if not data.documents and not data.message.strip():
        errors["message"] = _("Say which documents you ask for.")
    if not data.documents and data.authority is None:
        errors["authority"] = _("Choose the authority you ask.")
    if len(data.message) > MAX_TEXT or len(data.postal_address) > 500:
        errors["message"] = _("The text is too long (at most %(n)s characters).") % {
            "n": MAX_TEXT}
    if len(data.requester_name) > MAX_NAME:
        errors["requester_name"] = _("The name is too long.")
    if len(data.documents) > MAX_ITEMS:
        errors["message"] = _("Ask for at most %(n)s documents at a time.") % {"n": MAX_ITEMS}
    if errors:
        raise ValidationError(errors)


def _next_number(authority: Authority, year: int) -> int:
    RequestCounter.objects.bulk_create([RequestCounter(authority=authority, year=year)],
                                       ignore_conflicts=True)
    counter = RequestCounter.objects.select_for_update().get(authority=authority, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def submit_request(data: Submission, client_key: str = "",
                   now: dt.datetime | None = None) -> list[DisclosureRequest]:
    """Register a request from the public: one per authority asked (documents of two
    boards make two requests, each with its own clock), all or none."""
    return _submit(PUBLIC_REQUESTS, data, client_key, now)


def register_request(actor: Actor, data: Submission,
                     received_at: dt.datetime | None = None) -> list[DisclosureRequest]:
    """Register a request that came by phone, letter or at the counter: staff of each
    authority asked (a registering role there) key it in, with the time it came in."""
    actors.check(actor)
    for authority_id in {e.authority_id for e in data.documents} | (
            {data.authority.pk} if data.authority is not None and not data.documents
            else set()):
        actors.require(actor, "disclosure.handle", holds(authority_id, REGISTERING_ROLES),
                       _("You do not handle requests in this authority."))
    if received_at is not None and received_at > timezone.now():
        raise ValidationError({"received_at": _("The time lies in the future.")})
    return _submit(actor, data, "", received_at)


@atomic_with_retry
def _submit(actor: Actor, data: Submission, client_key: str,
            now: dt.datetime | None) -> list[DisclosureRequest]:
    validate_submission(data)
    now = now or timezone.now()
    groups: dict = {}
    for entry in data.documents:
        groups.setdefault(entry.authority_id, []).append(entry)
    if not groups:
        groups[data.authority.pk] = []
    made = [_register(actor, Authority.objects.get(pk=authority_id), entries, data,
                      client_key, now)
            for authority_id, entries in groups.items()]
    return made


def _register(actor: Actor, authority: Authority, entries: list, data: Submission,
              client_key: str, now: dt.datetime) -> DisclosureRequest:
    conf = selectors.settings_for(authority.pk)
    year = timezone.localtime(now).year
    serial = _next_number(authority, year)
    request = DisclosureRequest(
        authority=authority, year=year, serial=serial,
        # An identifier, like a diarienummer: the same words whatever the page's language.
        number=f"Begäran {authority.code} {year}/{serial}",
        received_at=now, target_working_days=conf.target_working_days,
        due_at=clock.due_at(now, conf.target_working_days),
        requester_name=data.requester_name.strip(), reply_method=data.reply_method,
        email=data.email.strip(), postal_address=data.postal_address.strip(),
        message=data.message.strip(), wants_decision=data.wants_decision,
        client_key=client_key)
    if conf.register_as_case and conf.series_id:
        request.case = registry.open_case(PUBLIC_REQUESTS, conf.series, _case_data(request))
    request.save(force_insert=True)
    _hold(request, [e.id for e in entries])
    RequestedItem.objects.bulk_create(
        [RequestedItem(request=request, document_id=e.id) for e in entries]
        + ([RequestedItem(request=request, description=data.message.strip())]
           if data.message.strip() and not entries else []))
    audit.record(actor=actor, action="disclosure.received", obj=request,
                 chain=_chain(authority.pk), case_id=request.case_id,
                 after={"number": request.number, "documents": [str(e.id) for e in entries],
                        "reply_method": request.reply_method,
                        "anonymous": not request.requester_name})
    return request


def _hold(request: DisclosureRequest, document_ids: list) -> None:
    """A document asked for is not disposed of while the request is open (a hold of the
    kind `request`, placed by the principal); released when it is handed out."""
    for doc in Document.objects.filter(pk__in=document_ids).select_related("case"):
        place_hold(PUBLIC_REQUESTS, document=doc, kind=HoldKind.REQUEST,
                   reason=f"Begäran om allmän handling {request.number}",
                   reference=request.number)


def _release_holds(request: DisclosureRequest) -> None:
    """Holds of the documents now handed out. A refused document stays held: the decision
    may be appealed (staff release the hold when the appeal period has run)."""
    released = request.items.exclude(outcome=Outcome.REFUSED).values("document_id")
    for hold in Hold.objects.filter(kind=HoldKind.REQUEST, reference=request.number,
                                    released_at__isnull=True, document_id__in=released):
        release_hold(PUBLIC_REQUESTS, hold, "Begäran besvarad")


def client_key(address: str) -> str:
    """A keyed hash of the client's address, for the rate limit (the address is not kept)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def too_many(key: str, now: dt.datetime | None = None) -> bool:
    """Whether the client sent as many requests as the limit allows in the last hour."""
    limit = int(getattr(settings, "DISCLOSURE_RATE_PER_HOUR", 10))
    since = (now or timezone.now()) - dt.timedelta(hours=1)
    return DisclosureRequest.objects.filter(client_key=key, received_at__gte=since).count() \
        >= limit


# --- staff: review ----------------------------------------------------------------------

def _require_handler(actor: Actor, request: DisclosureRequest) -> None:
    actors.require(actor, "disclosure.handle", holds(request.authority_id, REGISTERING_ROLES),
                   _("You do not handle requests in this authority."))


def _require_reader(actor: Actor, item: RequestedItem) -> None:
    _require_handler(actor, item.request)
    if not selectors.may_read_document(actor, item.document):
        raise PermissionDenied(_("Only the case's access group may review this document."))


def _check_provision(text: str, field_name: str = "provision") -> str:
    cited = parse_citation(text or "")
    if cited is None:
        raise ValidationError({field_name: _(
            "Name the provision of the Public Access and Secrecy Act (e.g. OSL 26 kap. "
            "1 §).")})
    from diarium.registry.provisions import format_citation

    return format_citation(cited.chapter, cited.section, cited.paragraph)


def _item_snapshot(item: RequestedItem) -> dict:
    return {"document": str(item.document_id or ""), "outcome": item.outcome,
            "provision": item.provision, "note": item.note,
            "redacted": [m.redacted_id for m in item.masked_files.filter(active=True)]}


@atomic_with_retry
def review_item(actor: Actor, item: RequestedItem, outcome: str, provision: str = "",
                note: str = "") -> RequestedItem:
    """Release a document as it is, or refuse it under an OSL provision. Masking is
    mask_item's (it makes the copy)."""
    item = RequestedItem.objects.select_for_update(of=("self",)).select_related(
        "request", "document__case").get(pk=item.pk)
    _require_reader(actor, item)
    if outcome not in (Outcome.RELEASE, Outcome.REFUSED, Outcome.PENDING):
        raise ValidationError({"outcome": _("Choose release or refusal.")})
    if len(note) > MAX_TEXT:
        raise ValidationError({"note": _("The note is too long.")})
    before = _item_snapshot(item)
    item.provision = _check_provision(provision) if outcome == Outcome.REFUSED else ""
    item.outcome, item.note = outcome, note.strip()
    item.reviewed_by, item.reviewed_at = actors.user_of(actor), timezone.now()
    if outcome == Outcome.RELEASE and item.document_id:
        item.pages = selectors.document_pages(item.document)  # for the fee
    if outcome != Outcome.MASKED:
        item.masks.filter(active=True).update(active=False)
        item.masked_files.filter(active=True).update(active=False)
    item.save()
    _audit_item(actor, item, "disclosure.reviewed", before)
    return item


def _audit_item(actor: Actor, item: RequestedItem, action: str, before: dict,
                extra: dict | None = None) -> None:
    audit.record(actor=actor, action=action, obj=item, chain=_chain(item.request.authority_id),
                 case_id=item.document.case_id if item.document_id else item.request.case_id,
                 before=before, after=_item_snapshot(item) | (extra or {}))


@dataclass
class MaskInput:
    """A mask drawn on one page of one of the document's files (`file`: the registered
    file's id; None: the document's first file that has a PDF)."""

    box: redaction.Box
    provision: str
    file: uuid.UUID | None = None


MASK_JOB = "disclosure.mask"


@dataclass
class _FilePlan:
    """One file of a document released with masking: the PDF its masks are drawn on and
    the masks (possibly none)."""

    position: int
    file: DocumentFile
    source: StoredFile
    boxes: list = field(default_factory=list)


def _check_masks(actor: Actor, item: RequestedItem, masks: list[MaskInput]) -> list[_FilePlan]:
    """Refuse what cannot be masked; every file of the document with the PDF it is
    handed out as and the masks drawn on it. A file with no PDF (not a PDF and no PDF/A
    rendition yet) cannot be handed out with masking: the document is refused, or waits
    for its rendition."""
    _require_reader(actor, item)
    if item.document_id is None:
        raise ValidationError({"masks": _("Only a registered document can be masked.")})
    if not masks:
        raise ValidationError({"masks": _("Draw at least one mask.")})
    for mask in masks:
        if not mask.box.valid():
            raise ValidationError({"masks": _("A mask lies outside its page.")})
        mask.provision = _check_provision(mask.provision, "masks")
    plans: dict = {}
    missing = []
    for position, file in enumerate(selectors.document_files(item.document), start=1):
        source = selectors.pdf_of(file)
        if source is None:
            missing.append(f"{position} ({file.original_name})")
        else:
            plans[file.pk] = _FilePlan(position, file, source)
    if missing:
        raise ValidationError({"masks": _(
            "File %(files)s has no PDF to mask (its PDF/A rendition may not be made yet): "
            "the document cannot be released with masking until it has.") % {
            "files": ", ".join(missing)}})
    if not plans:
        raise ValidationError({"masks": _("The document has no file to mask.")})
    first = next(iter(plans))
    for mask in masks:
        plan = plans.get(mask.file if mask.file is not None else first)
        if plan is None:
            raise ValidationError({"masks": _("A mask names a file the document does not "
                                              "have.")})
        plan.boxes.append(mask)
    return list(plans.values())


def mask_item(actor: Actor, item: RequestedItem, masks: list[MaskInput]) -> RequestedItem:
    """Release the document with the masks drawn on its files' PDFs: a redacted copy of
    every file is made (the text under each mask removed, see redaction.py) and kept.
    Runs where it is called: the staff page starts it as a job (request_masking)."""
    plans = _check_masks(actor, item, masks)
    copies = [_redacted_copy(plan.source, [m.box for m in plan.boxes])  # before the
              for plan in plans]                                        # transaction
    return _save_masks(actor, item, plans, copies)


def request_masking(actor: Actor, item: RequestedItem, masks: list[MaskInput]):
    """Check the masks now and make the copies as a job (a long document takes a while to
    draw): the request's page shows the job until the copies are there."""
    from diarium.core.jobs.services import start

    _check_masks(actor, item, masks)
    return start(MASK_JOB, actor=actor, subject=item, params={"masks": [
        [m.box.page, m.box.left, m.box.top, m.box.right, m.box.bottom, m.provision,
         str(m.file) if m.file is not None else None] for m in masks]})


def masks_from(params: dict) -> list[MaskInput]:
    result = []
    for page, left, top, right, bottom, provision, *rest in params["masks"]:
        file = uuid.UUID(rest[0]) if rest and rest[0] else None
        result.append(MaskInput(redaction.Box(int(page), float(left), float(top),
                                              float(right), float(bottom)),
                                str(provision), file))
    return result


def _redacted_copy(source: StoredFile, boxes: list) -> tuple[StoredFile, int]:
    with tempfile.TemporaryDirectory(prefix="diarium-redact-") as tmp:
        src, out = Path(tmp) / "source.pdf", Path(tmp) / "redacted.pdf"
        with open_content(source) as stream, src.open("wb") as target:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                target.write(chunk)
        try:
            pages = redaction.redact(src, boxes, out)
        except redaction.RedactionFailed as exc:
            raise ValidationError({"masks": str(exc)}) from exc
        with out.open("rb") as stream:
            return store_content(stream, mime_type="application/pdf"), pages


@atomic_with_retry
def _save_masks(actor: Actor, item: RequestedItem, plans: list[_FilePlan],
                copies: list[tuple[StoredFile, int]]) -> RequestedItem:
    item = RequestedItem.objects.select_for_update(of=("self",)).select_related(
        "request", "document__case").get(pk=item.pk)
    _require_reader(actor, item)
    before = _item_snapshot(item)
    now = timezone.now()
    item.masks.filter(active=True).update(active=False)
    item.masked_files.filter(active=True).update(active=False)
    made = []
    for plan, (copy, pages) in zip(plans, copies, strict=True):
        masked = MaskedFile.objects.create(item=item, file=plan.file, position=plan.position,
                                           source=plan.source, redacted=copy, pages=pages,
                                           made_at=now)
        Mask.objects.bulk_create([Mask(item=item, masked_file=masked, page=m.box.page,
                                       left=m.box.left, top=m.box.top, right=m.box.right,
                                       bottom=m.box.bottom, provision=m.provision)
                                  for m in plan.boxes])
        made.append(masked)
    item.outcome, item.pages = Outcome.MASKED, sum(m.pages for m in made)
    item.provision = ", ".join(sorted({m.provision for p in plans for m in p.boxes}))
    item.reviewed_by, item.reviewed_at = actors.user_of(actor), now
    item.save()
    _audit_item(actor, item, "disclosure.masked", before, {
        "files": [{"file": str(p.file.pk), "source": p.source.sha256,
                   "redacted": m.redacted_id,
                   "masks": [[b.box.page, b.box.left, b.box.top, b.box.right, b.box.bottom,
                              b.provision] for b in p.boxes]}
                  for p, m in zip(plans, made, strict=True)]})
    return item


# --- the decision ---------------------------------------------------------------------

def make_decision(actor: Actor, request: DisclosureRequest) -> Decision:
    """The written decision on a refusal or partial refusal, with the appeal notice,
    registered in the request's case (a case is opened in the authority's request series
    when the request has none yet)."""
    from diarium.disclosure import decision as writer

    _require_handler(actor, request)
    items = selectors.request_items(request)
    if any(i.outcome == Outcome.PENDING for i in items):
        raise ValidationError({"decision": _("Review every document first.")})
    if not any(i.outcome in (Outcome.REFUSED, Outcome.MASKED) for i in items):
        raise ValidationError({"decision": _("Nothing is refused: no decision is needed.")})
    if Decision.objects.filter(request=request).exists():
        raise ValidationError({"decision": _("The decision is already made.")})
    pdf = writer.decision_pdf(request, items, made_by=actor)
    return _register_decision(actor, request, pdf)


@atomic_with_retry
def _register_decision(actor: Actor, request: DisclosureRequest, pdf: bytes) -> Decision:
    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    case = request.case
    if case is None:
        series = _request_series(request.authority_id)
        case = registry.open_case(actor, series, _case_data(request))
        request.case = case
        request.save(update_fields=["case"])
    import io

    doc = registry.register_document(actor, case, registry.DocumentData(
        direction="outgoing", title=f"Beslut om utlämnande av allmän handling ({request.number})",
        document_date=timezone.localdate(), sender_recipient=request.requester_name,
        record_type=_record_type(request, "Beslut om avslag på begäran om allmän handling")),
        [registry.Upload(io.BytesIO(pdf), "beslut.pdf", "application/pdf")])
    decision = Decision.objects.create(request=request, document=doc,
                                       made_by=actors.user_of(actor), made_at=timezone.now())
    audit.record(actor=actor, action="disclosure.decided", obj=request,
                 chain=_chain(request.authority_id), case_id=case.pk,
                 after={"decision_document": str(doc.pk)})
    return decision


def _request_series(authority_id):
    conf = selectors.settings_for(authority_id)
    if conf.series_id:
        return conf.series
    from diarium.registry.models import DiarySeries

    series = DiarySeries.objects.filter(authority_id=authority_id, active=True).first()
    if series is None:
        raise ValidationError({"decision": _("The authority has no active diary series to "
                                             "register the decision in.")})
    return series


# --- delivery -------------------------------------------------------------------------

def released_files(request: DisclosureRequest) -> list[dict]:
    """The files a delivery hands out: each released document's files as registered, and
    each masked document's redacted copies, one for every file (named by the document's
    number and the file's place in it: a masked document's file names are not handed
    out). Refused documents give none."""
    result = []
    for item in selectors.request_items(request):
        if item.outcome == Outcome.RELEASE and item.document_id:
            for file in selectors.document_files(item.document):
                result.append({"name": f"{item.document.document_number} {file.original_name}",
                               "sha256": file.content_id, "size": file.size,
                               "mime_type": file.mime_type})
        elif item.outcome == Outcome.MASKED:
            copies = selectors.masked_files(item)
            for copy in copies:
                suffix = f" fil {copy.position}" if len(copies) > 1 else ""
                result.append({"name": f"{item.document.document_number}{suffix} "
                                       "(maskerad).pdf",
                               "sha256": copy.redacted_id, "size": copy.redacted.size,
                               "mime_type": "application/pdf"})
    for entry in result:
        entry["name"] = registry.safe_file_name(entry["name"].replace(":", "-").replace(
            "/", "-"))
    return result


def deliver(actor: Actor, request: DisclosureRequest, method: str,
            now: dt.datetime | None = None) -> tuple[Delivery, str]:
    """Hand out what was released and log it with the exact files. Returns the delivery
    and, for a link, its token (shown once, stored only as a hash)."""
    _require_handler(actor, request)
    if method not in DeliveryMethod.values:
        raise ValidationError({"method": _("Choose how to deliver.")})
    items = selectors.request_items(request)
    for item in items:
        if item.outcome == Outcome.PENDING:
            raise ValidationError({"method": _("Review every document first.")})
        if not selectors.may_read_document(actor, item.document):
            raise PermissionDenied(_("Only the case's access group may release this "
                                     "document."))
    if method.startswith("email") and not request.email:
        raise ValidationError({"method": _("The requester gave no e-mail address.")})
    files = released_files(request)
    token = secrets.token_urlsafe(32) if method == DeliveryMethod.EMAIL_LINK else ""
    delivery = _log_delivery(actor, request, method, files, token, now or timezone.now())
    _send_mail(request, method, files, token)
    return delivery, token


@atomic_with_retry
def _log_delivery(actor: Actor, request: DisclosureRequest, method: str, files: list,
                  token: str, now: dt.datetime) -> Delivery:
    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    days = int(getattr(settings, "DISCLOSURE_LINK_DAYS", 14))
    delivery = Delivery.objects.create(
        request=request, method=method, files=files,
        token_digest=hashlib.sha256(token.encode()).hexdigest() if token else "",
        expires_at=now + dt.timedelta(days=days) if token else None,
        delivered_by=actors.user_of(actor), delivered_at=now)
    if request.answered_at is None:
        request.answered_at, request.status = now, RequestStatus.ANSWERED
        request.save(update_fields=["answered_at", "status"])
    _release_holds(request)
    audit.record(actor=actor, action="disclosure.delivered", obj=request,
                 chain=_chain(request.authority_id), case_id=request.case_id,
                 after={"delivery": str(delivery.pk), "method": method,
                        "files": [[f["name"], f["sha256"]] for f in files],
                        "expires_at": delivery.expires_at})
    return delivery


def _plan_rule(request: DisclosureRequest, name: str):
    """The plan's rule in force for the record type whose name starts with `name` (the
    sample plan's names), or None: the plan, not this code, decides what they are."""
    return (plan_selectors.rules_in_force(request.authority_id, timezone.localdate())
            .filter(name__istartswith=name).select_related("process").first())


def _record_type(request: DisclosureRequest, name: str):
    rule = _plan_rule(request, name)
    return rule.record_type_id if rule is not None else None


def _case_data(request: DisclosureRequest) -> registry.CaseData:
    """A request's case, classified by the process its plan keeps requests under (the
    process of a record type named "Begäran om allmän handling …"), when it has one."""
    rule = _plan_rule(request, "Begäran om allmän handling")
    return registry.CaseData(
        title=f"Begäran om allmän handling ({request.number})",
        public_title="Begäran om allmän handling",
        classification_code=rule.process.code if rule is not None else "")


def _send_mail(request: DisclosureRequest, method: str, files: list, token: str) -> None:
    """After the commit: a mail that fails to leave does not undo the logged delivery
    (the registrator sees the delivery and can send again)."""
    if not method.startswith("email"):
        return
    from diarium.disclosure import mail

    def send() -> None:
        try:
            mail.send_answer(request, method, files, token)
        except (OSError, smtplib.SMTPException) as exc:
            logger.warning("the answer to %s was not sent: %s", request.number, exc)

    transaction.on_commit(send)


def link_path(token: str) -> str:
    from django.urls import reverse

    return reverse("disclosure:download", kwargs={"token": token})


def open_delivery(token: str, now: dt.datetime | None = None) -> Delivery:
    """The delivery a link names; LookupError (unknown) or TimeoutError (expired)."""
    if not token or len(token) > 100:
        raise LookupError
    digest = hashlib.sha256(token.encode()).hexdigest()
    try:
        delivery = selectors.delivery_by_token(digest)
    except Delivery.DoesNotExist:
        raise LookupError from None
    if delivery.expires_at is None or delivery.expires_at <= (now or timezone.now()):
        raise TimeoutError
    return delivery


@transaction.atomic
def count_download(delivery: Delivery, index: int) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(downloads=delivery.downloads + 1)
    audit.record(actor=PUBLIC_REQUESTS, action="disclosure.downloaded", obj=delivery.request,
                 chain=_chain(delivery.request.authority_id),
                 case_id=delivery.request.case_id,
                 after={"delivery": str(delivery.pk), "file": delivery.files[index]["sha256"]})


# --- settings -----------------------------------------------------------------------------

@atomic_with_retry
def configure(actor: Actor, authority: Authority, *, register_as_case: bool,
              series=None, target_working_days: int = 0) -> DisclosureSettings:
    actors.require(actor, "organisation.manage", holds(authority.pk, REGISTRY_ROLES))
    if series is not None and series.authority_id != authority.pk:
        raise ValidationError({"series": _("The series belongs to another authority.")})
    if register_as_case and series is None:
        raise ValidationError({"series": _("Choose the series the requests are registered "
                                           "in.")})
    conf, _created = DisclosureSettings.objects.update_or_create(
        authority=authority, defaults={"register_as_case": register_as_case,
                                       "series": series,
                                       "target_working_days": target_working_days})
    audit.record(actor=actor, action="disclosure.configured", obj=conf,
                 chain=_chain(authority.pk),
                 after={"register_as_case": register_as_case,
                        "series": str(series.pk) if series else "",
                        "target_working_days": target_working_days})
    return conf
