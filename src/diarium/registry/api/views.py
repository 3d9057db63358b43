"""/api/v1/series/, /api/v1/parties/ and /api/v1/inbox/."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core import idempotency
from diarium.core.problems import problem_responses
from diarium.registry import selectors, services
from diarium.registry.api import common, inputs
from diarium.registry.api.filters import PartyFilter, SeriesFilter
from diarium.registry.api.serializers import (
    DocumentSerializer,
    InboxItemSerializer,
    PartySerializer,
    SeriesSerializer,
)
from diarium.registry.models import DiarySeries, InboxItem, InboxSource, InboxStatus, Party


@extend_schema_view(
    list=extend_schema(summary="List diary series", parameters=[SeriesFilter]),
    retrieve=extend_schema(summary="Read a diary series"),
)
class SeriesViewSet(viewsets.ReadOnlyModelViewSet):
    """Diary series (diarieserier). They are not secret: every user sees all of them."""

    serializer_class = SeriesSerializer
    queryset = DiarySeries.objects.select_related("authority").order_by("code")

    def filter_queryset(self, queryset):
        filters = SeriesFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.apply(queryset)


@extend_schema_view(
    list=extend_schema(
        summary="List parties (identity numbers masked)", parameters=[PartyFilter],
        responses={200: PartySerializer(many=True), **problem_responses(400, 401)},
    ),
    create=extend_schema(
        summary="Add a party to the contact register", request=inputs.PartyInput,
        parameters=[idempotency.PARAMETER],
        responses={201: PartySerializer, **problem_responses(400, 401, 403, 409)},
    ),
    retrieve=extend_schema(
        summary="Read a party",
        description="The full identity number is shown to registrators, case officers and "
        "administrators; to others it is masked.",
        responses={200: PartySerializer, **problem_responses(401, 404)},
    ),
)
class PartyViewSet(viewsets.GenericViewSet):
    """Parties (parter): the contact register shared by all authorities."""

    queryset = Party.objects.none()  # for the schema; reads go through the selectors
    serializer_class = PartySerializer

    def _detail(self, party: Party, code: int = status.HTTP_200_OK) -> Response:
        full = selectors.can_read_identity_numbers(self.request.user)
        return Response(PartySerializer(party, context={"full_identity": full}).data, status=code)

    def list(self, request: Request) -> Response:
        filters = PartyFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        full = selectors.can_read_identity_numbers(request.user)
        found = filters.apply(selectors.parties(request.user), by_identity=full)
        page = self.paginate_queryset(found)
        return self.get_paginated_response(PartySerializer(page, many=True).data)

    def create(self, request: Request) -> Response:
        def create() -> Response:
            given = inputs.PartyInput(data=request.data)
            given.is_valid(raise_exception=True)
            party = services.create_party(request.user, **given.validated_data)
            return self._detail(party, status.HTTP_201_CREATED)

        return idempotency.idempotent(request, create)

    def retrieve(self, request: Request, pk: str) -> Response:
        party = common.lookup(lambda: selectors.parties(request.user).get(pk=pk))
        return self._detail(party)


STATUS_PARAMETER = OpenApiParameter(
    "status", str, enum=InboxStatus.values, required=False,
    description="`new` (default): mail waiting for an outcome; `placed`, `kept`, "
    "`dismissed`: mail that got that outcome.")


@extend_schema_view(
    list=extend_schema(summary="Mail of the authorities where I may register",
                       parameters=[STATUS_PARAMETER]),
    retrieve=extend_schema(summary="Read an inbox item"),
)
class InboxViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The inbox: mail received and waiting for one of the three outcomes the law gives
    (register it in a case, keep it in order, or not an official document)."""

    queryset = InboxItem.objects.none()  # for the schema; reads go through the selectors
    serializer_class = InboxItemSerializer

    def get_queryset(self):
        status_ = InboxStatus.NEW
        if self.action == "list":
            status_ = self.request.query_params.get("status") or InboxStatus.NEW
            if status_ not in InboxStatus.values:
                raise ValidationError({"status": ["Unknown status."]})
        elif self.action == "retrieve":
            status_ = None
        items = selectors.inbox_items(self.request.user, status_).prefetch_related(
            "inboxfile_set")
        return items.order_by("received_at", "id")

    @extend_schema(
        summary="Add an e-mail message (.eml or .msg) to an authority's inbox",
        request={"multipart/form-data": inputs.InboxMessageInput},
        responses={201: InboxItemSerializer, 200: InboxItemSerializer,
                   **problem_responses(400, 401, 403, 413)},
        description="201 with the new item; 200 with the existing item when the same "
        "message (Message-ID and content hash) is already in the authority's inbox.",
    )
    def create(self, request: Request) -> Response:
        given = inputs.InboxMessageInput(data=request.data)
        given.is_valid(raise_exception=True)
        authority = selectors.inbox_authorities(request.user).filter(
            code=given.validated_data["authority"]).first()
        if authority is None:
            raise ValidationError({"authority": ["No inbox of yours has this code."]})
        upload = given.validated_data["file"]
        item, created = services.receive_message(
            request.user, authority, upload.read(), name=upload.name or "meddelande.eml",
            source=InboxSource.UPLOAD)
        return Response(InboxItemSerializer(item).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary="Keep the mail in order without registering it (hålls ordnad)",
        request=inputs.KeepInboxInput,
        responses={200: InboxItemSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def keep(self, request: Request, pk: str) -> Response:
        item = common.lookup(lambda: self.get_queryset().get(pk=pk))
        given = inputs.KeepInboxInput(data=request.data)
        given.is_valid(raise_exception=True)
        item = services.keep_inbox_item(request.user, item, given.validated_data["kept_in"],
                                        given.validated_data.get("record_type") or None)
        return Response(InboxItemSerializer(item).data)

    @extend_schema(
        summary="Set the mail aside as not an official document, with a reason",
        request=inputs.DismissInboxInput,
        responses={200: InboxItemSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        item = common.lookup(lambda: self.get_queryset().get(pk=pk))
        given = inputs.DismissInboxInput(data=request.data)
        given.is_valid(raise_exception=True)
        item = services.dismiss_inbox_item(request.user, item, given.validated_data["reason"])
        return Response(InboxItemSerializer(item).data)

    @extend_schema(
        summary="Register the mail as a document in a case (existing or new)",
        request=inputs.PlaceInboxInput, parameters=[idempotency.PARAMETER],
        responses={201: DocumentSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def place(self, request: Request, pk: str) -> Response:
        def create() -> Response:
            item = common.lookup(lambda: self.get_queryset().get(pk=pk))
            given = inputs.PlaceInboxInput(data=request.data, context={"request": request})
            given.is_valid(raise_exception=True)
            data = given.document_data(
                title=item.subject, sender_recipient=item.sender,
                document_date=timezone.localdate(item.received_at),
            )
            if "case" in given.validated_data:
                case = common.lookup(selectors.get_case, request.user,
                                     given.validated_data["case"])
                doc = services.place_inbox_item(request.user, item, case, data)
            else:
                doc = services.place_inbox_item_in_new_case(
                    request.user, item, given.validated_data["series"], services.CaseData(
                        title=given.validated_data["case_title"],
                        public_title=given.validated_data.get("case_public_title", "")),
                    data)
            fresh = common.fresh_document(request.user, doc)
            body = common.present_document(request, fresh, shown=False)
            return Response(body, status=status.HTTP_201_CREATED)

        return idempotency.idempotent(request, create)
