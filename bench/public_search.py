"""The public diary's search against the staff search, on the same data in the same run;
and requests per second through gunicorn with several clients.

    python bench/public_search.py [--engine sqlite|postgres] [--cases N] [--documents N]
                                  [--clients 8] [--seconds 10] [--repeat 200]

Loads N cases and documents with `diarium benchdata` (reused when already loaded into the
same data dir), builds the public projection with `diarium public rebuild` (timed), then
times one results page (count + first 25 rows) of text queries and diary-number lookups
in the public diary (public/selectors.py, over the projection and its own index rows) and
in the staff search of a registrator of one board (registry/selectors.py), median and 95th
percentile. Last, gunicorn serves /insyn/sok/ and /api/public/v1/cases/ to N client
threads (keep-alive, rate limit off) for a fixed time.

At scale: --cases 1000000 --documents 5000000 --engine postgres."""

import argparse
import http.client
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, engine_env, fresh_database, run, summary, timed

QUERIES = ["bygglovet", "detaljplanen", "tillsyn Storgatan", "upphandlingar", "skolskjutsen",
           "medborgarförslag", "beslut om bygglov", "remissen", "Ekbacken", "avtalet"]


def prepare(args) -> dict:
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = engine_env(args.engine, data_dir, "diarium_bench_public")
    env["DIARIUM_PUBLIC_RATE"] = "off"
    marker = data_dir / f"loaded-public-{args.engine}-{args.cases}-{args.documents}"
    if not marker.exists():
        fresh_database(args.engine, env, "diarium_bench_public")
        run(["benchdata", "--cases", str(args.cases), "--documents", str(args.documents)], env)
        started = time.perf_counter()
        run(["public", "rebuild"], env)
        took = time.perf_counter() - started
        (data_dir / f"rebuild-{args.engine}-{args.cases}").write_text(f"{took:.1f}")
        marker.touch()
    os.environ.update(env)
    return env


def latency(args) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    django.setup()
    from diarium.organisation.models import Authority, RoleAssignment, User
    from diarium.public import selectors as public
    from diarium.registry.models import Case
    from diarium.registry.selectors import CaseSearch, search_cases

    user, _ = User.objects.get_or_create(username="bench-registrator")
    RoleAssignment.objects.get_or_create(user=user, authority=Authority.objects.get(code="KS"),
                                         role="registrar")
    rng = random.Random(1)
    numbers = list(Case.objects.values_list("diary_number", flat=True)
                   [:: max(1, args.cases // 500)])

    def page(qs) -> None:
        qs.count()
        list(qs[:25])

    runs = {
        "public text": lambda: page(public.cases({"q": rng.choice(QUERIES)})),
        "staff text": lambda: page(search_cases(user, CaseSearch(text=rng.choice(QUERIES)))),
        "public diary number": lambda: page(public.cases({"q": rng.choice(numbers)})),
        "staff diary number": lambda: page(search_cases(
            user, CaseSearch(diary_number=rng.choice(numbers)))),
    }
    for fn in runs.values():
        timed(fn, 5)  # warm caches
    results = {name: summary(timed(fn, args.repeat)) for name, fn in runs.items()}
    rebuild = Path(args.data_dir) / f"rebuild-{args.engine}-{args.cases}"
    print(f"public search, {args.engine}, {args.cases} cases, {args.documents} documents, "
          f"{args.repeat} queries each")
    if rebuild.exists():
        print(f"  diarium public rebuild: {rebuild.read_text()} s")
    for kind in ("text", "diary number"):
        pmed, pp95 = results[f"public {kind}"]
        smed, sp95 = results[f"staff {kind}"]
        print(f"  {kind}: public median {pmed:.1f} ms, p95 {pp95:.1f} ms; staff (baseline) "
              f"median {smed:.1f} ms, p95 {sp95:.1f} ms; ratio {pmed / smed:.2f}x")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, paths: list[str], clients: int, seconds: float) -> tuple[int, int]:
    done, errors, lock = [0], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        rng = random.Random(n)
        mine, bad = 0, 0
        while time.monotonic() < deadline:
            conn.request("GET", rng.choice(paths))
            response = conn.getresponse()
            response.read()
            mine += 1
            bad += response.status != 200
        with lock:
            done[0] += mine
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], errors[0]


def throughput(args, env: dict) -> None:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "diarium.wsgi", "-b",
         f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "warning"],
        env=env, cwd=ROOT)
    try:
        for _ in range(150):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/insyn/")
                break
            except OSError:
                time.sleep(0.2)
        for name, template in (("page /insyn/sok/", "/insyn/sok/?q={}"),
                               ("API /api/public/v1/cases/", "/api/public/v1/cases/?q={}")):
            paths = [template.format(quote(q)) for q in QUERIES]
            load(port, paths, args.clients, 2)  # warm
            count, errors = load(port, paths, args.clients, args.seconds)
            print(f"  {name}: {count / args.seconds:.0f} requests/s with {args.clients} "
                  f"clients, {args.workers} gunicorn workers ({errors} errors)")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--data-dir",
                        default=os.path.join(tempfile.gettempdir(), "diarium-bench-public"))
    args = parser.parse_args()
    env = prepare(args)
    latency(args)
    env["DIARIUM_ALLOWED_HOSTS"] = "127.0.0.1"
    throughput(args, env)


if __name__ == "__main__":
    main()
