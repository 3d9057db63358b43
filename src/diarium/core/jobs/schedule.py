"""Periodic jobs without cron: a schedule in the settings (JOB_SCHEDULE, from
DIARIUM_JOB_SCHEDULE), started by whichever worker sees a slot fall due first.

    JOB_SCHEDULE = {
        "fixity-audit": {"kind": "archive.fixity", "every": "1d", "at": "02:00"},
        "export-closed-cases": {"kind": "archive.export_cases", "every": "1h",
                                "params": {"ingest": True}},
    }

`every` is a number of seconds or "30s", "15m", "2h", "1d"; `at` ("HH:MM", Stockholm time)
is allowed with "1d" only. Slots without `at` are whole multiples of `every` since the
Unix epoch. A slot is a unique key on the job, so it is started once however many workers
run. A slot missed by more than JOB_SCHEDULE_GRACE_SECONDS (no worker was running then)
is skipped, so a worker started after a long pause does not replay the past. A new
periodic task (mailbox polling, notice take-down) is one more entry and one more kind."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError
from django.utils import timezone

from . import conf, kinds
from .models import Job

_EVERY = re.compile(r"^(\d+)\s*([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_AT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str
    every: int  # seconds
    at: dt.time | None = None
    params: dict = field(default_factory=dict)
    principal: str = ""

    def slot(self, now: dt.datetime) -> dt.datetime:
        """The latest slot at or before now."""
        if self.at is None:
            seconds = int(now.timestamp()) // self.every * self.every
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        local = timezone.localtime(now)
        today = timezone.make_aware(dt.datetime.combine(local.date(), self.at))
        if today > now:
            today = timezone.make_aware(dt.datetime.combine(
                local.date() - dt.timedelta(days=1), self.at))
        return today

    def key(self, slot: dt.datetime) -> str:
        return f"{self.name}@{slot.astimezone(dt.UTC).isoformat()}"


def _seconds(value: object, name: str) -> int:
    match = _EVERY.match(str(value).strip())
    if not match or int(match.group(1)) <= 0:
        raise ImproperlyConfigured(f"schedule {name!r}: every must be like 30s, 15m, 2h, 1d")
    return int(match.group(1)) * _UNITS[match.group(2)]


def entries() -> list[Entry]:
    found = []
    for name, spec in conf.schedule().items():
        if not isinstance(spec, dict) or not spec.get("kind"):
            raise ImproperlyConfigured(f"schedule {name!r}: needs a kind")
        every = _seconds(spec.get("every", ""), name)
        at = None
        if spec.get("at"):
            match = _AT.match(str(spec["at"]))
            if not match or every != 86400:
                raise ImproperlyConfigured(f"schedule {name!r}: at is HH:MM, with every 1d")
            at = dt.time(int(match.group(1)), int(match.group(2)))
        found.append(Entry(name=name, kind=str(spec["kind"]), every=every, at=at,
                           params=dict(spec.get("params") or {}),
                           principal=str(spec.get("principal") or f"system:{name}")))
    return found


def tick(now: dt.datetime | None = None) -> list[Job]:
    """Start every entry whose latest slot is due, within the grace, and not yet started."""
    from .services import start

    now = now or timezone.now()
    started = []
    for entry in entries():
        slot = entry.slot(now)
        if slot < now - conf.schedule_grace():
            continue
        key = entry.key(slot)
        if Job.objects.filter(slot=key).exists():
            continue
        kinds.get(entry.kind)
        try:
            started.append(start(entry.kind, principal=entry.principal, params=entry.params,
                                 slot=key))
        except IntegrityError:  # another worker started this slot a moment ago
            continue
    return started
