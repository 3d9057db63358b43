"""The board's periodic jobs, started by the workers from the job schedule
(settings.JOB_SCHEDULE, docs/jobs.md):

- `board.daily` (the default `board-daily` entry, every day at 00:30 as `system:board`):
  justering alerts from day 10 and after day 14, recording notices taken down after their
  three weeks, and closing the cases whose decision became final
  (board/services/daily.py).
- `board.settle`: the settling step alone (kept for schedules that name it)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.board.services.daily import run_daily
from diarium.board.services.minutes import settle_decisions
from diarium.core import actors
from diarium.core.jobs.kinds import kind


def _actor(job):
    return actors.principal(job.principal) if job.principal else actors.BOARD


@kind("board.daily", label=_("The board's daily work: justering alerts, notices taken "
                             "down, decisions settled"))
def daily(job, progress) -> dict:
    progress.set(0, 3, "board")
    result = run_daily(_actor(job), timezone.localdate())
    progress.set(3, 3, "done")
    return result.as_dict()


@kind("board.settle", label=_("Close cases whose board decision is final"))
def settle(job, progress) -> dict:
    closed = settle_decisions(_actor(job), timezone.localdate())
    return {"closed": [c.diary_number for c in closed]}
