"""The shell of the staff UI: the home page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from diarium.core.shortcuts import SHORTCUTS
from diarium.registry import selectors
from diarium.registry.visibility import policy_for

PAGE_SIZE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Mina ärenden: the user's open and dormant cases, and the size of the inbox."""
    user = request.user
    page = Paginator(selectors.my_cases(user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    with policy_for(user).page("web:home") as shown:
        shown.readable_cases(page.object_list)  # the list shows titles: secret ones audited
        return render(request, "web/home.html", {
            "page": page,
            "inbox_count": selectors.inbox_items(user).count(),
            "notifications": list(selectors.unread_notifications(user)[:20]),
            "today": timezone.localdate(),
        })


@login_required
def shortcuts(request: HttpRequest) -> HttpResponse:
    """The keyboard shortcuts (web/shortcuts.py); no data of any case."""
    return render(request, "web/shortcuts.html", {"shortcuts": SHORTCUTS})
