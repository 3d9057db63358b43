"""The visibility policy's per-record answers and its queryset filters are one rule.

Hypothesis generates worlds of users (roles in two authorities, or none, or superuser),
cases (authority, marking, responsible officer, access group — members with and without a
role in the authority), documents (marking; draft, registered, voided or disposed of)
and parties (linked to cases and documents, created by someone or nobody), written
straight to the database so that states the services refuse (a group member who lost
their role) are covered too. For every viewer — each user, and the public — every
question the policy answers per record must give the same records as the matching
queryset filter, and the batch decisions a page makes must agree with both."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diarium.core.visibility import SIGHT_FIELDS, Projection
from diarium.organisation.models import Role, RoleAssignment, User
from diarium.registry.models import Case, CaseParty, Document, DocumentStatus, Party
from diarium.registry.visibility import RegistryPolicy
from tests import factories as f

pytestmark = pytest.mark.django_db

AUTHORITIES = 2
roles = st.lists(st.sampled_from(Role.values), max_size=2, unique=True)
users = st.lists(
    st.fixed_dictionaries({
        "roles": st.lists(roles, min_size=AUTHORITIES, max_size=AUTHORITIES),
        "superuser": st.sampled_from([False, False, False, True]),
    }),
    min_size=1, max_size=4,
)


@st.composite
def worlds(draw):
    people = draw(users)
    who = st.integers(0, len(people) - 1)
    cases = draw(st.lists(st.fixed_dictionaries({
        "authority": st.integers(0, AUTHORITIES - 1),
        "secret": st.booleans(),
        "officer": st.none() | who,
        "group": st.lists(who, max_size=3, unique=True),
    }), min_size=1, max_size=4))
    which = st.integers(0, len(cases) - 1)
    documents = draw(st.lists(st.fixed_dictionaries({
        "case": which, "secret": st.booleans(),
        "status": st.sampled_from(DocumentStatus.values),
    }), max_size=5))
    parties = draw(st.lists(st.fixed_dictionaries({
        "cases": st.lists(which, max_size=2, unique=True),
        "documents": st.lists(st.integers(0, max(len(documents) - 1, 0)), max_size=2,
                              unique=True) if documents else st.just([]),
        "creator": st.none() | who,
    }), max_size=4))
    return {"users": people, "cases": cases, "documents": documents, "parties": parties}


def build(world: dict) -> tuple[list[User], list[Case], list[Document], list[Party]]:
    series = [f.series() for _ in range(AUTHORITIES)]
    people = []
    for spec in world["users"]:
        user = f.user(is_superuser=spec["superuser"])
        for series_, held in zip(series, spec["roles"], strict=True):
            for role in held:
                RoleAssignment.objects.create(user=user, authority=series_.authority, role=role)
        people.append(user)
    now = timezone.now()
    cases = []
    for n, spec in enumerate(world["cases"], start=1):
        s = series[spec["authority"]]
        case = Case.objects.create(
            series=s, authority=s.authority, year=2026, number=n,
            diary_number=f"{s.code} 2026/{n}", title="t", opened_at=now,
            secrecy_provision="OSL 26:1" if spec["secret"] else "",
            responsible_officer=None if spec["officer"] is None else people[spec["officer"]],
        )
        case.access_group.set([people[i] for i in spec["group"]])
        cases.append(case)
    documents = []
    for n, spec in enumerate(world["documents"], start=1):
        documents.append(Document.objects.create(
            case=cases[spec["case"]], number=n, direction="incoming", title="d",
            document_date=dt.date(2026, 1, 1), registered_at=now,
            secrecy_provision="OSL 25:1" if spec["secret"] else "",
            status=spec["status"],
        ))
    parties = []
    for spec in world["parties"]:
        creator = None if spec["creator"] is None else people[spec["creator"]]
        party = Party.objects.create(kind="person", name="p", created_by=creator)
        for i in spec["cases"]:
            CaseParty.objects.create(case=cases[i], party=party)
        for i in spec["documents"]:
            Document.objects.filter(pk=documents[i].pk).update(party=party)
        parties.append(party)
    return people, cases, documents, parties


def ids(qs) -> set:
    return set(qs.values_list("pk", flat=True))


def check_viewer(policy: RegistryPolicy, cases, documents, parties) -> None:
    all_cases = Case.objects.filter(pk__in=[c.pk for c in cases])
    all_docs = Document.objects.filter(pk__in=[d.pk for d in documents])
    fresh_docs = list(all_docs.select_related("case"))
    for field in SIGHT_FIELDS:
        by_record = {c.pk for c in cases if getattr(policy.case(c), field)}
        assert by_record == ids(policy.filter_cases(all_cases, field)), ("case", field)
        by_record = {d.pk for d in fresh_docs if getattr(policy.document(d), field)}
        assert by_record == ids(policy.filter_documents(all_docs, field)), ("document", field)
    assert {c.pk for c in cases if policy.in_group(c)} == ids(policy.filter_group(all_cases))
    visible_parties = {p.pk for p in parties if policy.party_visible(p)}
    assert visible_parties == ids(policy.filter_parties(Party.objects.all()))
    page = policy.page("property")
    content = {c.pk for c in cases if policy.case(c).content}
    assert page.readable_cases(cases, shown=False) == content
    content = {d.pk for d in fresh_docs if policy.document(d).content}
    assert page.readable_documents(fresh_docs, shown=False) == content
    for case in cases:
        sight = policy.case(case)
        assert not sight.content or sight.exists  # what cannot be seen cannot be read
        assert not policy.may_add_to(case) or sight.content


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds())
def test_policy_and_queryset_filters_agree(world):
    sid = transaction.savepoint()
    try:
        people, cases, documents, parties = build(world)
        viewers = [RegistryPolicy(u) for u in people] + [
            RegistryPolicy(AnonymousUser()), RegistryPolicy(AnonymousUser(), Projection.PUBLIC),
        ]
        for policy in viewers:
            check_viewer(policy, cases, documents, parties)
    finally:
        transaction.savepoint_rollback(sid)


def test_a_group_member_without_a_role_reads_nothing():
    """The condition on which the two old rules differed: a user in a case's access group
    who no longer holds a role in its authority."""
    ks = f.series()
    reg = f.user(roles={ks.authority: "registrar"})
    former = f.user(roles={f.authority(): "registrar"})
    case = f.case(reg, ks, "Hemligt", secrecy=f.services.Secrecy("OSL 26:1"))
    case.access_group.add(former)
    policy = RegistryPolicy(former)
    assert not policy.case(case).exists and not policy.in_group(case)
    assert not policy.filter_group(Case.objects.all()).exists()
