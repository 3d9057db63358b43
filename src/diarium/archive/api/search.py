"""/api/v1/archive/search/: search archived packages by metadata and full text, for all
staff, through the archive's permission layer (diarium.archive.finding)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.archive import finding, selectors
from diarium.archive.models import AIPFile, ArchiveRecord, Package
from diarium.core import visibility
from diarium.core.problems import problem_responses
from diarium.core.serializers import Serializer


class ArchiveSearchFilter(Serializer):
    q = serializers.CharField(required=False, default="", allow_blank=True,
                              help_text="Words in the package's metadata, its records or the "
                              "text of its files (Swedish stemming; every word must match).")
    reference = serializers.CharField(required=False, default="", allow_blank=True,
                                      help_text="A diary number (KS 2026/42) or the "
                                      "producer's package id.")
    creator = serializers.UUIDField(required=False, allow_null=True, default=None,
                                    help_text="An archive creator's id.")
    series = serializers.UUIDField(required=False, allow_null=True, default=None,
                                   help_text="A series' id (/api/v1/archive/series/).")
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)

    def query(self) -> finding.ArchiveQuery:
        data = self.validated_data
        return finding.ArchiveQuery(text=data["q"].strip(), reference=data["reference"].strip(),
                                    creator=data["creator"],
                                    series=data["series"], date_from=data["date_from"],
                                    date_to=data["date_to"])


class ArchiveHitRecordSerializer(serializers.ModelSerializer):
    restricted = serializers.BooleanField(read_only=True)

    class Meta:
        model = ArchiveRecord
        fields = ["id", "kind", "identifier", "title", "record_type", "date", "restricted"]
        read_only_fields = fields


class ArchiveHitFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = AIPFile
        fields = ["path", "size", "mime", "sha256"]
        read_only_fields = fields


class ArchiveSearchResultSerializer(serializers.ModelSerializer):
    """An archived package found, with its records and files that match the words."""

    creator = serializers.CharField(source="creator.name", read_only=True)
    title = serializers.CharField(source="description.title", read_only=True, default="")
    reference = serializers.CharField(source="description.reference", read_only=True,
                                      default="")
    series_code = serializers.CharField(source="description.series.code", read_only=True,
                                        default=None, allow_null=True)
    series_title = serializers.CharField(source="description.series.title", read_only=True,
                                         default=None, allow_null=True)
    start_date = serializers.DateField(source="description.start_date", read_only=True,
                                       default=None, allow_null=True)
    end_date = serializers.DateField(source="description.end_date", read_only=True,
                                     default=None, allow_null=True)
    restricted = serializers.BooleanField(source="description.restricted", read_only=True,
                                          default=False)
    records = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = ["id", "aip_id", "objid", "label", "title", "reference", "creator",
                  "series_code", "series_title", "start_date", "end_date", "restricted",
                  "archived_at", "records", "files"]
        read_only_fields = fields

    def _hit(self, package: Package) -> finding.Hits:
        return self.context["hits"].get(package.pk, finding.Hits())

    @extend_schema_field(ArchiveHitRecordSerializer(many=True))
    def get_records(self, package: Package) -> list[dict]:
        return ArchiveHitRecordSerializer(self._hit(package).records, many=True).data

    @extend_schema_field(ArchiveHitFileSerializer(many=True))
    def get_files(self, package: Package) -> list[dict]:
        return ArchiveHitFileSerializer(self._hit(package).files, many=True).data


class ArchiveSearchViewSet(viewsets.GenericViewSet):
    """Search the e-archive. Archivists find every archived package of their archive
    creators; other staff find their authorities' packages that carry no restriction, and
    never by the text of restricted records."""

    queryset = Package.objects.none()
    serializer_class = ArchiveSearchResultSerializer

    @extend_schema(summary="Search archived packages", parameters=[ArchiveSearchFilter],
                   responses={200: ArchiveSearchResultSerializer(many=True),
                              **problem_responses(400, 401, 403)})
    def list(self, request: Request) -> Response:
        if not finding.may_search(request.user):
            raise exceptions.PermissionDenied("Only staff may search the e-archive.")
        given = ArchiveSearchFilter(data=request.query_params)
        given.is_valid(raise_exception=True)
        query = given.query()
        page = list(self.paginate_queryset(finding.search_packages(request.user, query)))
        hits = finding.hits(request.user, query.text, page)
        records = [record for hit in hits.values() for record in hit.records]
        view = request.resolver_match.view_name
        with visibility.policy_for(request.user).page(view) as shown:
            shown.note(selectors.restricted_shown(page, records))
            data = ArchiveSearchResultSerializer(page, many=True, context={"hits": hits}).data
        return self.get_paginated_response(data)
