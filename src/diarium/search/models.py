"""One search entry per indexed object. The text index over `body` is engine-specific:
an FTS5 table on SQLite, a GIN index on to_tsvector('simple', body) on PostgreSQL
(both created in this app's migrations). `body` holds Snowball-stemmed Swedish words.

`kind` says which part of Diarium an entry belongs to: the registry's entries
("case:<uuid>", "document:<uuid>") carry the case they belong to in `case_id`; other
kinds (the e-archive's "package:…", "record:…", "aipfile:…") leave it empty and name the
object they belong to in `owner` (for the archive: the package)."""

from django.db import models

REGISTRY = "registry"


class SearchEntry(models.Model):
    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, default=REGISTRY)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    owner = models.UUIDField(null=True, blank=True, db_index=True)
    secret = models.BooleanField(default=False)
    body = models.TextField()

    def __str__(self) -> str:
        return self.key
