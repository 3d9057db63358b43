"""The organisation file import at a large municipality's size: time against the same
objects created by calling the services directly, in the same run.

    python bench/organisation_import.py [--engine sqlite|postgres] [--users 2000]

A generated file: 2 municipalities, 12 boards (one joint) with a series each, 9
administrations, 36 units, N users, 2 roles per user. Each phase runs in a fresh
process on a fresh database:

- baseline: the services called directly for every object, in one transaction (what
  the import must do at least: every row is a service call with its audit event);
- import: `import_organisation` on the YAML file (reading, checking, comparing, applying);
- again: the same file imported into the database it made (every row unchanged);
- dry run: the file checked against an empty database (all the work, rolled back).

The ratio import/baseline is the cost of the file layer."""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import engine_env, fresh_database

BOARDS = ["KS", "BUN", "GVN", "SN", "VON", "TN", "MBN", "KFN", "VAL", "KLN", "MN", "ÖFN"]
ROLES = ["registrator", "handläggare", "nämndsekreterare", "läsare"]


def organisation(users: int) -> dict:
    adms = [f"Förvaltning {i}" for i in range(1, 10)]
    return {
        "kommuner": [{"kod": "9901", "namn": "Sjöviks kommun"},
                     {"kod": "9902", "namn": "Björkfors kommun"}],
        "myndigheter": [{"kod": b, "namn": f"Nämnd {b}", "kommun": "9901",
                         **({"medlemskommuner": ["9901", "9902"]} if b == "ÖFN" else {})}
                        for b in BOARDS],
        "diarieserier": [{"kod": b, "myndighet": b, "namn": f"Diarium {b}"} for b in BOARDS],
        "forvaltningar": [{"kommun": "9901", "namn": a,
                           "myndigheter": [BOARDS[i], BOARDS[(i + 3) % len(BOARDS)]]}
                          for i, a in enumerate(adms)],
        "enheter": [{"kommun": "9901", "förvaltning": a, "namn": f"Enhet {j}"}
                    for a in adms for j in range(1, 5)],
        "anvandare": [{"användarnamn": f"user{i:05d}", "förnamn": "Förnamn", "efternamn":
                       f"Efternamn {i}", "epost": f"user{i}@sjovik.example",
                       "hemkommun": "9901", "förvaltning": adms[i % 9],
                       "enhet": f"Enhet {i % 4 + 1}"} for i in range(users)],
        "roller": [{"användarnamn": f"user{i:05d}", "myndighet": BOARDS[(i + k) % 11],
                    "roll": ROLES[(i + k) % 4]} for i in range(users) for k in (0, 5)],
    }


def phase(name: str, path: Path) -> float:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    django.setup()
    from django.db import transaction

    from diarium.core.actors import OPERATOR
    from diarium.registry.orgfile import files
    from diarium.registry.orgfile.importing import import_organisation

    started = time.perf_counter()
    if name == "baseline":
        with transaction.atomic():
            _direct(OPERATOR, files.read_path(path))
    else:
        import_organisation(OPERATOR, files.read_path(path), dry_run=name == "dry run")
    return time.perf_counter() - started


def _direct(actor, book) -> None:
    """The same objects through the services, no comparison and no report."""
    from diarium.organisation import services as org
    from diarium.organisation.models import Municipality
    from diarium.registry import services as registry
    from diarium.registry.orgfile.sheets import ROLE_CODES, parse_list

    munis = {r.get("kod"): org.create_municipality(actor, name=r.get("namn"), code=r.get("kod"))
             for r in book["kommuner"].rows}
    auths = {}
    for r in book["myndigheter"].rows:
        auths[r.get("kod")] = org.create_authority(
            actor, munis[r.get("kommun")], code=r.get("kod"), name=r.get("namn"),
            members=[munis[c] for c in parse_list(r.get("medlemskommuner"))])
    for r in book["diarieserier"].rows:
        registry.create_series(actor, auths[r.get("myndighet")], code=r.get("kod"),
                               name=r.get("namn"))
    adms = {r.get("namn"): org.create_administration(
        actor, munis["9901"], name=r.get("namn"),
        authorities=[auths[c] for c in parse_list(r.get("myndigheter"))])
        for r in book["forvaltningar"].rows}
    units = {(r.get("förvaltning"), r.get("namn")): org.create_unit(
        actor, adms[r.get("förvaltning")], name=r.get("namn")) for r in book["enheter"].rows}
    home = Municipality.objects.get(code="9901")
    users = {r.get("användarnamn"): org.create_user(
        actor, username=r.get("användarnamn"), municipality=home,
        first_name=r.get("förnamn"), last_name=r.get("efternamn"), email=r.get("epost"),
        unit=units[(r.get("förvaltning"), r.get("enhet"))]) for r in book["anvandare"].rows}
    for r in book["roller"].rows:
        org.assign_role(actor, users[r.get("användarnamn")], auths[r.get("myndighet")],
                        ROLE_CODES[r.get("roll")])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--phase")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.phase:
        print(phase(args.phase, Path(args.file)))
        return
    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "org.yaml"
        path.write_text(yaml.safe_dump(organisation(args.users), allow_unicode=True,
                                       sort_keys=False), encoding="utf-8")
        env = engine_env(args.engine, Path(tmp), "diarium_bench_orgfile")
        results = {}
        for name in ("baseline", "import", "again", "dry run"):
            if name != "again":  # "again" runs on the database the import made
                fresh_database(args.engine, env, "diarium_bench_orgfile")
            out = subprocess.run([sys.executable, __file__, "--phase", name, "--file",
                                  str(path)], env=env, check=True, text=True,
                                 capture_output=True).stdout
            results[name] = float(out.strip().splitlines()[-1])
            rows = args.users * 3 + 12 * 2 + 9 + 36 + 2
            print(f"{name:9s} {results[name]:7.2f} s  ({rows / results[name]:6.0f} rows/s)")
        base = results["baseline"]
        print(f"ratios against the direct service calls: import {results['import'] / base:.2f}, "
              f"again (unchanged) {results['again'] / base:.2f}, "
              f"dry run {results['dry run'] / base:.2f}")


if __name__ == "__main__":
    main()
