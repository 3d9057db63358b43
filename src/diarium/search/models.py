"""One search entry per indexed object. The text index over `body` is engine-specific:
an FTS5 table on SQLite, a GIN index on to_tsvector('simple', body) on PostgreSQL
(both created in this app's migrations). `body` holds Snowball-stemmed Swedish words."""

from django.db import models


class SearchEntry(models.Model):
    key = models.CharField(max_length=80, unique=True)  # "case:<uuid>" / "document:<uuid>"
    case_id = models.UUIDField(db_index=True)
    secret = models.BooleanField(default=False)
    body = models.TextField()

    def __str__(self) -> str:
        return self.key
