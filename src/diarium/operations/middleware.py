"""Counts every request for /metrics: method, status and time taken (metrics.py)."""

import time

from .metrics import observe


class MetricsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        observe(request.method or "", response.status_code, time.perf_counter() - started)
        return response
