"""One search entry per indexed object. The text index over `body` is engine-specific:
an FTS5 table on SQLite, a GIN index on to_tsvector('simple', body) on PostgreSQL
(both created in this app's migrations). `body` holds Snowball-stemmed Swedish words.

`kind` says which part of Diarium an entry belongs to: the registry's entries
("case:<uuid>", "document:<uuid>") carry the case they belong to in `case_id`; other
kinds (the e-archive's "package:…", "record:…", "aipfile:…") leave it empty and name the
object they belong to in `owner` (for the archive: the package).

A registry entry also carries what the permission filter of a search needs, so that the
filter is a test on the entry's own row and not a lookup of every matching case
(docs/performance.md): `authority_id`, the case's authority, and `restricted`, set when
the entry or its case is marked secret (or the entry is a draft's): such an entry counts
only for the case's access group. Indexing keeps both in step with the case
(registry/indexing.py). On PostgreSQL the stemmed words are also stored as a tsvector
(`body_tsv`, a generated column made by migration 0004) so that a match needs no
re-parsing of `body`.

The ids of the registry's entries are not the database's: they are numbered in their
cases' order, negative (search/order.py), so that a search can read the newest cases'
matches first; every other kind keeps the positive ids the database gives."""

from django.db import models

REGISTRY = "registry"


class SearchEntry(models.Model):
    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, default=REGISTRY)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    owner = models.UUIDField(null=True, blank=True, db_index=True)
    secret = models.BooleanField(default=False)
    body = models.TextField()
    authority_id = models.UUIDField(null=True, blank=True)
    restricted = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.key
