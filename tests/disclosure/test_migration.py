"""The migration to a masked copy per file: an item masked before it (one copy on the
item) gets that copy as the MaskedFile of the file it was made from, with its masks."""

import pytest
from django.db import connection

from diarium.disclosure import selectors, services
from diarium.disclosure.models import Outcome
from diarium.disclosure.redaction import Box
from diarium.disclosure.services import MaskInput
from tests.disclosure.pdfs import SECRET_BOX
from tests.registry.test_english_codes import migrate, migrate_to_latest


@pytest.mark.django_db(transaction=True)
def test_an_items_single_copy_becomes_its_files_copy(world):
    req = services.submit_request(services.Submission(
        reply_method="pickup",
        documents=selectors.public_documents([str(world["public"].pk)])))[0]
    item = req.items.get()
    services.mask_item(world["reg"], item, [MaskInput(Box(1, *SECRET_BOX), "OSL 21:7")])
    (copy,) = selectors.masked_files(item)
    file, source, redacted = copy.file_id, copy.source_id, copy.redacted_id
    try:
        migrate([("disclosure", "0001_requests")])
        with connection.cursor() as cursor:  # the copy as the old schema kept it
            cursor.execute("UPDATE disclosure_requesteditem SET source_id = %s, "
                           "redacted_id = %s WHERE id = %s",
                           [source, redacted, item.pk.hex if connection.vendor == "sqlite"
                            else item.pk])
        migrate([("disclosure", "0003_masked_files_drop_item_copy")])
    finally:
        migrate_to_latest()
    item.refresh_from_db()
    assert item.outcome == Outcome.MASKED
    (moved,) = selectors.masked_files(item)
    assert (moved.file_id, moved.source_id, moved.redacted_id, moved.position) == (
        file, source, redacted, 1)
    assert [m.provision for m in moved.masks.all()] == ["OSL 21 kap. 7 §"]
