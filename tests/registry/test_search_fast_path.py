"""The case search's fast path (the permission filter read from each matching search
entry's own columns, RegistryPolicy.filter_found) finds exactly the cases the
straightforward query finds: every match listed, then narrowed by the access group's
cases as filter_group lists them. Hypothesis generates the worlds of the visibility
property test (users with roles in two authorities, cases with markings, officers and
access groups, documents marked, drafts, voided, disposed of), gives every case and
document words, indexes them as the registry does, and then changes some cases' marking
afterwards (the entries must follow)."""

import pytest
from django.db import transaction
from django.db.models import Min, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diarium.registry import indexing, selectors
from diarium.registry.models import Case, Document
from diarium.registry.selectors import CaseSearch
from diarium.registry.visibility import RegistryPolicy
from diarium.search import backends as search
from diarium.search import order
from diarium.search.models import SearchEntry
from tests.permissions.test_visibility_property import build, worlds

pytestmark = pytest.mark.django_db

WORDS = ["bygglov", "remiss", "avtal", "tillsyn"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True)


@st.composite
def searched_worlds(draw):
    world = draw(worlds())
    world["case_words"] = [draw(texts) for _ in world["cases"]]
    world["doc_words"] = [draw(texts) for _ in world["documents"]]
    world["flips"] = draw(st.lists(st.integers(0, len(world["cases"]) - 1), max_size=2))
    return world


def plain(user, text: str) -> set:
    """The straightforward query: cases with a public match that are unmarked or in the
    viewer's access group, or with a secret match in the access group, among the cases
    that exist for the viewer."""
    public = search.matching_case_ids(text, secret=False)
    secret = search.matching_case_ids(text, secret=True)
    policy = RegistryPolicy(user)
    group = Q(id__in=policy.filter_group(Case.objects.all()).values("id"))
    found = (Q(id__in=public) & (Q(secrecy_provision="") | group)) | (Q(id__in=secret) & group)
    return set(selectors.visible_cases(user).filter(found).values_list("pk", flat=True))


def in_slot_order(found: set) -> list:
    """Cases newest first as their entries' numbers order them (search/order.py)."""
    lowest = (SearchEntry.objects.filter(case_id__in=found, id__lt=0).values("case_id")
              .annotate(low=Min("id")).values_list("case_id", "low"))
    return [case for case, low in sorted(lowest, key=lambda row: -order.slot_of(row[1]))]


def fast(user, text: str) -> set:
    criteria = CaseSearch(text=text)
    found = set(selectors.search_cases(user, criteria).values_list("pk", flat=True))
    # The count the search page and the API read instead of counting the cases.
    assert selectors.fast_search(user, criteria).count_upto(1000) == len(found)
    assert selectors.fast_search(user, criteria).count_upto(1) == min(1, len(found))
    # The page read from the numbered entries: the same cases, newest first, and any
    # slice of it the same as that slice of the whole list.
    listed = [c.pk for c in selectors.fast_search(user, criteria)[:1000]]
    assert listed == in_slot_order(found)
    assert [c.pk for c in selectors.fast_search(user, criteria)[1:3]] == listed[1:3]
    # Counted first, as the paginators do: a count that read every match hands over
    # the cases in order on PostgreSQL, and the page reads nothing more.
    counted = selectors.fast_search(user, criteria)
    counted.count_upto(1000)
    assert [c.pk for c in counted[:1000]] == listed
    return found


def index_world(world: dict, cases: list[Case], documents: list[Document]) -> None:
    for case, words in zip(cases, world["case_words"], strict=True):
        Case.objects.filter(pk=case.pk).update(title=" ".join(words))
    for doc, words in zip(documents, world["doc_words"], strict=True):
        Document.objects.filter(pk=doc.pk).update(title=" ".join(words))
    for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
        indexing.index_case(case)
    for doc in Document.objects.filter(pk__in=[d.pk for d in documents]).select_related("case"):
        indexing.index_document(doc)
    for i in world["flips"]:  # a marking changed after indexing, as update_case does it
        case = Case.objects.get(pk=cases[i].pk)
        case.secrecy_provision = "" if case.is_secret else "OSL 26:1"
        case.save(update_fields=["secrecy_provision"])
        indexing.index_case(case)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=searched_worlds())
def test_fast_path_finds_what_the_plain_query_finds(world):
    sid = transaction.savepoint()
    first_read = selectors.CaseHits.FIRST_READ
    selectors.CaseHits.FIRST_READ = 1  # many small reads: pages that span reads
    try:
        people, cases, documents, _parties = build(world)
        index_world(world, cases, documents)
        for user in people:
            for text in [*WORDS, "bygglov avtal"]:
                assert fast(user, text) == plain(user, text), (text, user.pk)
    finally:
        selectors.CaseHits.FIRST_READ = first_read
        transaction.savepoint_rollback(sid)


def test_a_marked_case_takes_its_documents_entries_along():
    """Marking a case restricts the entries of its documents too (and unmarking frees
    them again), so a reader outside the group stops finding it by a document's words."""
    from diarium.registry import services
    from tests import factories as f

    ks = f.series(f.authority("KS"), "KS")
    reg = f.user(roles={ks.authority: "registrar"})
    officer = f.user(roles={ks.authority: "officer"})
    case = f.case(reg, ks, "Ärendet")
    f.document(reg, case, "Remissvar om vindkraft")
    assert case.pk in fast(officer, "vindkraft")
    services.update_case(reg, case, services.CaseData(
        title="Ärendet", secrecy=services.Secrecy("OSL 26:1")))
    assert case.pk not in fast(officer, "vindkraft")
    assert case.pk in fast(reg, "vindkraft")
    case.refresh_from_db()
    services.update_case(reg, case, services.CaseData(title="Ärendet"))
    assert case.pk in fast(officer, "vindkraft")
