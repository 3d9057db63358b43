"""core/rows: one_with reads a row with the row its foreign key points at in plain SQL,
the same instances the ORM's select_related(...).get(...) makes; insert writes the row
save(force_insert=True) writes. On either engine."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.db.models.signals import post_save
from django.utils import timezone

from diarium.core import rows
from diarium.core.models import IdempotencyKey
from diarium.core.rows import one_with
from diarium.registry.models import Case, DiarySeries
from tests import factories as f

pytestmark = pytest.mark.django_db


def _values(obj: Model) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_the_row_and_its_relation_are_what_the_orm_reads(django_assert_num_queries):
    series = f.series(f.authority(code="BN"), code="BN")
    DiarySeries.objects.filter(pk=series.pk).update(active=False, number_padding=4)
    expected = DiarySeries.objects.select_related("authority").get(code="BN")
    with django_assert_num_queries(1):
        found = one_with(DiarySeries, "authority", "code", "BN")
        assert found.authority.code == "BN"
    assert _values(found) == _values(expected)
    assert _values(found.authority) == _values(expected.authority)
    assert found.active is False and found.number_padding == 4
    assert not found._state.adding and found._state.db == "default"
    found.name = "Byggnadsnämndens diarium"
    found.save()
    assert DiarySeries.objects.get(pk=series.pk).name == "Byggnadsnämndens diarium"


def test_none_when_there_is_no_such_row():
    f.series(code="KS")
    assert one_with(DiarySeries, "authority", "code", "ks") is None
    assert one_with(DiarySeries, "authority", "code", "KS' OR '1'='1") is None


def _stored(model: type[Model], pk) -> dict:
    return _values(model.objects.get(pk=pk))


def test_an_inserted_case_is_the_row_save_writes(django_assert_num_queries):
    ks = f.series(code="KS")
    officer = f.user("handlaggare")
    now = timezone.now()
    made = {}
    for how in ("save", "insert"):
        case = Case(series=ks, authority=ks.authority, year=2026, number=len(made) + 1,
                    diary_number=f"KS 2026/{len(made) + 1}", title="Bygglov, Ekbacken 3",
                    responsible_officer=officer, opened_at=now, follow_up_date=date(2027, 1, 4),
                    secrecy_provision="OSL 26 kap. 1 §", withhold_title=True)
        if how == "save":
            case.save(force_insert=True)
        else:
            with django_assert_num_queries(1):
                rows.insert(case)
        assert not case._state.adding and case._state.db == "default"
        made[how] = _stored(Case, case.pk)
    differing = {"id", "number", "diary_number"}
    assert {k: v for k, v in made["insert"].items() if k not in differing} == \
        {k: v for k, v in made["save"].items() if k not in differing}


def test_a_row_numbered_by_the_database_gets_its_key_and_its_fields_own_values():
    user = f.user("registrator")
    key = IdempotencyKey(user=user, key="k1", fingerprint="f" * 64, status_code=201,
                         response={"diarienummer": "KS 2026/1", "parter": ["Å", None]})
    rows.insert(key)
    assert key.pk is not None and key.created_at is not None  # auto_now_add, as save() sets
    stored = IdempotencyKey.objects.get(pk=key.pk)
    assert _values(stored) == _values(key)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert(IdempotencyKey(user=user, key="k1", fingerprint="0" * 64,
                                   status_code=201, response={}))


def test_an_expression_or_a_receiver_is_left_to_save():
    ks = f.series(code="KS")
    case = Case(series=ks, authority=ks.authority, year=2026, number=F("year"),
                diary_number="KS 2026/9", title="t", opened_at=timezone.now())
    with pytest.raises(ValueError, match="expression"):
        rows.insert_sql(case)
    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((instance.pk, created))

    post_save.connect(receiver, sender=IdempotencyKey)
    try:
        key = IdempotencyKey(user=f.user("r"), key="k2", fingerprint="f" * 64,
                             status_code=201, response={})
        rows.insert(key)
    finally:
        post_save.disconnect(receiver, sender=IdempotencyKey)
    assert seen == [(key.pk, True)]
