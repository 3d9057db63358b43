"""The public web process can run as a database role that reads the projection only
(diarium public role NAME, public/readonly_role.py). On PostgreSQL the role is made for
real: connected as it, the internal tables are unreadable, the search index shows only
its public rows, and the public pages, feeds and open API all answer (a separate process
whose DIARIUM_DATABASE_URL names the role). On SQLite there are no roles: the command
says so instead of pretending."""

import json
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.public.world import build

SCRIPT = r"""
import json, django
django.setup()
from django.test import Client
from django.db import connection
paths = json.loads(__import__("sys").argv[1])
client = Client()
out = {p: client.get(p).status_code for p in paths}
try:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_case")
    out["registry_case"] = "readable"
except Exception as exc:
    out["registry_case"] = type(exc).__name__
print(json.dumps(out))
"""


def _url(user: str, password: str) -> str:
    info = connection.settings_dict
    return (f"postgres://{user}:{password}@{info['HOST'] or '127.0.0.1'}:"
            f"{info['PORT'] or 5432}/{info['NAME']}")


@pytest.mark.django_db(transaction=True)
def test_the_public_role_reads_the_projection_only(settings):
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("public", "role", "diarium_public")
        return
    pw = build(internal="Hemligt ord")
    role, password = f"diarium_public_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    call_command("public", "role", role, "--password", password)
    try:
        with psycopg.connect(_url(role, password)) as conn:
            cur = conn.cursor()
            cur.execute("SELECT count(*) FROM public_publiccase")
            assert cur.fetchone()[0] == 2
            cur.execute("SELECT DISTINCT kind FROM search_searchentry")
            assert {k for (k,) in cur.fetchall()} == {"public_case", "public_doc"}
            for table in ("registry_case", "registry_document", "registry_party",
                          "registry_documentfile", "audit_auditevent",
                          "organisation_user", "documents_extractedtext"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    cur.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608
                conn.rollback()
        paths = ["/insyn/", "/insyn/sok/?q=bygglov", f"/insyn/arende/{pw.open_case.pk}/",
                 f"/insyn/handling/{pw.letter.pk}/", "/insyn/postlista/KS/",
                 "/insyn/postlista/KS/atom/", "/insyn/register/",
                 "/api/public/v1/cases/?q=bygglov", f"/api/public/v1/cases/{pw.open_case.pk}/",
                 "/api/public/v1/schema/"]
        env = {**os.environ, "DIARIUM_DATABASE_URL": _url(role, password),
               "DJANGO_SETTINGS_MODULE": "diarium.settings", "DIARIUM_PUBLIC_RATE": "off",
               "DIARIUM_ALLOWED_HOSTS": "testserver"}
        done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(paths)], env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        answers = json.loads(done.stdout.strip().splitlines()[-1])
        assert answers.pop("registry_case") == "ProgrammingError"
        assert answers == dict.fromkeys(paths, 200)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


def test_the_role_sql_grants_select_on_the_projection_only():
    from diarium.public.readonly_role import statements

    sql = "\n".join(statements("diarium_public", "x'y"))
    assert "GRANT SELECT ON" in sql and "public_publiccase" in sql
    assert "registry_" not in sql and "audit_" not in sql
    assert "PASSWORD 'x''y'" in sql  # quoted
    assert "AS RESTRICTIVE FOR SELECT" in sql
