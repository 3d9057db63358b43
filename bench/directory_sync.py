"""The directory sync at a municipality's size, against a real OpenLDAP server (Debian's
slapd on a local port, as in tests/sso): time of a first sync (every user created, with a
unit and a role, each audited), a second one (nothing changed) and a dry run, against a
bare paged ldap3 search of the same entries and attributes in the same run.

    python bench/directory_sync.py [--engine sqlite|postgres] [--users 5000]

The ratio sync/search is the cost of planning, matching and the audited services per
person on top of reading the directory."""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from tests.sso import slapd  # noqa: E402

from _common import engine_env, fresh_database  # noqa: E402


def people_ldif(users: int) -> str:
    return "\n".join(slapd.person(
        f"u{n:05d}", f"Förnamn{n}", f"Efternamn{n}", mail=f"u{n:05d}@sjovik.se",
        unit=f"Enhet {n % 20}", number=str(100000 + n),
        groups=["diarium-ks-handlaggare"] if n % 3 else ["diarium-ks-registratorer"])
        for n in range(users))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=5000)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="diarium-bench-directory-"))
    (folder / "ldap").mkdir()
    server = slapd.Slapd(folder / "ldap")
    server.start()
    try:
        server.add(slapd.BASE_LDIF)
        server.clear_people()
        server.add(people_ldif(options.users))
        env = engine_env(options.engine, folder / "data", "diarium_bench_directory")
        env.update({
            "DIARIUM_LDAP_URL": server.url, "DIARIUM_LDAP_USER_BASE": slapd.PEOPLE,
            "DIARIUM_LDAP_BIND_DN": slapd.ADMIN_DN,
            "DIARIUM_LDAP_BIND_PASSWORD": slapd.ADMIN_PASSWORD,
            "DIARIUM_LDAP_USER_FILTER": "(objectClass=inetOrgPerson)",
            "DIARIUM_LDAP_DISABLED_FILTER": "(employeeType=inaktiv)",
            "DIARIUM_LDAP_ATTRIBUTES": '{"username": "uid", "unit": "departmentNumber", '
                                       '"external_id": "employeeNumber", '
                                       '"groups": "businessCategory"}',
            "DIARIUM_SSO_GROUP_ROLES": '{"diarium-ks-handlaggare": ["KS:officer"], '
                                       '"diarium-ks-registratorer": ["KS:registrar"]}',
        })
        fresh_database(options.engine, env, "diarium_bench_directory")
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "diarium.settings"
        import django

        django.setup()
        measure(options.users)
    finally:
        server.stop()


def measure(users: int) -> None:
    import ldap3
    from django.conf import settings

    from diarium.core.actors import OPERATOR
    from diarium.organisation import directory, services

    muni = services.create_municipality(OPERATOR, name="Sjöviks kommun", code="9901")
    services.create_authority(OPERATOR, muni, code="KS", name="Kommunstyrelsen")
    administration = services.create_administration(OPERATOR, muni, name="Förvaltningen")
    for n in range(20):
        services.create_unit(OPERATOR, administration, name=f"Enhet {n}")
    conf = settings.LDAP_SYNC

    def bare_search() -> int:
        connection = ldap3.Connection(ldap3.Server(conf["url"]), conf["bind_dn"],
                                      conf["bind_password"], auto_bind=True)
        found = sum(1 for e in connection.extend.standard.paged_search(
            conf["user_base"], conf["user_filter"], attributes=[
                v for v in conf["attributes"].values() if v], paged_size=500,
            generator=True) if e.get("type") == "searchResEntry")
        connection.unbind()
        return found

    rows = []
    for label, run in (("bare ldap3 paged search", bare_search),
                       ("dry run (empty Diarium)", lambda: directory.sync(dry_run=True)),
                       ("first sync (all created)", lambda: directory.sync()),
                       ("second sync (no change)", lambda: directory.sync()),
                       ("bare ldap3 paged search", bare_search)):
        start = time.perf_counter()
        result = run()
        rows.append((label, time.perf_counter() - start, result))
    baseline = min(t for label, t, _r in rows if label.startswith("bare"))
    print(f"{users} people, engine {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}")
    for label, seconds, result in rows:
        counts = "" if isinstance(result, int) else "  " + ", ".join(
            f"{k} {v}" for k, v in result.counts().items() if v)
        print(f"{label:28s} {seconds:8.2f} s  {users / seconds:8.0f} people/s  "
              f"x{seconds / baseline:7.1f}{counts}")


if __name__ == "__main__":
    main()
