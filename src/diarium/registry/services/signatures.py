"""Signing final documents, in order, and keeping the proof (docs/signatures.md).

Rules kept here:
- Only a final document (fastställd) is signed, and what is signed is its PDF/A rendition.
- A request names its signers in order; a signer signs only when everyone before them has,
  and only when they may read the document's content (the visibility policy).
- Every signature is an incremental update of the PDF signed before it (a new stored file
  that starts with the old one's bytes); nothing signed is ever rewritten. A signature that
  does not validate against the trust list is not recorded, and the refusal is audited.
- Every signature is validated when it is added, and the report (JSON and a readable PDF
  page) is kept; when the last signer has signed, the signed PDF and its report become
  files of the document (so they go to the e-archive with it) and
  documents.signing.signals.signatures_completed is sent after the commit.
- Uploaded PDFs that carry signatures are validated the same way (validate_file)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.errors import Conflict
from diarium.core.transactions import atomic_with_retry
from diarium.documents.models import Rendition, RenditionState, StoredFile
from diarium.documents.signature_models import (
    KeyKind,
    RequestStatus,
    SignatureRequest,
    SignatureStep,
    SignerKey,
    StepState,
    Trigger,
    ValidationReport,
)
from diarium.documents.signing import evidence, keystore
from diarium.documents.signing.keys import KeyUnusable
from diarium.documents.signing.pades import LEVELS, Appearance, SigningFailed, sign_pdf
from diarium.documents.signing.signals import signatures_completed
from diarium.documents.signing.trust import configured_timestamper, configured_trust
from diarium.documents.signing.validation import validate_pdf
from diarium.organisation.models import Role, User
from diarium.organisation.selectors import holds
from diarium.registry import processing
from diarium.registry.models import Document, DocumentFile, DocumentStatus, DocumentVersion
from diarium.registry.services._common import _chain, require_may_add
from diarium.registry.visibility import policy_for

MAX_SIGNERS = 20
MAX_KEY_FILE = 1024 * 1024
# Validates the signed PDFs a document is registered with, from the processing job. It
# declares no permission: it reads no more than the job's own content and writes reports.
VALIDATOR = actors.declare(
    "system:signatures", set(),
    "Validation of signed PDFs when they are registered (the processing job).")


@dataclass(frozen=True)
class SignerSpec:
    """One signer of a request and the role they sign in (ordförande, justerare …)."""

    user: User
    role: str


# -- keys -------------------------------------------------------------------------------

def _require_key_manager(actor: Actor, user: User) -> None:
    """A user registers their own key; an administrator of any of the user's authorities
    may register one for them."""
    actors.require_person(actor, _("A signing key is registered by a person."))
    if actor.pk == user.pk:
        return
    authorities = set(user.roles.values_list("authority_id", flat=True))
    if not any(holds(a, {Role.ADMINISTRATOR})(actor) for a in authorities):
        raise PermissionDenied(_("Only the user or an administrator registers a signing key."))


def register_pkcs12_key(actor: Actor, user: User, data: bytes, password: str) -> SignerKey:
    """The user's signing key from a PKCS#12 file; the file and password are sealed."""
    _require_key_manager(actor, user)
    if len(data) > MAX_KEY_FILE:
        raise ValidationError({"file": _("The key file is too large.")})
    try:
        key = keystore.Pkcs12Key(data, password)
    except KeyUnusable as exc:
        raise ValidationError({"file": _("The key file cannot be opened: %(why)s")
                               % {"why": exc}}) from exc
    return _save_key(actor, user, KeyKind.PKCS12, keystore.sealed_pkcs12(data, password),
                     key.certificate())


def register_pkcs11_key(actor: Actor, user: User, module: str, token: str, key_label: str,
                        pin: str) -> SignerKey:
    """The user's signing key on a PKCS#11 token; the PIN is sealed. The token is opened
    once now, so that a wrong PIN or label is refused at once."""
    _require_key_manager(actor, user)
    sealed = keystore.sealed_pkcs11(module, token, key_label, pin)
    try:
        with keystore.open_sealed(KeyKind.PKCS11, sealed) as key:
            certificate = key.certificate()
    except KeyUnusable as exc:
        raise ValidationError({"token": _("The token cannot be used: %(why)s")
                               % {"why": exc}}) from exc
    return _save_key(actor, user, KeyKind.PKCS11, sealed, certificate)


@atomic_with_retry
def _save_key(actor: Actor, user: User, kind: str, sealed: str, certificate: bytes
              ) -> SignerKey:
    subject, valid_to = keystore.certificate_facts(certificate)
    replaced = list(SignerKey.objects.select_for_update().filter(user=user, active=True))
    SignerKey.objects.filter(pk__in=[k.pk for k in replaced]).update(active=False)
    key = SignerKey.objects.create(user=user, kind=kind, sealed=sealed, certificate=certificate,
                                   subject=subject, valid_to=valid_to, created_by=actor)
    audit.record(actor=actor, action="signature.key_registered", obj=key,
                 before={"replaced": [str(k.pk) for k in replaced]} if replaced else None,
                 after={"user": user.get_username(), "kind": kind, "subject": subject,
                        "valid_to": valid_to})
    return key


# -- requests ---------------------------------------------------------------------------

def rendition_of(version: DocumentVersion) -> StoredFile:
    """The PDF/A rendition of a final version (ValidationError when there is none yet)."""
    rendition = Rendition.objects.filter(source=version.content_id,
                                         state=RenditionState.OK).first()
    if rendition is None or not rendition.content:
        raise ValidationError({"rendition": _(
            "The document has no PDF/A rendition yet; sign it when the rendition is made.")})
    return StoredFile.objects.get(sha256=rendition.content)


def _require_level(level: str) -> None:
    if level not in LEVELS:
        raise ValidationError({"level": _("Unknown signature level.")})
    if level != "B-B" and configured_timestamper() is None:
        raise ValidationError({"level": _(
            "PAdES %(level)s needs a timestamp authority (DIARIUM_SIGNATURE_TSA_URL).")
            % {"level": level}})


def _check_signers(doc: Document, signers: Sequence[SignerSpec]) -> list[SignerSpec]:
    signers = [s if isinstance(s, SignerSpec) else SignerSpec(*s) for s in signers]
    if not 1 <= len(signers) <= MAX_SIGNERS:
        raise ValidationError({"signers": _("Name between 1 and %(n)d signers.")
                               % {"n": MAX_SIGNERS}})
    for spec in signers:
        if not spec.role.strip() or len(spec.role) > 100:
            raise ValidationError({"signers": _("Give each signer a role (at most 100 "
                                                "characters).")})
        if not spec.user.is_active or not policy_for(spec.user).document(doc).content:
            raise ValidationError({"signers": _(
                "%(user)s may not read the document and cannot sign it.")
                % {"user": spec.user.get_username()}})
    return signers


def _require_final(doc: Document, version: DocumentVersion) -> None:
    if doc.status != DocumentStatus.REGISTERED or doc.final_version_id != version.pk:
        raise Conflict({"status": _("Only the final version of a final document is signed.")})


def request_signatures(actor: Actor, version: DocumentVersion,
                       signers_in_order: Sequence[SignerSpec | tuple[User, str]], *,
                       level: str = "B-B", purpose: str = "") -> SignatureRequest:
    """Ask the signers, in this order, to sign the final version's PDF/A rendition. When
    all have signed, signals.signatures_completed is sent (with `purpose`)."""
    doc = version.document
    require_may_add(actor, doc.case)
    if not policy_for(actor).document(doc).content:
        raise PermissionDenied(_("Only the case's access group may have this document signed."))
    _require_final(doc, version)
    _require_level(level)
    signers = _check_signers(doc, signers_in_order)
    return _create_request(actor, version, signers, level, purpose[:64])


@atomic_with_retry
def _create_request(actor: Actor, version: DocumentVersion, signers: list[SignerSpec],
                    level: str, purpose: str) -> SignatureRequest:
    doc = Document.objects.select_for_update().select_related("case").get(
        pk=version.document_id)
    _require_final(doc, version)
    if SignatureRequest.objects.filter(document=doc.pk, status=RequestStatus.PENDING).exists():
        raise Conflict({"status": _("The document already awaits signatures.")})
    source = rendition_of(version)
    request = SignatureRequest.objects.create(
        document=doc.pk, version=version.pk, source=source, current=source, level=level,
        purpose=purpose, requested_by=actor)
    SignatureStep.objects.bulk_create([
        SignatureStep(request=request, position=n, signer=s.user, role=s.role.strip())
        for n, s in enumerate(signers, start=1)])
    audit.record(actor=actor, action="document.signatures_requested", obj=doc,
                 chain=_chain(doc.case), case_id=doc.case_id,
                 after={"request": request.pk, "version": version.number, "level": level,
                        "sha256": source.sha256, "purpose": purpose,
                        "signers": [[s.user.get_username(), s.role] for s in signers]})
    return request


def next_step(request: SignatureRequest) -> SignatureStep | None:
    return request.steps.filter(state=StepState.WAITING).order_by("position").first()


# -- signing ----------------------------------------------------------------------------

def _document_for(actor: Actor, request: SignatureRequest) -> Document:
    doc = Document.objects.select_related("case", "case__authority").get(pk=request.document)
    if not policy_for(actor).document(doc).content:
        raise PermissionDenied(_("You may not read this document."))
    return doc


def _my_step(actor: Actor, request: SignatureRequest) -> SignatureStep:
    if request.status != RequestStatus.PENDING:
        raise Conflict({"status": _("The request is no longer awaiting signatures.")})
    step = next_step(request)
    if step is None or step.signer_id != actor.pk:
        raise Conflict({"signer": _("It is not your turn to sign this document.")})
    return step


def _active_key(actor: Actor) -> SignerKey:
    key = SignerKey.objects.filter(user=actor, active=True).first()
    if key is None:
        raise ValidationError({"key": _("You have no signing key; register one first.")})
    return key


def sign(actor: Actor, request: SignatureRequest) -> SignatureStep:
    """The actor signs the request's PDF as its next signer. The signature is made and
    validated before anything is written; a refusal is audited."""
    actors.require_person(actor, _("A signature is made by a person."))
    request = SignatureRequest.objects.select_related("current").get(pk=request.pk)
    doc = _document_for(actor, request)
    step = _my_step(actor, request)
    before = request.current
    try:
        signed = _make_signature(actor, request, step, doc)
        report = validate_pdf(signed, configured_trust(), name=_signed_name(doc, request))
        if not report["valid"]:
            raise SigningFailed("; ".join(
                p for s in report["signatures"] for p in s.get("problems", []))
                or "; ".join(report["problems"]))
    except (KeyUnusable, SigningFailed) as exc:
        _audit_refusal(actor, doc, request, step, str(exc))
        raise ValidationError({"signature": _("The signature could not be made: %(why)s")
                               % {"why": exc}}) from exc
    stored = evidence.stored_bytes(signed, "application/pdf")
    return _record_signature(actor, request.pk, step.pk, before.pk, stored, report, doc)


def _make_signature(actor: Actor, request: SignatureRequest, step: SignatureStep,
                    doc: Document) -> bytes:
    key = _active_key(actor)
    pdf = evidence.read_all(request.current)
    with keystore.open_key(key) as signing_key:
        return sign_pdf(pdf, signing_key, Appearance(
            field_name=f"Signatur{step.position}", name=key.subject, role=step.role,
            location=doc.case.authority.name), level=request.level,
            timestamper=configured_timestamper(), trust=configured_trust())


@atomic_with_retry
def _audit_refusal(actor: Actor, doc: Document, request: SignatureRequest,
                   step: SignatureStep, why: str) -> None:
    audit.record(actor=actor, action="document.signing_refused", obj=doc,
                 chain=_chain(doc.case), case_id=doc.case_id,
                 after={"request": request.pk, "position": step.position, "reason": why[:500]})


def _signed_name(doc: Document, request: SignatureRequest) -> str:
    version = DocumentVersion.objects.get(pk=request.version)
    return f"{PurePosixPath(version.original_name).stem[:180]}-signerad.pdf"


@atomic_with_retry
def _record_signature(actor: Actor, request_id, step_id, before_sha: str, stored: StoredFile,
                      report: dict, doc: Document) -> SignatureStep:
    request = SignatureRequest.objects.select_for_update().get(pk=request_id)
    step = SignatureStep.objects.get(pk=step_id)
    if (request.current_id != before_sha or request.status != RequestStatus.PENDING
            or step.state != StepState.WAITING):
        raise Conflict({"signature": _("The document was signed by someone else meanwhile; "
                                       "open it again.")})
    kept = evidence.keep_report(stored, report, title=str(doc), trigger=Trigger.SIGNED,
                                made_by=actors.name_of(actor), document=doc.pk)
    step.state, step.signed_at, step.result, step.report = (
        StepState.SIGNED, timezone.now(), stored, kept)
    step.save(update_fields=["state", "signed_at", "result", "report"])
    request.current = stored
    request.save(update_fields=["current"])
    audit.record(actor=actor, action="document.signed", obj=doc, chain=_chain(doc.case),
                 case_id=doc.case_id,
                 after={"request": request.pk, "position": step.position, "role": step.role,
                        "sha256": stored.sha256, "level": request.level, "valid": kept.valid,
                        "report": kept.pk})
    if next_step(request) is None:
        _complete(actor, request, kept, doc)
    return step


def _complete(actor: Actor, request: SignatureRequest, report: ValidationReport,
              doc: Document) -> None:
    request.status, request.completed_at = RequestStatus.COMPLETED, timezone.now()
    request.save(update_fields=["status", "completed_at"])
    name = _signed_name(doc, request)
    stem = name.removesuffix("-signerad.pdf")
    _attach(doc, request.current, name, "application/pdf")
    _attach_report(doc, report, stem)
    processing.after_files_added(actor, doc)
    audit.record(actor=actor, action="document.signatures_completed", obj=doc,
                 chain=_chain(doc.case), case_id=doc.case_id,
                 after={"request": request.pk, "sha256": request.current_id,
                        "purpose": request.purpose})
    transaction.on_commit(lambda: signatures_completed.send(
        sender=SignatureRequest, request=request, document_id=request.document,
        version_id=request.version))


def _attach(doc: Document, stored: StoredFile, name: str, mime_type: str) -> None:
    DocumentFile.objects.create(document=doc, content=stored, original_name=name,
                                mime_type=mime_type, size=stored.size)


def _attach_report(doc: Document, report: ValidationReport, stem: str) -> None:
    _attach(doc, report.json_file, f"{stem}-valideringsrapport.json", "application/json")
    _attach(doc, report.pdf, f"{stem}-valideringsrapport.pdf", "application/pdf")


@atomic_with_retry
def cancel_signatures(actor: Actor, request: SignatureRequest, reason: str) -> SignatureRequest:
    """Stop a request that awaits signatures (those made are kept, in the audit log)."""
    doc = Document.objects.select_related("case").get(pk=request.document)
    require_may_add(actor, doc.case)
    reason = reason.strip()[:2000]
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    request = SignatureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise Conflict({"status": _("The request is no longer awaiting signatures.")})
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status"])
    request.steps.filter(state=StepState.WAITING).update(state=StepState.CANCELLED)
    audit.record(actor=actor, action="document.signatures_cancelled", obj=doc,
                 chain=_chain(doc.case), case_id=doc.case_id,
                 after={"request": request.pk, "reason": reason})
    return request


# -- validation on demand and of uploads ------------------------------------------------

def require_reader(actor: Actor, doc: Document) -> None:
    actors.check(actor)
    if not policy_for(actor).document(doc).content:
        raise PermissionDenied(_("You may not read this document."))


def signed_files(doc: Document) -> list[DocumentFile]:
    """The document's PDF files that carry a signature (their bytes hold /ByteRange)."""
    found = []
    for file in doc.files.select_related("content").filter(mime_type="application/pdf"):
        if file.content.content_removed_at is None and b"/ByteRange" in evidence.read_all(
                file.content):
            found.append(file)
    return found


def validate_file(actor: Actor, file: DocumentFile, trigger: str = Trigger.ON_DEMAND
                  ) -> ValidationReport:
    """Validate every signature of one of the document's PDF files now and keep the
    report; an upload's first report is also kept as files of the document."""
    actors.check(actor)
    doc = Document.objects.select_related("case").get(pk=file.document_id)
    if not actors.is_principal(actor):
        require_reader(actor, doc)
    data = evidence.read_all(file.content)
    report = validate_pdf(data, configured_trust(), name=file.original_name)
    return _keep_validation(actor, doc, file, report, trigger)


@atomic_with_retry
def _keep_validation(actor: Actor, doc: Document, file: DocumentFile, report: dict,
                     trigger: str) -> ValidationReport:
    kept = evidence.keep_report(file.content, report, title=str(doc), trigger=trigger,
                                made_by=actors.name_of(actor), document=doc.pk)
    if trigger == Trigger.UPLOAD:
        _attach_report(doc, kept, PurePosixPath(file.original_name).stem[:180])
    audit.record(actor=actor, action="document.signatures_validated", obj=doc,
                 chain=_chain(doc.case), case_id=doc.case_id,
                 after={"file": file.original_name, "sha256": file.content_id,
                        "valid": kept.valid, "trigger": trigger, "report": kept.pk,
                        "signatures": len(report["signatures"])})
    return kept


def validate_uploaded(actor: Actor, doc: Document) -> list[ValidationReport]:
    """The first validation of the signed PDFs a document was registered with (run by
    the processing job as a system principal); files validated before are skipped."""
    actors.check(actor)
    done = set(ValidationReport.objects.filter(document=doc.pk).values_list(
        "content_id", flat=True))
    made = SignatureRequest.objects.filter(document=doc.pk).values_list("current_id", flat=True)
    return [validate_file(actor, file, Trigger.UPLOAD) for file in signed_files(doc)
            if file.content_id not in done and file.content_id not in set(made)]
