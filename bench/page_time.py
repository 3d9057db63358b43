"""Server time of the staff pages with a budget (issue: case page with 200 documents and
1 000 history events, the work lists, the search page) at the bench data's size.

    .venv/bin/python bench/page_time.py --engine sqlite --data-dir DIR [--cpu]
    .venv/bin/python bench/page_time.py --engine postgres --data-dir DIR --db-name NAME

Reads a database that `diarium benchdata` filled (bench/search_latency.py loads one; the
marker it leaves is required) and adds to it, once: a registrator of KS (bench-pages),
500 cases of KS made hers, and one case of hers with 200 documents (every other one
secret) and 1 000 history events. Each page is requested through Django's test client in
this process, so the time is the server's work for the request (no HTTP, no network);
`/health/live` (a bare view through the same middleware) is the baseline of the same
run. --cpu times this process's CPU instead of the wall clock (SQLite only: PostgreSQL's
own work is in its server process). The process is set up as a web process is
(diarium.wsgi: core/collector.py), and the garbage collector's share of each page's time
is printed beside it."""

import argparse
import datetime as dt
import gc
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import engine_env, summary, timed

USER = "bench-pages"
QUERIES = ["bygglov", "tillsyn Storgatan", "beslut", "remiss Ekbacken"]


def ready(args) -> None:
    data_dir = Path(args.data_dir)
    if not any(data_dir.glob(f"loaded-{args.engine}-*")):
        sys.exit(f"{data_dir}: no bench data loaded for {args.engine} "
                 "(run bench/search_latency.py first)")
    os.environ.update(engine_env(args.engine, data_dir, args.db_name))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")


def big_case(user):
    """The registrator's case with 200 documents and 1 000 history events (made once)."""
    from django.db import transaction
    from django.utils import timezone

    from diarium.audit import services as audit
    from diarium.organisation.models import Authority
    from diarium.registry import indexing
    from diarium.registry.models import Case, DiarySeries, Document

    found = Case.objects.filter(title="Sidbudget: 200 handlingar", responsible_officer=user)
    if found.exists():
        return found.get()
    series = DiarySeries.objects.filter(authority=Authority.objects.get(code="KS")).first()
    with transaction.atomic():
        number = (Case.objects.filter(series=series, year=2026).order_by("-number")
                  .values_list("number", flat=True).first() or 0) + 1
        case = Case.objects.create(
            series=series, authority=series.authority, year=2026, number=number,
            diary_number=f"{series.code} 2026/{number}", title="Sidbudget: 200 handlingar",
            public_title="Sidbudget", opened_at=timezone.now(), responsible_officer=user,
            document_count=200)
        docs = Document.objects.bulk_create([
            Document(case=case, number=n, direction="incoming", title=f"Remiss {n}",
                     document_date=dt.date(2026, 1, 1), registered_at=timezone.now(),
                     secrecy_provision="OSL 26:1" if n % 2 else "")
            for n in range(1, 201)])
        indexing.index_many([(case, [])], docs)
        audit.record_many(actor=user, events=[audit.Pending(
            action="case.updated", obj=case, chain=f"authority:{case.authority_id}",
            case_id=case.pk, before={"title": f"v{n}"}, after={"title": f"v{n + 1}"})
            for n in range(1000)])
    return case


def registrator():
    from diarium.organisation.models import Authority, RoleAssignment, User
    from diarium.registry.models import Case

    user, made = User.objects.get_or_create(username=USER, defaults={"first_name": "Bench"})
    ks = Authority.objects.get(code="KS")
    RoleAssignment.objects.get_or_create(user=user, authority=ks, role="registrar")
    if made:  # 500 open cases of KS become hers: "Mina ärenden" has rows
        ids = list(Case.objects.filter(authority=ks, status="open")
                   .values_list("pk", flat=True)[:500])
        Case.objects.filter(pk__in=ids).update(responsible_officer=user)
    return user


class Collections:
    """The garbage collector's passes while pages are timed (gc.callbacks): how many were
    full ones, and their share of the time (core/collector.py)."""

    def __init__(self) -> None:
        self.passes: list[tuple[int, float]] = []
        self._start = 0.0
        gc.callbacks.append(self._seen)

    def _seen(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.passes.append((info["generation"], (time.perf_counter() - self._start) * 1000))

    def reset(self) -> None:
        self.passes.clear()

    def describe(self, total_ms: float) -> str:
        full = [ms for generation, ms in self.passes if generation == 2]
        spent = sum(ms for _generation, ms in self.passes)
        return (f"collector {spent:.0f} ms of {total_ms:.0f} ({len(full)} full passes, "
                f"{sum(full):.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--db-name", default="diarium_bench")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--cpu", action="store_true")
    args = parser.parse_args()
    ready(args)
    from django.test import Client
    from django.urls import reverse

    import diarium.wsgi  # noqa: F401 (set up as a web process is: core/collector.py)

    user = registrator()
    case = big_case(user)
    web = Client(HTTP_HOST="localhost")
    web.force_login(user)
    clock = time.process_time if args.cpu else time.perf_counter

    def get(url: str, params: dict | None = None):
        def go():
            response = web.get(url, params or {})
            if response.status_code != 200:
                raise SystemExit(f"{url} {params}: {response.status_code}")
        return go

    pages = [("case page, 200 documents, 1 000 events", get(reverse("registry:case",
                                                                    args=[case.pk])))]
    pages += [(f"work list {slug}", get(reverse("registry:worklist", args=[slug])))
              for slug in ("mina", "enhetens", "myndighetens")]
    pages += [(f"search {q!r}", get(reverse("registry:search"), {"q": q})) for q in QUERIES]
    baseline = get("/health/live")
    for _name, fn in [("baseline", baseline), *pages]:
        timed(fn, 2)  # warm caches
    base = summary(timed(baseline, args.repeat * 2, clock))
    print(f"page server time, {args.engine}, {'CPU' if args.cpu else 'wall'} ms, "
          f"{args.repeat} requests each; load average {os.getloadavg()[0]:.1f}")
    print(f"  baseline /health/live: median {base[0]:.2f}, p95 {base[1]:.2f}")
    collections = Collections()
    for name, fn in pages:
        collections.reset()
        times = timed(fn, args.repeat, clock)
        med, p95 = summary(times)
        print(f"  {name}: median {med:.1f}, p95 {p95:.1f} ({med / base[0]:.0f}x baseline); "
              f"{collections.describe(sum(times))}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process {rss:.0f} MiB")


if __name__ == "__main__":
    main()
