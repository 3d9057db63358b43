"""/api/v1/archive/agreements/ and /api/v1/archive/series/: the archive's structure for
archivists: submission agreements (list, create, read) and series (list, read)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.archive import selectors, services
from diarium.archive.models import PROFILE_CHOICES, ArchiveSeries, SubmissionAgreement
from diarium.core.problems import problem_responses
from diarium.core.serializers import Serializer
from diarium.organisation.models import Authority

from .common import ArchivistOnly, lookup


class ArchiveAgreementSerializer(serializers.ModelSerializer):
    """A submission agreement (leveransöverenskommelse)."""

    creator = serializers.CharField(source="creator.name", read_only=True)
    authority = serializers.CharField(source="creator.authority.code", read_only=True)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionAgreement
        fields = ["id", "reference", "name", "creator", "authority", "producer", "profile",
                  "allowed_formats", "valid_from", "valid_to", "in_force", "notes",
                  "created_at"]
        read_only_fields = fields

    def get_in_force(self, agreement: SubmissionAgreement) -> bool:
        return agreement.in_force()


class ArchiveAgreementInput(Serializer):
    authority = serializers.SlugRelatedField(
        slug_field="code", queryset=Authority.objects.all(),
        help_text="The authority (its code) whose archive creator receives the deliveries.")
    reference = serializers.CharField(max_length=100, help_text="The identifier SIPs name in "
                                      "altRecordID SUBMISSIONAGREEMENT.")
    name = serializers.CharField(max_length=200, required=False, default="")
    producer = serializers.CharField(max_length=200, help_text="The producing system.")
    profile = serializers.ChoiceField(choices=[c for c, _label in PROFILE_CHOICES],
                                      default="auto")
    allowed_formats = serializers.ListField(child=serializers.CharField(max_length=100),
                                            required=False, default=list)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, default="", allow_blank=True)
    identifier = serializers.CharField(required=False, default="", allow_blank=True,
                                       help_text="The archive creator's identification code, "
                                       "when it is created now.")


class ArchiveSeriesSerializer(serializers.ModelSerializer):
    """A series of an archive creator's archive: one per process of the classification."""

    creator = serializers.CharField(source="creator.name", read_only=True)
    package_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ArchiveSeries
        fields = ["id", "creator", "code", "title", "package_count", "created_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List the submission agreements of my archive creators",
                       responses={200: ArchiveAgreementSerializer(many=True),
                                  **problem_responses(401, 403)}),
    retrieve=extend_schema(summary="Read a submission agreement",
                           responses={200: ArchiveAgreementSerializer,
                                      **problem_responses(401, 403, 404)}),
    create=extend_schema(summary="Create a submission agreement", request=ArchiveAgreementInput,
                         responses={201: ArchiveAgreementSerializer,
                                    **problem_responses(400, 401, 403)}),
)
class AgreementViewSet(ArchivistOnly, viewsets.GenericViewSet):
    """Submission agreements (leveransöverenskommelser), for archivists."""

    queryset = SubmissionAgreement.objects.none()
    serializer_class = ArchiveAgreementSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.agreements(request.user)
                                      .select_related("creator__authority"))
        return self.get_paginated_response(ArchiveAgreementSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        found = lookup(lambda: selectors.agreements(request.user).get(pk=pk))
        return Response(ArchiveAgreementSerializer(found).data)

    def create(self, request: Request) -> Response:
        given = ArchiveAgreementInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        creator = services.ensure_archive_creator(request.user, data["authority"],
                                                  data["identifier"])
        created = services.create_agreement(
            request.user, creator, reference=data["reference"], name=data["name"],
            producer=data["producer"], profile=data["profile"],
            allowed_formats=data["allowed_formats"], valid_from=data["valid_from"],
            valid_to=data["valid_to"], notes=data["notes"])
        fresh = SubmissionAgreement.objects.select_related("creator__authority").get(
            pk=created.pk)
        return Response(ArchiveAgreementSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List the series of my archive creators",
                       responses={200: ArchiveSeriesSerializer(many=True),
                                  **problem_responses(401, 403)}),
    retrieve=extend_schema(summary="Read a series",
                           responses={200: ArchiveSeriesSerializer,
                                      **problem_responses(401, 403, 404)}),
)
class SeriesViewSet(ArchivistOnly, viewsets.GenericViewSet):
    """The archive's series: per archive creator, one per process of the classification
    that packages have arrived for. Search packages of a series with ?series=<id>."""

    queryset = ArchiveSeries.objects.none()
    serializer_class = ArchiveSeriesSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.series(request.user))
        return self.get_paginated_response(ArchiveSeriesSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        found = lookup(lambda: selectors.series(request.user).get(pk=pk))
        return Response(ArchiveSeriesSerializer(found).data)
