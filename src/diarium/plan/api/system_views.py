"""/api/v1/systems/, /api/v1/checklist-templates/ and /api/v1/checklists/."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.problems import problem_responses
from diarium.plan import choices, selectors, services
from diarium.plan.api import inputs
from diarium.plan.api.common import IsStaffMember
from diarium.plan.api.serializers import (
    ChecklistSerializer,
    SystemSerializer,
    TemplateSerializer,
)
from diarium.plan.models import Checklist, ChecklistItem, ChecklistTemplate, ITSystem

READ = problem_responses(401, 403, 404)
WRITE = problem_responses(400, 401, 403, 404)


def _municipality(request: Request):
    municipality = choices.home_municipality(request.user)
    if municipality is None:
        raise PermissionDenied(_("You hold no role in any authority."))
    return municipality


@extend_schema_view(
    list=extend_schema(summary="List the systems register"),
    retrieve=extend_schema(summary="Read a system's entry",
                           responses={200: SystemSerializer, **READ}),
    create=extend_schema(summary="Register a system", request=inputs.SystemInput,
                         responses={201: SystemSerializer, **WRITE}),
    update=extend_schema(summary="Replace a system's entry", request=inputs.SystemInput,
                         responses={200: SystemSerializer, **WRITE}),
    partial_update=extend_schema(summary="Change some of a system's fields",
                                 request=inputs.SystemInput,
                                 responses={200: SystemSerializer, **WRITE}),
)
class SystemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The IT systems that hold official records (systemförteckning). Entries are never
    deleted: a system that is no longer used gets the status `retired`."""

    serializer_class = SystemSerializer
    permission_classes = [IsStaffMember]
    queryset = ITSystem.objects.none()  # for the schema; reads go through the selectors

    def get_queryset(self):
        return selectors.visible_systems(self.request.user).prefetch_related("record_types")

    def create(self, request: Request) -> Response:
        given = inputs.SystemInput(data=request.data)
        given.is_valid(raise_exception=True)
        system = services.create_system(request.user, _municipality(request),
                                        given.system_data())
        return Response(SystemSerializer(system).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        system = self.get_object()
        given = inputs.SystemInput(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        current = inputs.SystemInput.current(system) if partial else None
        system = services.update_system(request.user, system, given.system_data(current))
        return Response(SystemSerializer(system).data)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)


@extend_schema_view(
    list=extend_schema(summary="List checklist templates"),
    retrieve=extend_schema(summary="Read a checklist template",
                           responses={200: TemplateSerializer, **READ}),
    create=extend_schema(summary="Make a checklist template", request=inputs.TemplateInput,
                         responses={201: TemplateSerializer, **WRITE}),
)
class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Procurement and decommissioning checklists that archivists and administrators edit."""

    serializer_class = TemplateSerializer
    permission_classes = [IsStaffMember]
    queryset = ChecklistTemplate.objects.none()  # for the schema

    def get_queryset(self):
        municipality = choices.home_municipality(self.request.user)
        if municipality is None:
            return ChecklistTemplate.objects.none()
        return selectors.checklist_templates(self.request.user, municipality.pk)

    def create(self, request: Request) -> Response:
        given = inputs.TemplateInput(data=request.data)
        given.is_valid(raise_exception=True)
        v = given.validated_data
        template = services.create_template(request.user, _municipality(request), v["kind"],
                                            v["name"], given.item_data())
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Replace a template's items (started checklists keep theirs)",
                   request=inputs.TemplateItemsInput,
                   responses={200: TemplateSerializer, **WRITE})
    @action(detail=True, methods=["put"])
    def items(self, request: Request, pk: str) -> Response:
        template = self.get_object()
        given = inputs.TemplateItemsInput(data=request.data)
        given.is_valid(raise_exception=True)
        template = services.set_template_items(request.user, template, given.item_data())
        return Response(TemplateSerializer(template).data)


@extend_schema_view(
    list=extend_schema(summary="List checklists", parameters=[inputs.ChecklistQuery]),
    retrieve=extend_schema(summary="Read a checklist with its items",
                           responses={200: ChecklistSerializer, **READ}),
    create=extend_schema(summary="Start a checklist for a system from a template",
                         request=inputs.StartChecklistInput,
                         responses={201: ChecklistSerializer, **WRITE}),
)
class ChecklistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """A system's checklists: who ticked each item, and when."""

    serializer_class = ChecklistSerializer
    permission_classes = [IsStaffMember]
    queryset = Checklist.objects.none()  # for the schema; reads go through the selectors

    def get_queryset(self):
        systems = selectors.visible_systems(self.request.user)
        if self.action == "list":
            query = inputs.ChecklistQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            if "system" in query.validated_data:
                systems = systems.filter(pk=query.validated_data["system"])
        return Checklist.objects.filter(system__in=systems).order_by("created_at", "id")

    def create(self, request: Request) -> Response:
        given = inputs.StartChecklistInput(data=request.data)
        given.is_valid(raise_exception=True)
        v = given.validated_data
        checklist = services.start_checklist(request.user, v["system"], v["template"])
        return Response(ChecklistSerializer(checklist).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Tick an item (or untick it), remembering who and when",
                   request=inputs.TickInput, responses={200: ChecklistSerializer, **WRITE})
    @action(detail=True, methods=["post"])
    def tick(self, request: Request, pk: str) -> Response:
        checklist = self.get_object()
        given = inputs.TickInput(data=request.data)
        given.is_valid(raise_exception=True)
        v = given.validated_data
        try:
            item = choices.get_checklist_item(request.user, v["item"])
        except ChecklistItem.DoesNotExist:
            item = None
        if item is None or item.checklist_id != checklist.pk:
            raise NotFound(_("The checklist has no such item."))
        services.tick_item(request.user, item, done=v["done"], note=v["note"])
        return Response(ChecklistSerializer(checklist).data)
