"""/api/v1/jobs/: long work's state, progress and outcome; administrators retry failed
jobs. An endpoint that starts work answers 202 with the job's URL here (`accepted`)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from diarium.core.problems import problem_responses

from . import kinds, selectors, services
from .models import Job, JobState


class JobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    kind_label = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    message_label = serializers.CharField(
        read_only=True, help_text="The progress message in the request's language.")
    started_by = serializers.CharField(source="starter", read_only=True)
    page = serializers.SerializerMethodField(help_text="The page of what the job made.")

    class Meta:
        model = Job
        fields = ["id", "url", "kind", "kind_label", "subject_type", "subject_id", "state",
                  "state_label", "done", "total", "percent", "message", "message_label", "result",
                  "error",
                  "attempts", "max_attempts", "started_by", "created_at", "started_at",
                  "finished_at", "updated_at", "page"]
        read_only_fields = fields

    def get_url(self, job: Job) -> str:
        return job_url(job)

    def get_kind_label(self, job: Job) -> str:
        return kinds.label(job.kind)

    def get_page(self, job: Job) -> str | None:
        return kinds.link(job)


class JobDetailSerializer(JobSerializer):
    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "log"]
        read_only_fields = fields


def job_url(job: Job) -> str:
    return reverse("api:job-detail", args=[job.pk])


def accepted(job: Job) -> Response:
    """The answer of an endpoint that queued work: 202, the job, and where to follow it."""
    return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED,
                    headers={"Location": job_url(job)})


STATE = OpenApiParameter("state", str, enum=JobState.values, required=False)
KIND = OpenApiParameter("kind", str, required=False)


@extend_schema_view(
    list=extend_schema(summary="Jobs I may see (administrators: all)", parameters=[STATE, KIND],
                       responses={200: JobSerializer(many=True), **problem_responses(401)}),
    retrieve=extend_schema(summary="A job's state, progress and outcome",
                           responses={200: JobDetailSerializer,
                                      **problem_responses(401, 404)}),
)
class JobViewSet(viewsets.GenericViewSet):
    """Background jobs: ingest, fixity audits, disposal, exports, DIP builds."""

    queryset = Job.objects.none()
    serializer_class = JobSerializer

    def _job(self, pk: str) -> Job:
        try:
            return selectors.job(self.request.user, pk)
        except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
            raise exceptions.NotFound() from exc

    def list(self, request: Request) -> Response:
        state = request.query_params.get("state", "")
        if state and state not in JobState.values:
            raise exceptions.ValidationError({"state": [f"one of {', '.join(JobState.values)}"]})
        found = selectors.jobs(request.user, state=state,
                               kind=request.query_params.get("kind", ""))
        page = self.paginate_queryset(found)
        return self.get_paginated_response(JobSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(JobDetailSerializer(self._job(pk)).data)

    @extend_schema(summary="Run a failed job again (administrators)", request=None,
                   responses={202: JobSerializer, **problem_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        return accepted(services.retry(request.user, self._job(pk)))
