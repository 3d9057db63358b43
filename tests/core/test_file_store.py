"""The file store on the local disk and in a bucket: content is stored once under its
hash, read back before it counts, streamed out, and removed only by lawful disposal."""

from __future__ import annotations

import hashlib
import io

import pytest

from diarium.documents import removal
from diarium.documents.services import FileTooLarge, open_content, store_content
from diarium.documents.store import file_store
from tests.s3server import s3_options

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["filesystem", "s3"])
def kind(request, settings):
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        settings.FILE_STORE = s3_options(endpoint, request.getfixturevalue("bucket"),
                                         prefix="files")
    return request.param


def test_content_is_stored_once_under_its_hash_and_streamed_back(kind):
    data = b"Ansokan om bygglov\n" * 1000
    first = store_content(io.BytesIO(data), mime_type="text/plain")
    again = store_content(io.BytesIO(data), mime_type="text/plain")
    assert first.pk == again.pk == hashlib.sha256(data).hexdigest()
    store = file_store()
    assert store.kind == kind
    assert [item.key for item in store.list("sha256/")] == [first.storage_name]
    with open_content(first) as stream:
        assert stream.read() == data
    assert store.verify(first.storage_name).sha256 == first.sha256


def test_too_large_content_leaves_nothing(kind):
    with pytest.raises(FileTooLarge):
        store_content(io.BytesIO(b"x" * 2000), mime_type="text/plain", limit=1000)
    assert list(file_store().list("")) == []


def test_disposal_removes_the_bytes_and_storing_them_again_brings_them_back(kind):
    stored = store_content(io.BytesIO(b"Kvitto nr 4711"), mime_type="text/plain")
    removed, kept = removal.release([stored.sha256], {})
    assert (removed, kept) == ([stored.sha256], [])
    assert removal.purge([stored.sha256], {}) == [stored.sha256]
    assert not removal.is_present(stored)
    assert removal.purge([stored.sha256], {}) == []  # safe to repeat
    again = store_content(io.BytesIO(b"Kvitto nr 4711"), mime_type="text/plain")
    assert again.content_removed_at is None and removal.is_present(again)
