"""The numbers of the registry's search entries carry their case's place in the search's
order, so that a text search can read matches newest case first and stop after a page
(docs/performance.md, "Entries numbered in the cases' order").

Every case owns a *slot*: the seconds since 1800-01-01 (UTC) of its opening, times 2 048,
plus its place within the second (the fraction of the second, or the next free one when
another case holds it). A slot is assigned once, when the case's first entry is
written, and moves only when the case's opening moment is changed. Its entries are
numbered `-(slot * 2**18 + seq)`: seq 0, 1, 2 … in the order they were written, so a
case has room for 262 143 entries and all of them sit next to each other.

The numbers are negative so that ascending id order is newest case first (what FTS5
hands over cheapest), and so that they never meet the positive numbers the database
gives every other kind of entry (the e-archive's)."""

import datetime as dt
from collections.abc import Container

SEQ_BITS = 18
TIE_BITS = 11
SEQ_MASK = (1 << SEQ_BITS) - 1
EPOCH = dt.datetime(1800, 1, 1, tzinfo=dt.UTC)


def entry_id(slot: int, seq: int) -> int:
    if not 0 <= seq <= SEQ_MASK:
        raise ValueError(f"a case holds at most {SEQ_MASK + 1} search entries")
    return -((slot << SEQ_BITS) | seq)


def slot_of(entry: int) -> int:
    return (-entry) >> SEQ_BITS


def seq_of(entry: int) -> int:
    return (-entry) & SEQ_MASK


def first_slot(opened_at: dt.datetime) -> int:
    """The lowest slot of the second a case was opened in (1800 or before: the first)."""
    seconds = int((opened_at - EPOCH).total_seconds())
    return max(seconds, 1) << TIE_BITS


def fits(slot: int, opened_at: dt.datetime) -> bool:
    """Whether a slot belongs to that opening moment's second."""
    return slot >> TIE_BITS == first_slot(opened_at) >> TIE_BITS


def block(slots_from: int, slots_to: int) -> tuple[int, int]:
    """The entry ids (lowest, highest) of every entry of the slots slots_from..slots_to."""
    return entry_id(slots_to, SEQ_MASK), entry_id(slots_from, 0)


def likely_slot(opened_at: dt.datetime) -> int:
    """The slot of the opening moment's fraction of its second: cases opened a
    millisecond or more apart start from different slots (fewer writers meet), and the
    order within a second follows the opening moment."""
    return first_slot(opened_at) + opened_at.microsecond * (1 << TIE_BITS) // 1_000_000


def free_slot(start: int, taken: Container[int]) -> int:
    """The lowest slot from start that is not taken."""
    slot = start
    while slot in taken:
        slot += 1
    return slot


class SlotBook:
    """Slots and next entry numbers handed out in memory, for writers that fill a fresh
    table in one go (`diarium benchdata`): nothing is read back from the database."""

    def __init__(self) -> None:
        self.taken: set[int] = set()

    def case(self, opened_at: dt.datetime) -> int:
        slot = free_slot(likely_slot(opened_at), self.taken)
        self.taken.add(slot)
        return slot


LOWEST = -(1 << 63)  # below every entry id
