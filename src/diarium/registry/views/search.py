"""Searching cases; with no criteria, the list of all cases the user can see."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diarium.core.pages import paginate_capped
from diarium.registry import selectors
from diarium.registry.forms import SearchForm
from diarium.registry.views import common


@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = SearchForm(request.GET)
    found = None
    with common.page(request) as shown:
        if form.is_valid():
            criteria = form.criteria()
            items = selectors.fast_search(user, criteria)
            if items is None:
                items = selectors.search_cases(user, criteria)
            found = paginate_capped(request, items)
            found.object_list = list(found.object_list)
            common.mark_readable(shown, found.object_list)
            words = form.cleaned_data.get("q", "")
            hits = selectors.file_hits(shown, [c for c in found.object_list if c.readable],
                                       words)
            for case in found.object_list:
                case.hits = hits.get(case.pk, [])
        return render(request, "registry/search.html", {"form": form, "page": found})

