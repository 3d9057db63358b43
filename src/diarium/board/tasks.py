"""The board's periodic job: settle the decisions whose appeal period is over (close the
cases that the decision ends). Notices need no job: whether a notice is up or in the
archive follows from its dates (board/selectors.py), so it comes down on time even when
no worker runs. Schedule it daily, e.g. JOB_SCHEDULE["board-settle"] =
{"kind": "board.settle", "every": "1d", "at": "00:30"}."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.board.services.minutes import settle_decisions
from diarium.core import actors
from diarium.core.jobs.kinds import kind


@kind("board.settle", label=_("Close cases whose board decision is final"))
def settle(job, progress) -> dict:
    closed = settle_decisions(actors.BOARD, timezone.localdate())
    return {"closed": [c.diary_number for c in closed]}
