import itertools
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from diarium.audit import services as audit
from diarium.audit.models import AuditEvent
from diarium.core.actors import MIGRATION
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    ser = f.series(f.authority("KS"), "KS")
    reg = f.user("reg", roles={ser.authority: "registrar"})
    case = f.case(reg, ser, title="Bygglov Storgatan 1")
    f.document(reg, case)
    f.case(reg, ser, title="Detaljplan")
    return list(AuditEvent.objects.order_by("chain", "seq"))


def _raw_update(event_id: int, sql_set: str, params: list) -> None:
    """Change a row behind the system's back, as an intruder with database access would."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET {sql_set} WHERE id = %s", [*params, event_id])  # noqa: S608


def test_verify_passes_on_an_intact_log(events, capsys):
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_each_event_links_to_the_previous(events):
    chain = [e for e in events if e.chain == events[0].chain]
    assert chain[0].prev_hash == "0" * 64
    for prev, nxt in itertools.pairwise(chain):
        assert nxt.prev_hash == prev.hash and nxt.seq == prev.seq + 1


def test_changed_content_is_named(events):
    target = events[1]
    after = dict(target.after)
    after["title"] = "Ändrad i efterhand"
    _raw_update(target.id, "after = %s", [json.dumps(after)])
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify")
    assert f"event {target.id}" in str(err.value)


def test_deleted_event_is_detected(events):
    target = events[1]
    AuditEvent.objects.filter(id=target.id).delete()
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify")
    assert "sequence gap" in str(err.value)


def test_truncated_chain_end_is_detected(events):
    last = max(events, key=lambda e: (e.chain == events[0].chain, e.seq))
    AuditEvent.objects.filter(id=last.id).delete()
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify")
    assert "missing at the end" in str(err.value)


def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        # pytest-django wraps tests in a transaction; leave it to prove the guard.
        connection.in_atomic_block = False
        try:
            audit.record(actor=MIGRATION, action="x", object_type="t", object_id="1")
        finally:
            connection.in_atomic_block = True


def test_events_roll_back_with_their_change():
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError), transaction.atomic():
        audit.record(actor=MIGRATION, action="x", object_type="t", object_id="1")
        raise ValueError
    assert AuditEvent.objects.count() == before
