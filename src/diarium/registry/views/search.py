"""Searching cases; with no criteria, the list of all cases the user can see."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diarium.core.pages import paginate
from diarium.registry import selectors
from diarium.registry.forms import SearchForm
from diarium.registry.views.common import mark_readable


@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = SearchForm(request.GET)
    page = None
    if form.is_valid():
        page = paginate(request, selectors.search_cases(user, form.criteria()))
        page.object_list = list(page.object_list)
        mark_readable(user, page.object_list)
    return render(request, "registry/search.html", {"form": form, "page": page})

