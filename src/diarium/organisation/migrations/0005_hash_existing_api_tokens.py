"""Existing API tokens (rest_framework.authtoken, stored in plain text) are migrated: each
key's SHA-256 digest becomes an ApiToken, so integrations keep working, and the plain-text
table is dropped. Migrated tokens expire after DIARIUM_API_TOKEN_DAYS like new ones."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"


def hash_old_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("organisation", "ApiToken")
    days = settings.API_TOKEN_DAYS
    expires = timezone.now() + timezone.timedelta(days=days) if days > 0 else None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(user_id=user_id, name="migrated", prefix=key[:10], created_at=_aware(created),
                 digest=hashlib.sha256(key.encode()).hexdigest(), expires_at=expires)
        for key, user_id, created in rows
    )
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


def _aware(value):
    """SQLite's cursor gives text, PostgreSQL's an aware datetime; both are UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value or timezone.now()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0004_api_tokens_and_login_failures")]

    operations = [migrations.RunPython(hash_old_tokens, migrations.RunPython.noop)]
