"""/api/v1/cases/: list, open, read, change, and the case's actions and history."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from diarium.audit.selectors import history_for_case
from diarium.core import idempotency
from diarium.core.pagination import CappedPagination
from diarium.core.problems import problem_responses
from diarium.registry import selectors, services
from diarium.registry.api import common, inputs
from diarium.registry.api.filters import CASE_PARAMETERS, CaseFilter
from diarium.registry.api.serializers import CaseSerializer, HistoryEventSerializer
from diarium.registry.models import Case

READ_ERRORS = problem_responses(401, 404)
WRITE_ERRORS = problem_responses(400, 401, 403, 404)


def _action_schema(summary: str, request=None) -> dict:
    responses = {200: CaseSerializer, **WRITE_ERRORS}
    return {"summary": summary, "request": request, "responses": responses}


@extend_schema_view(
    list=extend_schema(
        summary="List and search cases", parameters=CASE_PARAMETERS,
        responses={200: CaseSerializer(many=True), **problem_responses(400, 401)},
    ),
    create=extend_schema(
        summary="Open a case (gives it the next diarienummer)",
        request=inputs.CaseCreateInput, parameters=[idempotency.PARAMETER],
        responses={201: CaseSerializer, **problem_responses(400, 401, 403, 409)},
    ),
    retrieve=extend_schema(summary="Read a case", responses={200: CaseSerializer, **READ_ERRORS}),
    partial_update=extend_schema(
        summary="Change a case's fields", request=inputs.CaseUpdateInput,
        responses={200: CaseSerializer, **WRITE_ERRORS},
    ),
)
class CaseViewSet(viewsets.GenericViewSet):
    """Cases (ärenden). Every read goes through the registry's permission layer: another
    authority's secret case does not exist (404); a secret case of the user's own authority
    outside its access group is shown as a stub. Reading secret content is audited."""

    queryset = Case.objects.none()  # for the schema; reads go through the selectors
    pagination_class = CappedPagination  # a search may match very many cases
    serializer_class = CaseSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_object(self) -> Case:
        return common.lookup(selectors.get_case, self.request.user, self.kwargs["pk"])

    def _show(self, case: Case, code: int = status.HTTP_200_OK, shown: bool = True) -> Response:
        fresh = common.fresh_case(self.request.user, case)
        return Response(common.present_case(self.request, fresh, shown=shown), status=code)

    def list(self, request: Request) -> Response:
        filters = CaseFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        user = request.user
        qs = filters.fast(user, lambda found: common.with_case_details(user, found))
        if qs is None:
            qs = common.with_case_details(user, filters.apply(user))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(common.present_cases(request, page))

    def create(self, request: Request) -> Response:
        def create() -> Response:
            given = inputs.CaseCreateInput(data=request.data)
            given.is_valid(raise_exception=True)
            series = given.validated_data["series"]
            case = services.open_case(request.user, series, given.case_data())
            fresh = common.new_case(request.user, case)
            return Response(common.present_case(request, fresh, shown=False, opened=True),
                            status=status.HTTP_201_CREATED)

        return idempotency.idempotent(request, create)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._show(self.get_object())

    def partial_update(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        given = inputs.CaseUpdateInput(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        case = services.update_case(request.user, case, given.case_data(current=case))
        return self._show(case)

    @extend_schema(**_action_schema("Close a case (avsluta)", inputs.CloseInput))
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        given = _valid(inputs.CloseInput, request)
        return self._show(services.close_case(request.user, self.get_object(), given["note"]))

    @extend_schema(**_action_schema("Reopen a closed or dormant case"))
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self._show(services.reopen_case(request.user, self.get_object()))

    @extend_schema(**_action_schema("Set an open case dormant (vilande)"))
    @action(detail=True, methods=["post"])
    def dormant(self, request: Request, pk: str) -> Response:
        return self._show(services.set_dormant(request.user, self.get_object()))

    @extend_schema(**_action_schema("Void a case (makulera) with a reason", inputs.VoidInput))
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str) -> Response:
        given = _valid(inputs.VoidInput, request)
        return self._show(services.void_case(request.user, self.get_object(), given["reason"]))

    @extend_schema(**_action_schema("Relate the case to another case", inputs.RelateInput))
    @action(detail=True, methods=["post"])
    def relate(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        given = _valid(inputs.RelateInput, request)
        if "case" in given:
            other = common.lookup(selectors.get_case, request.user, given["case"])
        else:
            other = common.lookup(selectors.get_case_by_number, request.user, given["diarienummer"])
        services.relate_cases(request.user, case, other)
        return self._show(case)

    @extend_schema(**_action_schema("Add a party to the case", inputs.AddPartyInput))
    @action(detail=True, methods=["post"], url_path="parties")
    def add_party(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        given = _valid(inputs.AddPartyInput, request)
        services.add_party(request.user, case, given["party"], given["role"])
        return self._show(case)

    @extend_schema(**_action_schema("Add a user to the case's access group",
                                    inputs.GrantAccessInput))
    @action(detail=True, methods=["post"], url_path="access")
    def grant_access(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        given = _valid(inputs.GrantAccessInput, request)
        services.grant_case_access(request.user, case, given["user"])
        return self._show(case)

    @extend_schema(
        summary="The case's audit history (its documents' events included)",
        responses={200: HistoryEventSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        with common.page(request) as shown:
            if not shown.show_case(case):
                raise NotFound()
            hidden = selectors.unreadable_document_ids(request.user, case)
            events = history_for_case(case.pk).order_by("occurred_at", "id")
            page = self.paginate_queryset(events)
            data = HistoryEventSerializer(page, many=True, context={"hidden": hidden}).data
        return self.get_paginated_response(data)


def _valid(serializer_class: type[Serializer], request: Request) -> dict:
    given = serializer_class(data=request.data, context={"request": request})
    given.is_valid(raise_exception=True)
    return given.validated_data

