"""Search latency with a large registry: median and 95th percentile.

    python bench/search_latency.py [--engine sqlite|postgres] [--cases N] [--documents N]

Loads N cases and documents with `diarium benchdata` (reused when already loaded into the
same data dir), then times, as a registrator of one board would see them, one results page
(count + first 25 rows) for text queries and for diarienummer lookups. The baseline is a
primary-key fetch of a case in the same run."""

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import engine_env, fresh_database, run, summary, timed

QUERIES = [
    "bygglovet",
    "detaljplanen",
    "tillsyn Storgatan",
    "upphandlingar",
    "skolskjutsen",
    "medborgarförslag",
    "beslut om bygglov",
    "remissen",
    "Ekbacken",
    "avtalet",
]


def prepare(args) -> None:
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = engine_env(args.engine, data_dir, "diarium_bench_search")
    marker = data_dir / f"loaded-{args.engine}-{args.cases}-{args.documents}"
    if not marker.exists():
        fresh_database(args.engine, env, "diarium_bench_search")
        run(["benchdata", "--cases", str(args.cases), "--documents", str(args.documents)], env)
        marker.touch()
    os.environ.update(env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "diarium-bench"))
    args = parser.parse_args()
    prepare(args)

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    django.setup()
    from diarium.organisation.models import Authority, RoleAssignment, User
    from diarium.registry.models import Case
    from diarium.registry.selectors import CaseSearch, search_cases

    user, _ = User.objects.get_or_create(username="bench-registrator")
    RoleAssignment.objects.get_or_create(
        user=user, authority=Authority.objects.get(code="KS"), role="registrar"
    )
    rng = random.Random(1)
    numbers = list(
        Case.objects.values_list("diary_number", flat=True)[:: max(1, args.cases // 500)]
    )
    ids = list(Case.objects.values_list("id", flat=True)[:: max(1, args.cases // 500)])

    def page(criteria: CaseSearch):
        def go():
            qs = search_cases(user, criteria)
            qs.count()
            list(qs[:25])

        return go

    def text():
        page(CaseSearch(text=rng.choice(QUERIES)))()

    def number():
        page(CaseSearch(diary_number=rng.choice(numbers)))()

    def baseline():
        Case.objects.get(pk=rng.choice(ids))

    for fn in (text, number, baseline):  # warm caches
        timed(fn, 5)
    base_med, base_p95 = summary(timed(baseline, args.repeat))
    print(
        f"search latency, {args.engine}, {args.cases} cases, {args.documents} documents, "
        f"{args.repeat} queries each"
    )
    print(f"  baseline (case by primary key): median {base_med:.2f} ms, p95 {base_p95:.2f} ms")
    for name, fn in (("text query (page of 25 + count)", text), ("diarienummer lookup", number)):
        med, p95 = summary(timed(fn, args.repeat))
        print(
            f"  {name}: median {med:.1f} ms, p95 {p95:.1f} ms "
            f"({med / base_med:.0f}x baseline median)"
        )


if __name__ == "__main__":
    main()
