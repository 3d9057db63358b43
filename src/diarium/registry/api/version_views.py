"""The document endpoints for documents written in the case: drafts, versions, the
check-out lock, fastställ and comparing two versions (mixed into DocumentViewSet)."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.problems import problem_responses
from diarium.core.renderers import PassthroughRenderer
from diarium.core.serializers import Serializer
from diarium.documents.services import open_content
from diarium.registry import selectors, services
from diarium.registry.api import common, inputs
from diarium.registry.api.serializers import (
    DocumentSerializer,
    DocumentVersionSerializer,
)
from diarium.registry.models import Document


class DiffLineSerializer(Serializer):
    kind = serializers.ChoiceField(choices=["same", "removed", "added", "fold"],
                                   help_text="fold: `text` is the number of unchanged lines "
                                   "left out.")
    text = serializers.CharField()
    old_number = serializers.IntegerField(allow_null=True)
    new_number = serializers.IntegerField(allow_null=True)


class DiffSerializer(Serializer):
    old = serializers.IntegerField(help_text="The older version's number.")
    new = serializers.IntegerField(help_text="The newer version's number.")
    lines = DiffLineSerializer(many=True)


VERSION_ID = OpenApiParameter("version_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409)


class VersionActions:
    """Drafts and versions; each write is one service call (registry/services/versions.py)."""

    def _readable(self, request: Request) -> Document:
        doc = self.get_object()
        with common.page(request) as shown:
            if not shown.show_document(doc):
                raise NotFound()
        return doc

    @extend_schema(
        summary="Create a draft (utkast) in a case, with its first version",
        description="multipart/form-data with the document's fields, `file` and `note`. A "
        "draft is seen by the case's access group only until it is made final.",
        request=inputs.DraftCreateInput,
        responses={201: DocumentSerializer, **problem_responses(400, 401, 403, 404, 413)},
    )
    @action(detail=False, methods=["post"])
    def drafts(self, request: Request) -> Response:
        given = inputs.DraftCreateInput(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        case = common.lookup(selectors.get_case, request.user, given.validated_data["case"])
        file = given.validated_data["file"]
        doc = services.create_draft(request.user, case, given.document_data(),
                                    services.Upload(file, file.name, file.content_type),
                                    note=given.validated_data["note"])
        return self._show(doc, status.HTTP_201_CREATED, shown=False)

    @extend_schema(summary="The document's versions, newest first",
                   responses={200: DocumentVersionSerializer(many=True),
                              **problem_responses(400, 401, 404)})
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str) -> Response:
        doc = self._readable(request)
        found = selectors.document_versions(doc)
        context = {"request": request}
        return Response(DocumentVersionSerializer(found, many=True, context=context).data)

    @extend_schema(
        summary="Upload the next version",
        description="multipart/form-data: `file`, `note`; for a final document `reason` is "
        "required and the version becomes the new final (409 without it). Refused (409) "
        "while someone else has the document checked out.",
        request=inputs.VersionInput,
        responses={201: DocumentVersionSerializer, **WRITE_ERRORS, **problem_responses(413)},
    )
    @versions.mapping.post
    def add_version(self, request: Request, pk: str) -> Response:
        given = inputs.VersionInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        file = data["file"]
        version = services.add_version(
            request.user, self.get_object(), services.VersionInput(
                services.Upload(file, file.name, file.content_type), note=data["note"],
                reason=data["reason"]), check_in=data["check_in"])
        body = DocumentVersionSerializer(version, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download a version's bytes", parameters=[VERSION_ID],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
                   **problem_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["get"],
            url_path=r"versions/(?P<version_id>[^/.]+)/download",
            renderer_classes=[JSONRenderer, PassthroughRenderer])
    def version_download(self, request: Request, pk: str, version_id: str) -> FileResponse:
        doc = self._readable(request)
        version = common.lookup(lambda: selectors.document_versions(doc).get(pk=version_id))
        return FileResponse(open_content(version.content), as_attachment=True,
                            filename=version.original_name, content_type=version.mime_type)

    @extend_schema(
        summary="Compare the text of two versions",
        parameters=[OpenApiParameter("old", OpenApiTypes.UUID, required=True),
                    OpenApiParameter("new", OpenApiTypes.UUID, required=True)],
        responses={200: DiffSerializer, **problem_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str) -> Response:
        doc = self._readable(request)
        versions = {str(v.pk): v for v in selectors.document_versions(doc)}
        try:
            old = versions[request.query_params.get("old", "")]
            new = versions[request.query_params.get("new", "")]
        except KeyError as exc:
            raise NotFound("Name two versions of this document (old, new).") from exc
        if old.number > new.number:
            old, new = new, old
        lines = selectors.version_diff(old, new)
        return Response(DiffSerializer({"old": old.number, "new": new.number,
                                        "lines": lines}).data)

    @extend_schema(summary="Check the draft out (take the lock)", request=None,
                   responses={200: DocumentSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def checkout(self, request: Request, pk: str) -> Response:
        return self._show(services.check_out(request.user, self.get_object()))

    @extend_schema(summary="Check the draft in without a new version (release my lock)",
                   request=None, responses={200: DocumentSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def checkin(self, request: Request, pk: str) -> Response:
        return self._show(services.check_in(request.user, self.get_object()))

    @extend_schema(summary="Break someone's check-out (administrators, with a reason)",
                   request=inputs.ReasonInput,
                   responses={200: DocumentSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="break-lock")
    def break_lock(self, request: Request, pk: str) -> Response:
        given = inputs.ReasonInput(data=request.data)
        given.is_valid(raise_exception=True)
        doc = services.break_lock(request.user, self.get_object(),
                                  given.validated_data["reason"])
        return self._show(doc)

    @extend_schema(
        summary="Make the newest version final (fastställ)",
        description="The registration then points at that exact version, whose content "
        "never changes; a new final needs a new version with a reason.",
        request=None, responses={200: DocumentSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: str) -> Response:
        return self._show(services.finalise(request.user, self.get_object()))
