"""The data migrations to English stored codes: rows written with the Swedish codes get the
English ones, and back; the audit history still reads events written before."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from diarium.organisation.models import RoleAssignment
from diarium.registry import history
from diarium.registry.models import Case, Document, InboxItem
from tests import factories as f

BEFORE = [("registry", "0006_party_created_by"),
          ("organisation", "0005_hash_existing_api_tokens")]
AFTER = [("registry", "0007_english_codes"), ("organisation", "0006_english_role_codes")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def migrate_to_latest() -> None:
    """Every app back to its newest migration, whatever came after the ones tested: the
    database is shared with the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def stored(model, pk, field: str) -> str:
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()


@pytest.mark.django_db(transaction=True)
def test_the_codes_are_migrated_both_ways():
    ks = f.series(f.authority("KS"), "KS")
    reg = f.user(roles={ks.authority: "registrar"})
    case = f.case(reg, ks)
    doc = f.document(reg, case, direction="internal")
    item = InboxItem.objects.create(authority=ks.authority, sender="a", subject="b",
                                    received_at=case.opened_at)
    try:
        migrate(BEFORE)
        assert stored(Case, case.pk, "status") == "oppet"
        assert (stored(Document, doc.pk, "status"), stored(Document, doc.pk, "direction")) \
            == ("registrerad", "upprattad")
        assert stored(InboxItem, item.pk, "status") == "ny"
        assert set(RoleAssignment.objects.values_list("role", flat=True)) == {"registrator"}
        migrate(AFTER)
    finally:
        migrate_to_latest()
    assert stored(Case, case.pk, "status") == "open"
    assert stored(Document, doc.pk, "direction") == "internal"
    assert stored(InboxItem, item.pk, "status") == "new"
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == {"registrar"}


class OldEvent:
    def __init__(self, object_type: str, before: dict, after: dict):
        self.object_type, self.before, self.after = object_type, before, after


def shown(event: OldEvent) -> dict:
    return {c.label: (c.before, c.after) for c in history._changes(event, {}, True)}


def test_the_history_reads_the_old_codes_of_earlier_events():
    """In Swedish (the default), with a case's and a document's own word forms."""
    document = OldEvent("registry.document", {"status": "registrerad"},
                        {"status": "makulerad", "direction": "upprattad"})
    assert shown(document) == {"Status": ("Registrerad", "Makulerad"),
                               "Riktning": ("–", "Upprättad")}
    case = OldEvent("registry.case", {"status": "oppet"}, {"status": "makulerat"})
    assert shown(case) == {"Status": ("Öppet", "Makulerat")}
    assert shown(OldEvent("registry.case", {"status": "open"}, {"status": "voided"})) == \
        shown(case)
