"""What the visibility policy costs: the stricter party filter on the party search, and
auditing one event per page view on the search page, each beside the query shape it
replaced, measured side by side in the same run (nothing is checked out).

    python bench/visibility_cost.py [--engine sqlite|postgres] [--parties N] [--cases N]

Loads N cases with `diarium benchdata` (5 % secret, five boards), then N parties, each
linked to one or two cases (so about 5 % of them appear only in secret cases), and a
few documents naming a party. Timings (median and p95 of --repeat runs):

1. Party search, one page of 25 and the count, by a name fragment, by a whole
   personnummer and with no search at all (the whole register), as a case officer of
   one board (outside every access group: the worst case for the filter) and as a
   registrator:
   - before: the whole register (`Party.objects.all()`) through the same PartyFilter;
   - after: the parties the policy lets the user see (`selectors.parties`).
2. The staff search page (`/sok/`, the first page of all cases, rendered), as a
   registrator who reads the secret cases on it:
   - before: the page without any audit (today's main audits no list page);
   - after: one `secret.read` event for the page view;
   - and, for scale, one event per secret row (what the API's lists did before).
The baseline is a primary-key fetch of a party in the same run."""

import argparse
import os
import random
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import engine_env, fresh_database, run, summary, timed

DB = "diarium_bench_visibility"
FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Per", "Lena", "Johan", "Sara", "Nils"]
LAST = ["Andersson", "Berg", "Holm", "Lind", "Nyberg", "Ström", "Ek", "Wik", "Dahl", "Sund"]


def prepare(args) -> None:
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = engine_env(args.engine, data_dir, DB)
    env["DIARIUM_ALLOWED_HOSTS"] = "testserver"
    marker = data_dir / f"loaded-{args.engine}-{args.cases}-{args.parties}"
    if not marker.exists():
        fresh_database(args.engine, env, DB)
        run(["benchdata", "--cases", str(args.cases), "--documents", str(args.cases),
             "--skip-index"], env)
        os.environ.update(env)
        _setup()
        load_parties(args.parties)
        marker.touch()
    os.environ.update(env)


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    django.setup()


def personnummer(n: int) -> str:
    from diarium.registry.identity import luhn_ok

    digits = f"{1950 + n % 50:04d}{1 + n % 12:02d}{1 + n % 28:02d}"[2:] + f"{n % 1000:03d}"
    check = next(d for d in "0123456789" if luhn_ok(digits + d))
    return f"{1950 + n % 50}{digits[2:6]}-{digits[6:]}{check}"


def load_parties(count: int) -> None:
    from django.db import connection

    from diarium.registry.models import Case, CaseParty, Document, Party

    rng = random.Random(7)
    case_ids = list(Case.objects.values_list("id", flat=True))
    batch = 5_000
    for start in range(0, count, batch):
        parties = [
            Party(id=uuid.uuid4(), kind="person", identity_number=personnummer(n),
                  name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                  email=f"p{n}@example.se")
            for n in range(start, min(start + batch, count))
        ]
        Party.objects.bulk_create(parties)
        links = [CaseParty(case_id=case_id, party=p, role="part")
                 for p in parties for case_id in rng.sample(case_ids, rng.choice([1, 1, 2]))]
        CaseParty.objects.bulk_create(links, ignore_conflicts=True)
        print(f"{start + len(parties)} parties", end="\r")
    docs = list(Document.objects.values_list("id", flat=True)[: count // 10])
    party_ids = list(Party.objects.values_list("id", flat=True)[: len(docs)])
    for doc_id, party_id in zip(docs, party_ids, strict=False):
        Document.objects.filter(pk=doc_id).update(party_id=party_id)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print()


def report(name: str, before, after, repeat: int) -> None:
    for fn in (before, after):
        timed(fn, 5)  # warm caches
    b_med, b_p95 = summary(timed(before, repeat))
    a_med, a_p95 = summary(timed(after, repeat))
    print(f"  {name}: before median {b_med:.1f} ms, p95 {b_p95:.1f} ms; "
          f"after median {a_med:.1f} ms, p95 {a_p95:.1f} ms "
          f"({a_med / b_med:.2f}x median, {a_p95 / b_p95:.2f}x p95)")


def staff(username: str, role: str, code: str):
    from diarium.organisation.models import Authority, RoleAssignment, User

    user, _ = User.objects.get_or_create(username=username)
    RoleAssignment.objects.get_or_create(user=user, authority=Authority.objects.get(code=code),
                                         role=role)
    return User.objects.get(pk=user.pk)  # fresh: no cached roles or policy


def party_search(args, rng) -> None:
    from diarium.registry import selectors
    from diarium.registry.api.filters import PartyFilter
    from diarium.registry.models import Party

    numbers = list(Party.objects.values_list("identity_number", flat=True)[::997])
    names = [f"{first} {last}" for first in FIRST for last in LAST]

    def search(user, everything: bool, query):
        def go():
            filters = PartyFilter(data={} if query is None else {"q": query()})
            filters.is_valid(raise_exception=True)
            base = Party.objects.all() if everything else selectors.parties(user)
            qs = filters.apply(base)
            qs.count()
            list(qs[:25])
        return go

    ids = list(Party.objects.values_list("id", flat=True)[::499])
    base_med, base_p95 = summary(timed(lambda: Party.objects.get(pk=rng.choice(ids)),
                                       args.repeat))
    print(f"party search, {args.engine}, {Party.objects.count()} parties, "
          f"{args.repeat} searches each")
    print(f"  baseline (party by primary key): median {base_med:.2f} ms, p95 {base_p95:.2f} ms")
    for label, user in (("case officer", staff("bench-officer", "handlaggare", "SN")),
                        ("registrator", staff("bench-registrator", "registrator", "KS"))):
        for kind, query in (("by name", lambda: rng.choice(names)),
                            ("by personnummer", lambda: rng.choice(numbers)),
                            ("the whole register (no search)", None)):
            report(f"{label}, {kind}", search(user, True, query),
                   search(user, False, query), args.repeat)


def search_page(args) -> None:
    from django.test import Client

    from diarium.registry import visibility
    from diarium.registry.services import note_shown

    user = staff("bench-registrator-all", "registrator", "KS")
    for code in ("BUN", "SN", "MBN", "TN"):
        staff("bench-registrator-all", "registrator", code)
    client = Client()
    client.force_login(user)

    def page():
        response = client.get("/sok/")
        assert response.status_code == 200

    def per_row(actor, view, shown):
        for item in shown:
            note_shown(actor, view, [item])

    original = visibility.RegistryPolicy.page

    def with_writer(write):
        def make(policy, view):
            return visibility.RegistryPage(policy.user, view, write, policy=policy)
        return make

    def run_with(write):
        def go():
            visibility.RegistryPolicy.page = with_writer(write)
            try:
                page()
            finally:
                visibility.RegistryPolicy.page = original
        return go

    print(f"search page (/sok/, first page of 25 cases), {args.engine}, {args.repeat} views")
    report("one secret.read event per page view", run_with(lambda *a: None),
           run_with(note_shown), args.repeat)
    report("for scale: one event per secret row", run_with(lambda *a: None),
           run_with(per_row), args.repeat)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--data-dir",
                        default=os.path.join(tempfile.gettempdir(), "diarium-bench-visibility"))
    args = parser.parse_args()
    prepare(args)
    _setup()
    rng = random.Random(1)
    party_search(args, rng)
    search_page(args)


if __name__ == "__main__":
    main()
