"""Fees for copies (avgiftsförordningen 1992:191, 15-16 §§), as municipalities commonly
apply them: up to 9 pages free; 10 pages cost 50 kronor, and each page after that 2
kronor. Only copies cost: reading on site is free, as are documents sent electronically
where the authority has chosen so. The figures are settings (DIARIUM_DISCLOSURE_FEE_*)
because a municipality decides its own fee schedule for what the ordinance leaves open."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


@dataclass(frozen=True)
class Fee:
    pages: int
    amount: Decimal


def fee_for(pages: int) -> Fee:
    free = int(getattr(settings, "DISCLOSURE_FEE_FREE_PAGES", 9))
    base = Decimal(str(getattr(settings, "DISCLOSURE_FEE_BASE", "50")))
    per_page = Decimal(str(getattr(settings, "DISCLOSURE_FEE_PER_PAGE", "2")))
    if pages <= free:
        return Fee(pages, Decimal("0"))
    return Fee(pages, base + per_page * (pages - free - 1))
