"""Figures per authority and month (Stockholm months): requests received, median and
90th-percentile hours to answer, the share answered the same day, and refusals by OSL
provision (refused documents and masks, counted per provision). Computed from the rows:
a municipality's requests are thousands a year, not millions."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from diarium.core.calendar import STOCKHOLM
from diarium.disclosure import clock
from diarium.disclosure.models import DisclosureRequest, Mask, Outcome, RequestedItem


@dataclass
class Month:
    authority: str
    month: str  # YYYY-MM
    code: str = ""  # the authority's code, for the chart's labels
    received: int = 0
    answered: int = 0
    hours: list[float] = field(default_factory=list)
    same_day: int = 0
    refusals: Counter = field(default_factory=Counter)

    @property
    def median_hours(self) -> float | None:
        return percentile(self.hours, 50)

    @property
    def p90_hours(self) -> float | None:
        return percentile(self.hours, 90)

    @property
    def refusal_rows(self) -> list[tuple[str, int]]:
        return sorted(self.refusals.items())

    @property
    def same_day_share(self) -> float | None:
        return self.same_day / self.answered if self.answered else None


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (no interpolation: a figure a real request had)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def monthly(authority_ids) -> list[Month]:
    rows: dict[tuple, Month] = {}
    requests = DisclosureRequest.objects.filter(authority_id__in=authority_ids) \
        .select_related("authority").order_by("received_at")
    for req in requests:
        key = (req.authority.name, req.received_at.astimezone(STOCKHOLM).strftime("%Y-%m"))
        month = rows.setdefault(key, Month(*key, code=req.authority.code))
        month.received += 1
        if req.answered_at is not None:
            month.answered += 1
            month.hours.append(round(clock.age_hours(req.received_at, req.answered_at), 1))
            month.same_day += clock.same_day(req.received_at, req.answered_at)
    by_request = {r.pk: (r.authority.name, r.received_at.astimezone(STOCKHOLM)
                         .strftime("%Y-%m")) for r in requests}
    refused = RequestedItem.objects.filter(request_id__in=list(by_request),
                                           outcome=Outcome.REFUSED)
    for request_id, provision in refused.values_list("request_id", "provision"):
        rows[by_request[request_id]].refusals[provision] += 1
    masks = Mask.objects.filter(item__request_id__in=list(by_request), active=True) \
        .values_list("item__request_id", "provision").distinct()
    counted = defaultdict(set)
    for request_id, provision in masks:
        counted[request_id].add(provision)
    for request_id, provisions in counted.items():
        for provision in provisions:
            rows[by_request[request_id]].refusals[provision] += 1
    return sorted(rows.values(), key=lambda m: (m.authority, m.month))


CSV_HEADER = ["authority", "month", "received", "answered", "median_hours", "p90_hours",
              "same_day_share", "refusals"]


def csv_rows(months: list[Month]) -> list[list]:
    def fmt(value):
        return "" if value is None else f"{value:.2f}"

    return [[m.authority, m.month, m.received, m.answered, fmt(m.median_hours),
             fmt(m.p90_hours), fmt(m.same_day_share),
             "; ".join(f"{p} {n}" for p, n in sorted(m.refusals.items()))] for m in months]
