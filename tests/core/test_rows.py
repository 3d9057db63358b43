"""core/rows.one_with: a row with the row its foreign key points at, read in plain SQL,
the same instances the ORM's select_related(...).get(...) makes, on either engine."""

import pytest
from django.db.models import Model

from diarium.core.rows import one_with
from diarium.registry.models import DiarySeries
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
