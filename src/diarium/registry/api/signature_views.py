"""The document endpoints for signatures (mixed into DocumentViewSet): a document's
signing requests and validation reports, asking for signatures, signing when it is one's
turn, validating on demand, and the caller's own list of documents to sign. Every write is
one service call (registry/services/signatures.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.problems import problem_responses
from diarium.core.serializers import Serializer
from diarium.documents.signature_models import SignatureRequest, SignatureStep, ValidationReport
from diarium.documents.signing.pades import LEVELS
from diarium.organisation.models import User
from diarium.registry import signature_selectors as signing
from diarium.registry.api import common
from diarium.registry.models import Document
from diarium.registry.services import signatures

WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409)


class StepSerializer(serializers.ModelSerializer):
    signer = serializers.CharField(source="signer.username")
    valid = serializers.SerializerMethodField()

    class Meta:
        model = SignatureStep
        fields = ["position", "signer", "role", "state", "signed_at", "valid"]

    def get_valid(self, step: SignatureStep) -> bool | None:
        return step.report.valid if step.report_id else None


class SignatureRequestSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True)
    requested_by = serializers.CharField(source="requested_by.username")
    sha256 = serializers.CharField(source="current_id",
                                   help_text="The PDF as signed so far (SHA-256).")

    class Meta:
        model = SignatureRequest
        fields = ["id", "status", "level", "purpose", "requested_by", "requested_at",
                  "completed_at", "sha256", "steps"]


class ReportSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="content_id")

    class Meta:
        model = ValidationReport
        fields = ["id", "sha256", "valid", "trigger", "made_at", "made_by", "report"]


class SignaturesSerializer(Serializer):
    requests = SignatureRequestSerializer(many=True)
    reports = ReportSerializer(many=True)


class SignerInput(Serializer):
    user = serializers.CharField(max_length=150, help_text="The signer's username.")
    role = serializers.CharField(max_length=100, help_text="e.g. ordförande, justerare")


class SignatureRequestInput(Serializer):
    signers = SignerInput(many=True, allow_empty=False,
                          help_text="The signers in the order they sign.")
    level = serializers.ChoiceField(choices=list(LEVELS), default="B-B")
    purpose = serializers.CharField(max_length=64, required=False, default="")


class PendingSerializer(Serializer):
    request = serializers.UUIDField(source="step.request_id")
    document = serializers.UUIDField(source="document.pk")
    document_number = serializers.CharField(source="document.document_number")
    title = serializers.CharField(source="document.title")
    role = serializers.CharField(source="step.role")
    requested_at = serializers.DateTimeField(source="step.request.requested_at")


class SignatureActions:
    """Signatures of a final document's PDF/A rendition (docs/signatures.md)."""

    def _content_readable(self, request: Request) -> Document:
        doc = self.get_object()
        with common.page(request) as shown:
            if not shown.show_document(doc):
                raise NotFound()
        return doc

    def _signatures(self, doc: Document) -> Response:
        return Response(SignaturesSerializer({
            "requests": signing.requests_of(doc), "reports": signing.reports_of(doc)[:50],
        }).data)

    @extend_schema(summary="The document's signing requests and validation reports",
                   responses={200: SignaturesSerializer, **problem_responses(401, 404)})
    @action(detail=True, methods=["get"])
    def signatures(self, request: Request, pk: str) -> Response:
        return self._signatures(self._content_readable(request))

    @extend_schema(
        summary="Ask for signatures, signers in order",
        description="The final version's PDF/A rendition is signed by each signer in turn "
        "(PAdES). B-T and B-LT need a configured timestamp authority.",
        request=SignatureRequestInput, responses={201: SignaturesSerializer, **WRITE_ERRORS})
    @signatures.mapping.post
    def request_signatures(self, request: Request, pk: str) -> Response:
        doc = self._content_readable(request)
        given = SignatureRequestInput(data=request.data)
        given.is_valid(raise_exception=True)
        if doc.final_version is None:
            raise ValidationError({"status": "Only a final document is signed."})
        users = {u.username: u for u in User.objects.filter(
            username__in=[s["user"] for s in given.validated_data["signers"]])}
        missing = [s["user"] for s in given.validated_data["signers"] if s["user"] not in users]
        if missing:
            raise ValidationError({"signers": [f"No such user: {', '.join(missing)}"]})
        signatures.request_signatures(
            request.user, doc.final_version,
            [(users[s["user"]], s["role"]) for s in given.validated_data["signers"]],
            level=given.validated_data["level"], purpose=given.validated_data["purpose"])
        response = self._signatures(doc)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(summary="Sign the document (when it is the caller's turn)",
                   description="Signs with the caller's registered key; the signature is "
                   "validated before it is kept.",
                   request=None, responses={200: SignaturesSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="signatures/sign")
    def sign(self, request: Request, pk: str) -> Response:
        doc = self._content_readable(request)
        pending = SignatureRequest.objects.filter(document=doc.pk, status="pending").first()
        if pending is None:
            raise ValidationError({"status": "The document awaits no signature."})
        signatures.sign(request.user, pending)
        return self._signatures(doc)

    @extend_schema(summary="Validate the document's signed PDFs now",
                   request=None, responses={200: SignaturesSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="signatures/validate")
    def validate_signatures(self, request: Request, pk: str) -> Response:
        doc = self._content_readable(request)
        signatures.require_reader(request.user, doc)
        files = signatures.signed_files(doc)
        if not files:
            raise ValidationError({"file": "The document has no signed PDF."})
        for file in files:
            signatures.validate_file(request.user, file)
        return self._signatures(doc)

    @extend_schema(summary="Documents awaiting the caller's signature (att signera)",
                   responses={200: PendingSerializer(many=True), **problem_responses(401)})
    @action(detail=False, methods=["get"], url_path="to-sign", pagination_class=None,
            filter_backends=[])
    def to_sign(self, request: Request) -> Response:
        return Response(PendingSerializer(signing.pending_for(request.user), many=True).data)
