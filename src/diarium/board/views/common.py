"""What the board's staff and member pages share: running a service for a POST and
showing its refusal as a message (status 400 for bad input, 403 for a missing role)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from diarium.board import selectors
from diarium.board.models import AgendaItem, Meeting
from diarium.core import pages


def run(request: HttpRequest, back: str, action: Callable[[], object],
        done: str = "") -> HttpResponse:
    """Run a service; on success go back (303) with `done` as a message; refused input
    answers 400 with the reason and a link back (nothing was written: services are
    transactional)."""
    try:
        action()
    except ValidationError as exc:
        return render(request, "board/refused.html",
                      {"message": pages.error_text(exc), "back": back}, status=400)
    if done:
        messages.success(request, done)
    response = HttpResponseRedirect(back)
    response.status_code = 303
    return response


def secretary_meeting(request: HttpRequest, meeting_id) -> Meeting:
    """A meeting of a body the user is secretary of (404 otherwise)."""
    return get_object_or_404(selectors.meetings_for_secretary(request.user), pk=meeting_id)


def secretary_item(request: HttpRequest, item_id) -> AgendaItem:
    item = one_or_404(AgendaItem.objects.select_related("meeting__body"), item_id)
    if not selectors.meetings_for_secretary(request.user).filter(pk=item.meeting_id).exists():
        raise PermissionDenied
    return item


def one_or_404(queryset, pk):
    """The row of the queryset with that id; a malformed or unknown id is a 404."""
    try:
        return get_object_or_404(queryset, pk=pk)
    except (ValidationError, ValueError) as exc:
        raise Http404 from exc
