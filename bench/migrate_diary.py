"""Bringing a former diarium in: `diarium migrate-diary import` of a generated CSV export,
against a bare bulk insert of the same rows, in the same run.

    python bench/migrate_diary.py [--engine sqlite|postgres] [--cases 100000]
                                  [--files-every 10]

The export: N cases in five series over the years 2015-2024 (open, closed, voided, 5 %
secret), 1-5 documents each (3 on average; half with a record type of the sample plan, so
disposal dates are computed), a party for most cases (people with a personnummer,
organisations, some repeated), and a small file for every Kth case. Each phase runs in a
fresh process (its own ru_maxrss) on a fresh database holding the sample plan and the five
series (`diarium benchdata --cases 0 --record-types`):

- baseline: the same rows read with the csv module and bulk_create'd (cases, documents,
  contacts, case parties) in batches of 500, with no checks, no audit events, no search
  index, no disposal dates, no counters and no files: the floor for moving the rows;
- import: `import_diary` (read into the staging file, check everything, then bring it in:
  files stored and verified, audit events, index entries, disposal dates, counters);
- again: the same export imported once more into the database the import made (every case
  is found brought in before and skipped: the cost of checking alone).

The ratio import/baseline is the price of the invariants. Wall clock and the process's CPU
time are both shown: on a shared machine the wall clock also counts waiting for the CPU, and
on PostgreSQL the server's own work is not in the process's CPU time."""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import engine_env, fresh_database, run

SERIES = ["KS", "BUN", "SN", "MBN", "TN"]
DB = "diarium_migrate_bench"


# -- the export -------------------------------------------------------------------------


def _luhn(digits: str) -> int:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def personnummer(rng: random.Random) -> str:
    date = f"{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    tail = f"{rng.randint(0, 999):03d}"
    return f"19{date}-{tail}{_luhn(date + tail)}"


def generate(folder: Path, cases: int, files_every: int, record_types: list[str]) -> dict:
    rng = random.Random(7)
    (folder / "files").mkdir(parents=True)
    counts = {"cases": 0, "documents": 0, "parties": 0, "files": 0}
    numbers = {}
    people = [(personnummer(rng), f"Person {i}") for i in range(2000)]
    with (folder / "cases.csv").open("w", newline="", encoding="utf-8") as c_out, \
            (folder / "documents.csv").open("w", newline="", encoding="utf-8") as d_out, \
            (folder / "parties.csv").open("w", newline="", encoding="utf-8") as p_out:
        c = csv.writer(c_out, delimiter=";")
        d = csv.writer(d_out, delimiter=";")
        p = csv.writer(p_out, delimiter=";")
        c.writerow(["case_id", "diary_number", "title", "public_title", "status", "opened",
                    "closed", "voided", "void_reason", "secrecy_provision"])
        d.writerow(["case_id", "number", "direction", "record_type", "title",
                    "document_date", "registered", "sender_recipient", "files"])
        p.writerow(["case_id", "kind", "name", "identity_number", "role"])
        for i in range(cases):
            series, year = SERIES[i % 5], 2015 + (i // 5) % 10
            numbers[(series, year)] = numbers.get((series, year), 0) + 1
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            opened = f"{year}-{month:02d}-{day:02d}"
            status = rng.choice(["closed", "closed", "closed", "open", "voided"])
            closed = f"{year}-12-31" if status == "closed" else ""
            secret = "OSL 26:1" if rng.random() < 0.05 else ""
            c.writerow([f"c{i}", f"{series} {year}/{numbers[(series, year)]}",
                        f"Ärende {i} om bygglov på Storgatan {i % 97}", "Bygglov", status,
                        opened, closed, f"{year}-12-30" if status == "voided" else "",
                        "Felregistrerat" if status == "voided" else "", secret])
            for n in range(1, rng.randint(1, 5) + 1):
                files = ""
                if files_every and i % files_every == 0 and n == 1:
                    name = f"{i}/brev.txt"
                    path = folder / "files" / name
                    path.parent.mkdir()
                    path.write_bytes(f"Brev i ärende {i}.\n".encode() * 40)
                    files, counts["files"] = name, counts["files"] + 1
                d.writerow([f"c{i}", n, rng.choice(["inkommande", "utgående", "upprättad"]),
                            rng.choice(record_types) if rng.random() < 0.5 else "",
                            f"Handling {n} i ärende {i}", opened, f"{opened} 10:{n:02d}",
                            "Anna Lind", files])
                counts["documents"] += 1
            if rng.random() < 0.8:
                if rng.random() < 0.5:
                    number, name = rng.choice(people)
                    p.writerow([f"c{i}", "person", name, number, "sökande"])
                else:
                    p.writerow([f"c{i}", "organisation", f"Företag {i % 500} AB", "", "ombud"])
                counts["parties"] += 1
            counts["cases"] += 1
    return counts


# -- the phases (each in its own process) -------------------------------------------------


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    django.setup()


def names() -> list[str]:
    """A few record type names of the sample plan in force (the same for every board)."""
    _django()
    from django.utils import timezone

    from diarium.organisation.models import Authority
    from diarium.plan import selectors

    ks = Authority.objects.get(code="KS")
    found = list(selectors.rules_in_force(ks.pk, timezone.localdate()).values_list(
        "name", flat=True))
    counts = {}
    for name in found:
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    return sorted({n for n in found if counts[n.casefold()] == 1})[:12]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase(name: str, folder: Path) -> dict:
    _django()
    started, cpu = time.perf_counter(), _cpu()
    if name == "baseline":
        counts = _bare(folder)
    else:
        from diarium.core.actors import DIARY_MIGRATION
        from diarium.diarymigration import mapping
        from diarium.diarymigration.importing import import_diary

        report = import_diary(DIARY_MIGRATION, folder, mapping.Mapping())
        if not report.ok:
            raise SystemExit("\n".join(str(i) for i in report.sorted_issues()[:20]))
        counts = {"cases": report.new_cases, "skipped": report.skipped_cases,
                  "documents": report.documents, "files": report.files}
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "cpu": cpu, "rss_mb": rss, **counts}


def _bare(folder: Path) -> dict:
    """The rows and nothing else: bulk_create in batches of 500."""
    import datetime as dt
    import uuid
    from zoneinfo import ZoneInfo

    from django.db import transaction

    from diarium.registry.models import Case, CaseParty, DiarySeries, Document, Party

    tz = ZoneInfo("Europe/Stockholm")
    series = {s.code: s for s in DiarySeries.objects.all()}
    directions = {"inkommande": "incoming", "utgående": "outgoing", "upprättad": "internal"}
    case_ids: dict[str, uuid.UUID] = {}

    def moment(text: str) -> dt.datetime | None:
        return dt.datetime.fromisoformat(text).replace(tzinfo=tz) if text else None

    def chunks(path: Path):
        with path.open(encoding="utf-8", newline="") as stream:
            rows = []
            for row in csv.DictReader(stream, delimiter=";"):
                rows.append(row)
                if len(rows) == 500:
                    yield rows
                    rows = []
            if rows:
                yield rows

    for rows in chunks(folder / "cases.csv"):
        made = []
        for row in rows:
            code, rest = row["diary_number"].split(" ")
            year, number = rest.split("/")
            s = series[code]
            case = Case(series=s, authority_id=s.authority_id, year=int(year),
                        number=int(number), diary_number=row["diary_number"],
                        title=row["title"], public_title=row["public_title"],
                        status={"voided": "voided"}.get(row["status"], row["status"]),
                        opened_at=moment(row["opened"]), closed_at=moment(row["closed"]),
                        voided_at=moment(row["voided"]), void_reason=row["void_reason"],
                        secrecy_provision=row["secrecy_provision"])
            case_ids[row["case_id"]] = case.pk
            made.append(case)
        with transaction.atomic():
            Case.objects.bulk_create(made)
    documents = 0
    for rows in chunks(folder / "documents.csv"):
        made = [Document(case_id=case_ids[r["case_id"]], number=int(r["number"]),
                         direction=directions[r["direction"]], title=r["title"],
                         document_date=dt.date.fromisoformat(r["document_date"]),
                         registered_at=moment(r["registered"]),
                         sender_recipient=r["sender_recipient"]) for r in rows]
        documents += len(made)
        with transaction.atomic():
            Document.objects.bulk_create(made)
    for rows in chunks(folder / "parties.csv"):
        contacts = [Party(kind=r["kind"], name=r["name"], identity_number=r["identity_number"])
                    for r in rows]
        links = [CaseParty(case_id=case_ids[r["case_id"]], party=p, role=r["role"])
                 for r, p in zip(rows, contacts, strict=True)]
        with transaction.atomic():
            Party.objects.bulk_create(contacts)
            CaseParty.objects.bulk_create(links)
    return {"cases": len(case_ids), "documents": documents, "files": 0}


def _child(env: dict, *args: str) -> str:
    return subprocess.run([sys.executable, __file__, *args], env=env, check=True, text=True,
                          capture_output=True).stdout.strip().splitlines()[-1]


def _prepare(engine: str, env: dict) -> None:
    fresh_database(engine, env, DB)
    run(["benchdata", "--cases", "0", "--documents", "0", "--record-types", "--skip-index"],
        env, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--files-every", type=int, default=10)
    parser.add_argument("--phase")
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.phase == "names":
        print(json.dumps(names()))
        return
    if args.phase:
        print(json.dumps(phase(args.phase, Path(args.folder))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-migrate-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        env = engine_env(args.engine, data, DB)
        _prepare(args.engine, env)
        record_types = json.loads(_child(env, "--phase", "names"))
        folder = Path(tmp) / "export"
        started = time.perf_counter()
        counts = generate(folder, args.cases, args.files_every, record_types)
        print(f"export: {counts['cases']} cases, {counts['documents']} documents, "
              f"{counts['parties']} parties, {counts['files']} files "
              f"(generated in {time.perf_counter() - started:.0f} s); engine {args.engine}")
        results = {}
        for name in ("baseline", "import", "again"):
            if name != "again":
                _prepare(args.engine, env)
            results[name] = json.loads(_child(env, "--phase", name, "--folder", str(folder)))
            r = results[name]
            print(f"{name:9s} {r['seconds']:8.1f} s  {counts['cases'] / r['seconds']:7.0f} "
                  f"cases/s  {counts['documents'] / r['seconds']:7.0f} documents/s  "
                  f"CPU {r['cpu']:7.1f} s  peak RSS {r['rss_mb']:6.0f} MB")
        base, base_cpu = results["baseline"]["seconds"], results["baseline"]["cpu"]
        print("ratios against the bare bulk insert (wall clock / CPU of this process): "
              f"import {results['import']['seconds'] / base:.1f} / "
              f"{results['import']['cpu'] / base_cpu:.1f}, again (all skipped) "
              f"{results['again']['seconds'] / base:.1f} / "
              f"{results['again']['cpu'] / base_cpu:.1f}")


if __name__ == "__main__":
    main()
