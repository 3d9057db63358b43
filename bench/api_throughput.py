"""Cases created per second through the REST API, with the server run as in production.

    python bench/api_throughput.py [--engine sqlite|postgres] [--clients 1,8] [--seconds 10]

Starts gunicorn (several worker processes) on a fresh database, then N client threads,
each with its own keep-alive connection and token authentication, POST /api/v1/cases/ for
a fixed time. The baseline, measured in the same run with the same clients, is a read of
/api/v1/authorities/: what the stack answers per second when nothing is written. After the
run the numbers are checked: distinct and gap-free, and no client saw an error."""

import argparse
import http.client
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import engine_env, fresh_database, run

SETUP = """
from diarium.organisation.models import Authority, Municipality, RoleAssignment, User
from diarium.registry.models import DiarySeries
m, _ = Municipality.objects.get_or_create(code="9998", defaults={"name": "Benchkommun"})
a, _ = Authority.objects.get_or_create(code="KS", defaults={"municipality": m, "name": "KS"})
DiarySeries.objects.get_or_create(code="KS", defaults={"authority": a, "name": "KS"})
u, _ = User.objects.get_or_create(username="bench")
RoleAssignment.objects.get_or_create(user=u, authority=a, role="registrar")
"""
CHECK = """
from diarium.registry.models import Case
numbers = sorted(Case.objects.values_list("number", flat=True))
print("RESULT", len(numbers), numbers == list(range(1, len(numbers) + 1)))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def load(port: int, token: str, clients: int, seconds: float, write: bool) -> tuple[int, int]:
    """Requests done and errors seen by `clients` threads in `seconds`."""
    done, errors, lock = [0], [0], threading.Lock()
    stop = time.monotonic() + seconds
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = ok = bad = 0
        while time.monotonic() < stop:
            n += 1
            if write:
                body = json.dumps({"series": "KS", "title": f"Benchärende {index}-{n}"})
                conn.request("POST", "/api/v1/cases/", body, headers)
            else:
                conn.request("GET", "/api/v1/authorities/", headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status in (200, 201):
                ok += 1
            else:
                bad += 1
        conn.close()
        with lock:
            done[0] += ok
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], errors[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="diarium-bench-api-"))
    env = engine_env(args.engine, data_dir, "diarium_bench_api")
    fresh_database(args.engine, env, "diarium_bench_api")
    run(["shell", "-c", SETUP], env)
    token = run(["token", "bench"], env, capture_output=True).stdout.strip().split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "diarium.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--log-level", "warning"],
        env=dict(env, DIARIUM_DB_CONN_AGE="600"),
    )
    try:
        wait_for(port)
        load(port, token, 1, 1, write=False)  # warm every worker
        print(f"API throughput, {args.engine}, gunicorn with {args.workers} workers, "
              f"{args.seconds:.0f} s per figure")
        for clients in [int(c) for c in args.clients.split(",")]:
            reads, read_errors = load(port, token, clients, args.seconds, write=False)
            cases, errors = load(port, token, clients, args.seconds, write=True)
            read_rate, case_rate = reads / args.seconds, cases / args.seconds
            print(f"  {clients} client(s): {case_rate:.0f} cases/s created "
                  f"({errors} errors); baseline read {read_rate:.0f} req/s "
                  f"({read_errors} errors); ratio {case_rate / read_rate:.2f}")
    finally:
        server.terminate()
        server.wait()
    out = run(["shell", "-c", CHECK], env, capture_output=True).stdout
    result = next(line for line in out.splitlines() if line.startswith("RESULT"))
    _, count, gap_free = result.split()
    print(f"  {count} cases in the series, numbers gap-free: {gap_free}")


if __name__ == "__main__":
    main()
