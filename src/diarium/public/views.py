"""The public diary's pages (/insyn/): no login, Swedish, read from the projection only
(selectors.py). Thin: parse the request, ask a selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from diarium.core import problems
from diarium.documents.models import StoredFile
from diarium.documents.services import open_content
from diarium.public import selectors
from diarium.public.filters import KIND_DOCUMENTS, PAGE_SIZE, SearchForm, page_number
from diarium.public.throttles import refused_for

REQUEST_URL = "/insyn/begar/"


def request_link(document_id) -> str:
    """The request form of the disclosure app for this registry document."""
    return f"{REQUEST_URL}?document={document_id}"


def not_found(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "public/not_found.html", {"message": message}, status=404)


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(request, "public/too_many.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _authority_choices() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in selectors.authorities()]


def home(request: HttpRequest) -> HttpResponse:
    form = SearchForm(authorities=_authority_choices(), record_types=selectors.record_types())
    return render(request, "public/home.html", {
        "form": form, "authorities": selectors.authorities(),
    })


def search(request: HttpRequest) -> HttpResponse:
    wait = refused_for(request)
    if wait is not None:
        return _too_many(request, wait)
    form = SearchForm(request.GET, authorities=_authority_choices(),
                      record_types=selectors.record_types())
    if not form.is_valid():
        return render(request, "public/search.html", {"form": form}, status=400)
    filters = form.cleaned_data
    found = (selectors.documents(filters) if filters["kind"] == KIND_DOCUMENTS
             else selectors.cases(filters))
    page = Paginator(found, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return render(request, "public/search.html", {
        "form": form, "page": page, "kind": filters["kind"], "searched": True,
    })


def case(request: HttpRequest, case_id) -> HttpResponse:
    row = selectors.case(case_id)
    if row is None:
        return not_found(request)
    documents = list(selectors.case_documents(row))
    # One request for every document of the case that can still be asked for (the
    # request form takes at most 50 at a time).
    requestable = [d.pk for d in documents if d.status not in ("voided", "disposed")][:50]
    return render(request, "public/case.html", {
        "case": row, "documents": documents,
        "request_all": "/insyn/begar/?" + urlencode([("document", pk) for pk in requestable])
        if len(requestable) > 1 else "",
    })


def document(request: HttpRequest, document_id) -> HttpResponse:
    row = selectors.document(document_id)
    if row is None:
        return not_found(request)
    return render(request, "public/document.html", {"document": row})


def download(request: HttpRequest, file_id) -> HttpResponse:
    """A published file: only files the projection holds (public documents of publishable
    record types), served from the file store by their hash."""
    item = selectors.file(file_id)
    if item is None:
        return not_found(request, _("The file is not published. You can request the "
                                    "document instead."))
    try:
        stream = open_content(StoredFile(sha256=item.content))
    except (FileNotFoundError, OSError):
        return not_found(request, _("The file is not available."))
    return FileResponse(stream, as_attachment=True, filename=item.download_name,
                        content_type=item.mime_type)


def postlista(request: HttpRequest, code: str = "") -> HttpResponse:
    wait = refused_for(request)
    if wait is not None:
        return _too_many(request, wait)
    authority = None
    if code:
        authority = selectors.authority_by_code(code)
        if authority is None:
            return not_found(request)
    days = _days(request.GET.get("dagar"))
    found = selectors.postlista(authority, days)
    page = Paginator(found, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return render(request, "public/postlista.html", {
        "authority": authority, "authorities": selectors.authorities(), "days": days,
        "day_choices": [1, 7, 14, 31], "page": page,
        "feed": reverse("public:feed_atom", args=[code]) if code else "",
        "rss": reverse("public:feed_rss", args=[code]) if code else "",
    })


def _days(raw: str | None) -> int:
    try:
        value = int(str(raw or selectors.POSTLISTA_DAYS)[:4])
    except ValueError:
        value = selectors.POSTLISTA_DAYS
    return min(max(1, value), selectors.MAX_POSTLISTA_DAYS)


def registers(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.registers())
    return render(request, "public/registers.html", {
        "kept": [r for r in rows if r.kind == "kept_in_order"],
        "systems": [r for r in rows if r.kind == "it_system"],
    })


def about_api(request: HttpRequest) -> HttpResponse:
    return render(request, "public/about_api.html", {})


# Error pages of the public host name (host_urls.py): the public layout, and problem+json
# under /api/ as on the staff host.
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problems.page_not_found(request, exception)
    return not_found(request)


def _error(request: HttpRequest, status: int, title: str) -> HttpResponse:
    return render(request, "public/error.html", {"title": title}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problems.bad_request(request, exception)
    return _error(request, 400, _("Bad request"))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problems.permission_denied(request, exception)
    return _error(request, 403, _("Access denied"))


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problems.server_error(request)
    return _error(request, 500, _("Something went wrong"))
