"""Reads of the signature workflow, through the visibility policy: a signer's pending
requests (only documents they may read), a document's requests and reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from diarium.documents.signature_models import (
    RequestStatus,
    SignatureRequest,
    SignatureStep,
    SignerKey,
    StepState,
    ValidationReport,
)
from diarium.organisation.models import User
from diarium.registry.models import Document
from diarium.registry.selectors import visible_documents
from diarium.registry.visibility import policy_for


@dataclass
class PendingSignature:
    step: SignatureStep
    document: Document


def pending_for(user: User) -> list[PendingSignature]:
    """The requests where it is the user's turn to sign ("Att signera"), oldest first:
    their step is the first unsigned one, and they may read the document."""
    steps = (SignatureStep.objects.filter(signer=user, state=StepState.WAITING,
                                          request__status=RequestStatus.PENDING)
             .select_related("request").order_by("request__requested_at"))
    mine = [s for s in steps if not s.request.steps.filter(
        state=StepState.WAITING, position__lt=s.position).exists()]
    documents = {d.pk: d for d in visible_documents(user).filter(
        pk__in=[s.request.document for s in mine]).select_related("case")}
    policy = policy_for(user)
    return [PendingSignature(s, documents[s.request.document]) for s in mine
            if s.request.document in documents
            and policy.document(documents[s.request.document]).content]


def requests_of(doc: Document) -> QuerySet[SignatureRequest]:
    return SignatureRequest.objects.filter(document=doc.pk).prefetch_related(
        "steps__signer", "steps__report").select_related("requested_by")


def reports_of(doc: Document) -> QuerySet[ValidationReport]:
    return ValidationReport.objects.filter(document=doc.pk)


def get_report(user: User, report_id) -> tuple[ValidationReport, Document]:
    """A report and its document, when the document is visible (DoesNotExist otherwise);
    whether its content may be read is the caller's page's question."""
    report = ValidationReport.objects.get(pk=report_id)
    return report, visible_documents(user).select_related("case").get(pk=report.document)


def get_request(user: User, request_id) -> tuple[SignatureRequest, Document]:
    request = SignatureRequest.objects.get(pk=request_id)
    return request, visible_documents(user).get(pk=request.document)


def active_key(user: User) -> SignerKey | None:
    return SignerKey.objects.filter(user=user, active=True).first()
