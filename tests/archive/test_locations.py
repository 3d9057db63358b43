"""The configured storage locations and their rows: reading them never writes, the sync
step mirrors the configuration (credentials never reach the database), a location no
longer configured keeps its row and can still be reached, and a bad configuration is
refused with the reason."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diarium.archive.models import StorageLocation
from diarium.archive.storage import active_locations, store_for, sync_locations

pytestmark = pytest.mark.django_db
SECRET = "kept-out-of-the-database"


def bucket_location(**extra) -> dict:
    return {"name": "offsite", "kind": "s3", "bucket": "diarium-arkiv", "prefix": "aip-copies",
            "endpoint_url": "http://127.0.0.1:9", "access_key_id": "diarium",
            "secret_access_key": SECRET, **extra}


def test_reading_the_locations_writes_nothing_and_the_sync_mirrors_them(settings, tmp_path):
    settings.ARCHIVE_LOCATIONS = [{"name": "disk", "path": str(tmp_path / "a")},
                                  bucket_location()]
    with CaptureQueriesContext(connection) as queries:
        assert active_locations() == []
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    rows = sync_locations()
    assert [(r.name, r.kind, r.path) for r in rows] == [
        ("disk", "filesystem", str(tmp_path / "a")),
        ("offsite", "s3", "s3://diarium-arkiv/aip-copies/")]
    assert SECRET not in json.dumps(rows[1].options) and rows[1].options["bucket"]
    assert active_locations() == rows
    settings.ARCHIVE_LOCATIONS = [{"name": "disk", "path": str(tmp_path / "a")}]
    assert active_locations() == rows[:1]
    sync_locations()
    gone = StorageLocation.objects.get(name="offsite")
    assert not gone.active
    store = store_for(gone).store  # made from the row: still reachable for a disposal
    assert (store.kind, store.bucket, store.base) == ("s3", "diarium-arkiv", "aip-copies/")


@pytest.mark.parametrize("entry, reason", [
    ({"name": "x", "kind": "tape", "path": "/x"}, "unknown kind"),
    ({"name": "x", "kind": "s3"}, "needs a bucket"),
    ({"name": "x", "kind": "s3", "bucket": "b", "acl": "public-read"}, "unknown options"),
    ({"name": "x", "path": ""}, "needs a path"),
    ({"name": "../x", "path": "/x"}, "letters, digits"),
])
def test_a_bad_location_is_refused_with_the_reason(settings, entry, reason):
    settings.ARCHIVE_LOCATIONS = [entry]
    with pytest.raises(ImproperlyConfigured, match=reason):
        sync_locations()
