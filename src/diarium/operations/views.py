"""/health/live, /health/ready and /metrics: for load balancers and monitoring, without a
login (docs/operations.md)."""

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from . import access, health, metrics


@require_safe
def live(request):
    """The process answers. No database, no storage: a failure here means restart it."""
    return JsonResponse({"status": "ok"})


@require_safe
def ready(request):
    """Whether this process can serve: 200 when no check fails, else 503 (health.py)."""
    ok, checks = health.readiness()
    body = {"status": "ok" if ok else "fail",
            "checks": {c.name: {"status": c.status, **c.detail} for c in checks}}
    return JsonResponse(body, status=200 if ok else 503)


@require_safe
def metrics_view(request):
    if not access.configured():
        raise Http404
    decision = access.decide(request)
    if decision == access.NO_TOKEN:
        response = HttpResponse("a bearer token is required\n", status=401,
                                content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if decision != access.ALLOWED:
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
