"""/api/v1/requests/: requests for official documents for staff who handle them, with the
clock and each requested document's review. A secret document's title is in the answer
only for the case's access group (the policy's page decides and audits); everyone else
gets its number. Reviewing takes the same service as the staff page."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.problems import problem_responses
from diarium.core.serializers import Serializer
from diarium.core.visibility import policy_for
from diarium.disclosure import clock, selectors, services
from diarium.disclosure.models import DisclosureRequest, Outcome, ReplyMethod, RequestStatus


class ItemSerializer(Serializer):
    """One thing asked for: a document (its title only for who may read it) or a text."""

    id = serializers.UUIDField()
    document = serializers.UUIDField(allow_null=True)
    document_number = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True, help_text="null when you may not read it")
    description = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    provision = serializers.CharField()
    masked_copies = serializers.ListField(
        child=serializers.CharField(),
        help_text="released with masking: the SHA-256 of each file's redacted copy, in the "
                  "document's file order (empty otherwise)")


class DisclosureRequestSerializer(Serializer):
    """A request with its clock: received, due, age in hours, late."""

    id = serializers.UUIDField()
    number = serializers.CharField()
    authority = serializers.CharField(help_text="the authority's code")
    case = serializers.CharField(allow_null=True, help_text="the case's diarienummer")
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    age_hours = serializers.FloatField()
    late = serializers.BooleanField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    answered_at = serializers.DateTimeField(allow_null=True)
    reply_method = serializers.ChoiceField(choices=ReplyMethod.choices)
    items = ItemSerializer(many=True, required=False)


class ReviewInput(Serializer):
    outcome = serializers.ChoiceField(choices=[Outcome.RELEASE, Outcome.REFUSED])
    provision = serializers.CharField(required=False, allow_blank=True, max_length=64)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


def _summary(req: DisclosureRequest, now) -> dict:
    return {"id": req.pk, "number": req.number, "authority": req.authority.code,
            "case": req.case.diary_number if req.case_id else None,
            "received_at": req.received_at, "due_at": req.due_at,
            "age_hours": round(clock.age_hours(req.received_at, req.answered_at or now), 2),
            "late": clock.is_late(req.due_at, now, req.answered_at), "status": req.status,
            "answered_at": req.answered_at, "reply_method": req.reply_method}


@extend_schema_view(
    list=extend_schema(summary="Requests of the authorities where I handle them",
                       responses={200: DisclosureRequestSerializer(many=True),
                                  **problem_responses(401, 403)}),
    retrieve=extend_schema(summary="Read a request with its documents",
                           responses={200: DisclosureRequestSerializer,
                                      **problem_responses(401, 403, 404)}),
)
class RequestViewSet(viewsets.GenericViewSet):
    """Requests for official documents (begäran om allmän handling)."""

    queryset = DisclosureRequest.objects.none()  # for the schema; reads use the selectors
    serializer_class = DisclosureRequestSerializer
    lookup_value_regex = "[0-9a-f-]{36}"

    def _require(self, request: Request) -> None:
        if not selectors.handling_authorities(request.user):
            raise PermissionDenied()

    def _get(self, request: Request, pk: str) -> DisclosureRequest:
        self._require(request)
        try:
            return selectors.get_request(request.user, pk)
        except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
            raise NotFound() from exc

    def list(self, request: Request) -> Response:
        self._require(request)
        now = timezone.now()
        page = self.paginate_queryset(selectors.visible_requests(request.user)
                                      .order_by("-received_at"))
        return self.get_paginated_response([_summary(r, now) for r in page])

    def retrieve(self, request: Request, pk: str) -> Response:
        req = self._get(request, pk)
        return Response(self._detail(request, req))

    def _detail(self, request: Request, req: DisclosureRequest) -> dict:
        items = selectors.request_items(req)
        match = getattr(request, "resolver_match", None)
        with policy_for(request.user).page(match.view_name if match else request.path) as page:
            readable = page.readable_documents([i.document for i in items if i.document_id])
            rows = [{"id": i.pk, "document": i.document_id,
                     "document_number": i.document.document_number if i.document_id else None,
                     "title": i.document.title if i.document_id in readable else None,
                     "description": i.description, "outcome": i.outcome,
                     "provision": i.provision,
                     "masked_copies": [c.redacted_id for c in selectors.masked_files(i)]
                     if i.document_id in readable else []}
                    for i in items]
        return _summary(req, timezone.now()) | {"items": rows}

    @extend_schema(summary="Review a requested document: release or refuse",
                   request=ReviewInput,
                   responses={200: DisclosureRequestSerializer,
                              **problem_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>[0-9a-f-]{36})/review")
    def review(self, request: Request, pk: str, item_id: str) -> Response:
        req = self._get(request, pk)
        item = req.items.filter(pk=item_id).first()
        if item is None:
            raise NotFound()
        given = ReviewInput(data=request.data)
        given.is_valid(raise_exception=True)
        services.review_item(request.user, item, **given.validated_data)
        return Response(self._detail(request, req))
