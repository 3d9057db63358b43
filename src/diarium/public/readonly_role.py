"""The PostgreSQL role the public web process may run as: it reads the projection's tables
and the public rows of the search index, and nothing else. Internal tables (cases, parties,
files, the audit log) are unreadable to it: a bug in a public page cannot reach them.

The search index is shared by the staff and the public search (search/backends.py); a
row-level security policy limits this role to the public kinds. The table's owner (the
role that runs the migrations and the staff site) is not subject to the policy."""

from __future__ import annotations

from django.db import connection

from diarium.public.models import (
    PublicAuthority,
    PublicCase,
    PublicDocument,
    PublicFile,
    PublicRegister,
)
from diarium.public.search import KINDS
from diarium.search.models import SearchEntry

PROJECTION = [PublicAuthority, PublicCase, PublicDocument, PublicFile, PublicRegister]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def statements(role: str, password: str | None = None) -> list[str]:
    """SQL that creates (or brings in line) the role: LOGIN, no other privileges than
    SELECT on the projection and the public search rows. Run as a superuser or the
    tables' owner."""
    r = _quote(role)
    entries = _quote(SearchEntry._meta.db_table)
    kinds = ", ".join(f"'{k}'" for k in KINDS)
    create = (f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
              f"THEN CREATE ROLE {r} LOGIN; END IF; END $$")
    sql = [create, f"ALTER ROLE {r} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS LOGIN"]
    if password:
        escaped = password.replace("'", "''")
        sql.append(f"ALTER ROLE {r} PASSWORD '{escaped}'")
    sql += [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        *[f"GRANT SELECT ON {_quote(m._meta.db_table)} TO {r}" for m in PROJECTION],
        f"GRANT SELECT ON {entries} TO {r}",
        f"ALTER TABLE {entries} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS search_all_rows ON {entries}",
        f"CREATE POLICY search_all_rows ON {entries} USING (true)",
        f"DROP POLICY IF EXISTS search_public_rows ON {entries}",
        f"CREATE POLICY search_public_rows ON {entries} AS RESTRICTIVE FOR SELECT TO {r} "
        f"USING (kind IN ({kinds}))",
    ]
    return sql


def apply(role: str, password: str | None = None) -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError("A database role needs PostgreSQL.")
    with connection.cursor() as cursor:
        for sql in statements(role, password):
            cursor.execute(sql)
