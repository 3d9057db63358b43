"""The dispatch endpoints beside the registry's (/api/v1/dispatches/ and
/api/v1/distribution-lists/). Every write is one service call (dispatch/services.py);
reads go through dispatch/selectors.py. An e-mail dispatch answers 202 at once: the job
sends it, and the dispatch shows each recipient's outcome."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.jobs.api import JobSerializer, accepted, job_url
from diarium.core.jobs.models import Job
from diarium.core.problems import problem_responses
from diarium.core.serializers import Serializer
from diarium.organisation.models import Unit, User
from diarium.organisation.selectors import REGISTERING_ROLES, access_for
from diarium.registry import selectors as registry
from diarium.registry.api.common import lookup, page
from diarium.registry.dispatch import selectors
from diarium.registry.dispatch import services as dispatching
from diarium.registry.dispatch.models import (
    Dispatch,
    DispatchChannel,
    DistributionList,
    RecipientKind,
)
from diarium.registry.dispatch.recipients import RecipientInput


class MemberSerializer(Serializer):
    kind = serializers.ChoiceField(choices=RecipientKind.choices)
    party = serializers.UUIDField(source="party_id", allow_null=True, read_only=True)
    unit = serializers.UUIDField(source="unit_id", allow_null=True, read_only=True)
    user = serializers.IntegerField(source="user_id", allow_null=True, read_only=True)
    name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    postal_address = serializers.CharField(allow_blank=True)


class RecipientSerializer(MemberSerializer):
    state = serializers.CharField()
    attempts = serializers.IntegerField()
    sent_at = serializers.DateTimeField(allow_null=True)
    message_id = serializers.CharField(help_text="The Message-ID of the e-mail sent.")
    server_reply = serializers.CharField(help_text="The server's answer to the message, or "
                                         "why it was not sent.")
    list_version = serializers.UUIDField(source="list_version_id", allow_null=True)


class ListVersionSerializer(Serializer):
    id = serializers.UUIDField()
    list = serializers.UUIDField(source="list_id")
    number = serializers.IntegerField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    members = MemberSerializer(many=True, source="members.all")


class DispatchSerializer(Serializer):
    id = serializers.UUIDField()
    document = serializers.UUIDField(source="document_id")
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None)
    sent_content = serializers.CharField(help_text="SHA-256 of the bytes sent (e-mail: the "
                                         "PDF/A rendition).")
    channel = serializers.ChoiceField(choices=DispatchChannel.choices)
    subject = serializers.CharField()
    created_at = serializers.DateTimeField()
    dispatched_at = serializers.DateTimeField(allow_null=True, help_text="When the first "
                                              "recipient got it: the document counts as "
                                              "dispatched (expedierad) from then.")
    lists = ListVersionSerializer(many=True, source="lists.all")
    recipients = RecipientSerializer(many=True, source="recipients.all")
    jobs = serializers.SerializerMethodField()

    def get_jobs(self, dispatch: Dispatch) -> list[str]:
        found = Job.objects.filter(kind=dispatching.SEND, subject_id=str(dispatch.pk))
        return [job_url(job) for job in found.order_by("created_at")]


class RecipientInputSerializer(Serializer):
    kind = serializers.ChoiceField(choices=RecipientKind.choices)
    party = serializers.UUIDField(required=False, allow_null=True)
    unit = serializers.UUIDField(required=False, allow_null=True)
    user = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    email = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    postal_address = serializers.CharField(required=False, allow_blank=True)


class DispatchInputSerializer(Serializer):
    document = serializers.UUIDField()
    channel = serializers.ChoiceField(choices=DispatchChannel.choices)
    recipients = RecipientInputSerializer(many=True, required=False)
    lists = serializers.ListField(child=serializers.UUIDField(), required=False)
    subject = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    posted_on = serializers.DateField(required=False, allow_null=True)


def _shown(request: Request, doc) -> None:
    """Through the visibility policy's page: a document whose content the user may not
    read has no dispatches to show (404), and a secret one's read is audited."""
    with page(request) as shown:
        if not shown.show_document(doc):
            raise NotFound()


def _by_id(qs, pk):
    return lookup(lambda: qs.get(pk=pk))


def _recipient(user: User, given: dict) -> RecipientInput:
    """A recipient of the API: a party, unit or staff member the user may see, by id."""
    party = unit = staff = None
    if given.get("party"):
        party = _by_id(registry.parties(user), given["party"])
    if given.get("unit"):
        unit = _by_id(Unit.objects.all(), given["unit"])
    if given.get("user"):
        staff = _by_id(User.objects.filter(is_active=True), given["user"])
    return RecipientInput(given["kind"], party=party, unit=unit, user=staff,
                          name=given.get("name", ""), email=given.get("email", ""),
                          postal_address=given.get("postal_address", ""))


@extend_schema(tags=["dispatch"])
class DispatchViewSet(viewsets.GenericViewSet):
    """Dispatches (expedieringar) of final documents by e-mail or post."""

    queryset = Dispatch.objects.none()
    serializer_class = DispatchSerializer

    @extend_schema(summary="The dispatches of a document",
                   parameters=[OpenApiParameter("document", OpenApiTypes.UUID, required=True)],
                   responses={200: DispatchSerializer(many=True),
                              **problem_responses(401, 404)})
    def list(self, request: Request) -> Response:
        doc = lookup(registry.get_document, request.user, request.query_params.get("document"))
        _shown(request, doc)
        found = selectors.document_dispatches(request.user, doc)
        return Response(DispatchSerializer(found, many=True).data)

    @extend_schema(summary="A dispatch with each recipient's outcome",
                   responses={200: DispatchSerializer, **problem_responses(401, 404)})
    def retrieve(self, request: Request, pk=None) -> Response:
        dispatch = lookup(selectors.get_dispatch, request.user, pk)
        _shown(request, dispatch.document)
        return Response(DispatchSerializer(dispatch).data)

    @extend_schema(
        summary="Dispatch a final document",
        description="By e-mail: answered 202 at once, the job sends (follow `jobs`). By "
        "post: recorded as posted (201); the address pages and cover letters are at "
        "/expedieringar/{id}/utskrift.pdf. A bad recipient refuses the whole dispatch.",
        request=DispatchInputSerializer,
        responses={201: DispatchSerializer, 202: DispatchSerializer,
                   **problem_responses(400, 401, 403, 404)})
    def create(self, request: Request) -> Response:
        given = DispatchInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = request.user
        doc = lookup(registry.get_document, user, data["document"])
        usable = selectors.usable_lists(user, doc.case.authority_id)
        lists = [_by_id(usable, pk) for pk in data.get("lists", [])]
        wanted = dispatching.DispatchRequest(
            recipients=[_recipient(user, r) for r in data.get("recipients", [])],
            lists=lists, subject=data.get("subject", ""))
        if data["channel"] == DispatchChannel.POST:
            made = dispatching.dispatch_by_post(user, doc, wanted, data.get("posted_on"))
            code = status.HTTP_201_CREATED
        else:
            made = dispatching.dispatch_by_email(user, doc, wanted)
            code = status.HTTP_202_ACCEPTED
        return Response(DispatchSerializer(selectors.get_dispatch(user, made.pk)).data,
                        status=code)

    @extend_schema(summary="Send again to the recipients that failed", request=None,
                   responses={202: JobSerializer, **problem_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk=None) -> Response:
        dispatch = lookup(selectors.get_dispatch, request.user, pk)
        return accepted(dispatching.retry(request.user, dispatch))


class DistributionListSerializer(Serializer):
    id = serializers.UUIDField()
    authority = serializers.CharField(source="authority.code")
    name = serializers.CharField()
    active = serializers.BooleanField()
    current = ListVersionSerializer()


@extend_schema(tags=["dispatch"])
class DistributionListViewSet(viewsets.ReadOnlyModelViewSet):
    """The distribution lists (sändlistor) of the authorities the user registers in, with
    their current version. A dispatch shows the version it used."""

    serializer_class = DistributionListSerializer
    queryset = DistributionList.objects.none()

    def get_queryset(self):
        user = self.request.user
        ids = access_for(user).authorities_with(REGISTERING_ROLES)
        return DistributionList.objects.filter(Q(authority_id__in=ids)).filter(
            current__isnull=False).select_related("authority", "current").prefetch_related(
            "current__members").order_by("authority__code", "name")
