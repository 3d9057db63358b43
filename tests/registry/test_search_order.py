"""The registry's search entries numbered in their cases' order (search/order.py): a
case's entries sit together in its slot, newer cases have lower numbers, a changed
opening moment moves them, a number another writer took is skipped, and the migration
numbers an existing index the same way. The text search reads its pages from them
(selectors.CaseHits)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Max, Min

from diarium.registry import indexing, selectors
from diarium.registry.models import Case
from diarium.registry.selectors import CaseSearch
from diarium.search import order
from diarium.search.backends import Entry, index
from diarium.search.models import SearchEntry
from tests import factories as f
from tests.registry.test_english_codes import migrate, migrate_to_latest

UTC = dt.UTC
pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    ser = f.series(f.authority("KS"), "KS")
    return ser, f.user(roles={ser.authority: "registrar"})


def span(case) -> tuple[int, int]:
    """(lowest, highest) entry id of a case."""
    row = SearchEntry.objects.filter(case_id=case.pk).aggregate(lo=Min("id"), hi=Max("id"))
    return row["lo"], row["hi"]


def opened(case, moment: dt.datetime) -> Case:
    """Change a case's opening moment as a correction would, and index it again."""
    Case.objects.filter(pk=case.pk).update(opened_at=moment)
    case = Case.objects.get(pk=case.pk)
    indexing.index_case(case)
    return case


def found(user, text: str, first: int = 0, last: int = 100) -> list[str]:
    hits = selectors.fast_search(user, CaseSearch(text=text))
    return [c.title for c in hits[first:last]]


def test_a_cases_entries_sit_together_newest_case_first(ks):
    ser, reg = ks
    older = f.case(reg, ser, "Detaljplan Ekbacken")
    newer = opened(f.case(reg, ser, "Detaljplan Norrby"),
                   older.opened_at + dt.timedelta(seconds=5))
    f.document(reg, older, "Samrådsyttrande om detaljplan")  # written after the newer case
    for case in (older, newer):
        lo, hi = span(case)
        assert order.slot_of(lo) == order.slot_of(hi)
        assert SearchEntry.objects.filter(id__gte=lo, id__lte=hi).exclude(
            case_id=case.pk).count() == 0
    assert span(newer)[1] < span(older)[0]  # every entry of the newer case comes first
    assert found(reg, "detaljplan") == ["Detaljplan Norrby", "Detaljplan Ekbacken"]


def test_cases_opened_in_the_same_second_get_their_own_slots(ks):
    ser, reg = ks
    moment = dt.datetime(2024, 3, 5, 10, 0, 0, tzinfo=UTC)
    first = opened(f.case(reg, ser, "Bygglov Alfa"), moment)
    second = opened(f.case(reg, ser, "Bygglov Beta"), moment.replace(microsecond=1))
    slots = [order.slot_of(span(c)[0]) for c in (first, second)]
    assert slots == [order.first_slot(moment), order.first_slot(moment) + 1]
    assert found(reg, "bygglov") == ["Bygglov Beta", "Bygglov Alfa"]


def test_a_changed_opening_moment_moves_the_entries(ks):
    ser, reg = ks
    case = f.case(reg, ser, "Tillsyn Storgatan")
    f.document(reg, case, "Tillsynsprotokoll")
    f.case(reg, ser, "Tillsyn Kvarngatan")
    entries = SearchEntry.objects.filter(case_id=case.pk).count()
    case = opened(case, dt.datetime(2015, 6, 1, 8, 30, tzinfo=UTC))
    lo, hi = span(case)
    assert order.fits(order.slot_of(lo), case.opened_at) and order.slot_of(hi) == order.slot_of(lo)
    assert SearchEntry.objects.filter(case_id=case.pk).count() == entries
    assert found(reg, "tillsyn") == ["Tillsyn Kvarngatan", "Tillsyn Storgatan"]


def test_a_number_another_writer_took_is_skipped(ks):
    ser, reg = ks
    case = f.case(reg, ser, "Avtal om städning")
    taken = span(case)[0] - 1  # the number the next entry of the case would get
    SearchEntry.objects.create(id=taken, key="document:someone-else", case_id=case.pk,
                               body="annat", authority_id=case.authority_id)
    index([Entry("document:mine", case.pk, False, "avtalsbilaga",
                 authority=case.authority_id, opened_at=case.opened_at)])
    mine = SearchEntry.objects.get(key="document:mine")
    assert mine.id < taken and order.slot_of(mine.id) == order.slot_of(taken)


def test_a_case_holds_a_bounded_number_of_entries():
    with pytest.raises(ValueError, match="at most"):
        order.entry_id(order.first_slot(dt.datetime.now(UTC)), order.SEQ_MASK + 1)


def test_pages_read_only_as_far_as_they_need(ks, monkeypatch):
    ser, reg = ks
    for n in range(30):
        f.case(reg, ser, f"Remiss {n:02d}")
    monkeypatch.setattr(selectors.CaseHits, "FIRST_READ", 4)
    hits = selectors.fast_search(reg, CaseSearch(text="remiss"))
    first = [c.title for c in hits[0:5]]
    assert first == [f"Remiss {n:02d}" for n in range(29, 24, -1)]
    assert len(hits.ids) < 30  # the rest was not read
    assert [c.title for c in hits[25:50]] == [f"Remiss {n:02d}" for n in range(4, -1, -1)]


@pytest.mark.django_db(transaction=True)
def test_the_migration_numbers_an_existing_index():
    ser = f.series(f.authority("KS"), "KS")
    reg = f.user(roles={ser.authority: "registrar"})
    older = opened(f.case(reg, ser, "Vindkraft Öster"), dt.datetime(2019, 1, 2, tzinfo=UTC))
    f.document(reg, older, "Yttrande om vindkraft")
    newer = f.case(reg, ser, "Vindkraft Väster")
    try:
        migrate([("search", "0004_permission_columns")])  # the ids as they were: positive
        assert SearchEntry.objects.filter(id__lt=0).count() == 0
        with connection.cursor() as cursor:  # an entry of a case that is gone
            cursor.execute("INSERT INTO search_searchentry (key, kind, case_id, secret, body, "
                           "restricted) VALUES ('case:gone', 'registry', %s, %s, 'vindkraft', %s)",
                           ["0" * 32, False, False])
        migrate([("search", "0005_entries_in_case_order")])
    finally:
        migrate_to_latest()
    assert not SearchEntry.objects.filter(key="case:gone").exists()
    assert SearchEntry.objects.filter(kind="registry", id__gt=0).count() == 0
    assert order.fits(order.slot_of(span(older)[0]), older.opened_at)
    assert span(newer)[1] < span(older)[0]
    assert found(reg, "vindkraft") == ["Vindkraft Väster", "Vindkraft Öster"]
    # What is written after it follows on in the same slots.
    f.document(reg, older, "Ny vindkraftsutredning")
    assert order.slot_of(span(older)[0]) == order.slot_of(span(older)[1])


def test_a_new_case_that_loses_part_of_its_slot_moves_whole(ks):
    """A new case's entries are first written in the first slot of its second without
    looking (most seconds have no case); where another case holds part of that slot,
    what was written there is taken back and the case's entries all go to a slot of
    their own, found by looking."""
    ser, reg = ks
    other = f.case(reg, ser, "Annat ärende")
    moment = dt.datetime(2023, 5, 4, 12, 0, tzinfo=UTC)
    contested = order.first_slot(moment)
    SearchEntry.objects.create(id=order.entry_id(contested, 1), key="document:theirs",
                               case_id=other.pk, body="annat", authority_id=other.authority_id)
    case = f.case(reg, ser, "Nytt ärende")
    mine = [Entry(f"{kind}:x{n}", case.pk, False, "text", authority=case.authority_id,
                  opened_at=moment) for n, kind in enumerate(["case", "document", "document"])]
    SearchEntry.objects.filter(case_id=case.pk).delete()
    index(mine, new_case=True)
    ids = list(SearchEntry.objects.filter(case_id=case.pk).values_list("id", flat=True))
    assert len(ids) == 3 and {order.slot_of(i) for i in ids} == {contested + 1}
    assert SearchEntry.objects.get(key="document:theirs").case_id == other.pk


def test_numbers_go_on_after_another_cases_entries_in_a_shared_slot(ks):
    """A case that shares its slot with another (two writers in one second) numbers its
    next entries after the slot's last, whichever case that is of."""
    ser, reg = ks
    case = f.case(reg, ser, "Delad plats")
    slot = order.slot_of(span(case)[0])
    SearchEntry.objects.create(id=order.entry_id(slot, 1), key="document:neighbour",
                               case_id=f.case(reg, ser, "Granne").pk, body="granne")
    index([Entry("document:mine", case.pk, False, "text", authority=case.authority_id,
                 opened_at=case.opened_at)])
    assert SearchEntry.objects.get(key="document:mine").id == order.entry_id(slot, 2)


def test_a_new_cases_entries_indexed_together_are_one_insert(ks, django_assert_num_queries):
    """Inside written_together the entries of a case just opened, the registry's (numbered
    in its case's slot) and another kind's (numbered by the database), are one INSERT; a
    key already there is written over, and the registry's entry is still numbered as it
    would be alone."""
    from diarium.search.backends import index_body, written_together

    ser, reg = ks
    case = f.case(reg, ser, "Nytt ärende")
    SearchEntry.objects.filter(case_id=case.pk).delete()
    SearchEntry.objects.create(key="public_case:there", kind="public_case", body="gammal")
    moment = dt.datetime(2023, 5, 4, 12, 0, tzinfo=UTC)
    with django_assert_num_queries(1), written_together():
        index([Entry("case:x", case.pk, False, "bygglov", authority=case.authority_id,
                     opened_at=moment)], new_case=True)
        index([Entry("public_case:y", None, False, "bygglov", kind="public_case",
                     owner=case.pk)], new_case=True)
    assert SearchEntry.objects.get(key="case:x").id < 0  # numbered in the cases' order
    assert SearchEntry.objects.get(key="public_case:y").id > 0
    with written_together():
        index([Entry("public_case:there", None, False, "ny text", kind="public_case",
                     owner=case.pk)], new_case=True)
    assert SearchEntry.objects.get(key="public_case:there").body == index_body("ny text")
