"""Cases created per second through the REST API, with the server run as in production.

    python bench/api_throughput.py [--engine sqlite|postgres] [--clients 1,8] [--seconds 10]
        [--db-name diarium_bench_api] [--boards 12]

Starts gunicorn (several worker processes) on a fresh database, then N client threads,
each with its own keep-alive connection and token authentication, POST /api/v1/cases/ for
a fixed time. The baseline, measured in the same run with the same clients, is a read of
/api/v1/authorities/ listing a municipality's dozen boards (the issue's "read of a dozen
rows"; until this round the bench made one board: --boards 1 reads as before): what the
stack answers per second when nothing is written; beside
it a bare Django view in the same server (/health/live: the whole middleware stack, no
DRF, no database), what Django itself costs per request. Each figure also gives the CPU
time the server's processes spent per request (read from /proc): on a shared machine the
work a request costs, which other jobs do not inflate. After the run the numbers are
checked: distinct and gap-free, and no client saw an error."""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BOARDS, engine_env, fresh_database, run

SETUP = """
from diarium.organisation.models import Authority, Municipality, RoleAssignment, User
from diarium.registry.models import DiarySeries
m, _ = Municipality.objects.get_or_create(code="9998", defaults={"name": "Benchkommun"})
for code in BOARDS:
    Authority.objects.get_or_create(code=code, defaults={"municipality": m, "name": code})
a = Authority.objects.get(code="KS")
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


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the server and its worker processes so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if entry.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def load(port: int, token: str, clients: int, seconds: float, write: bool,
         path: str = "/api/v1/authorities/") -> tuple[int, int]:
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
                conn.request("GET", path, headers=headers)
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
    parser.add_argument("--boards", type=int, default=len(BOARDS),
                        help="how many boards the baseline read lists (up to 12)")
    parser.add_argument("--db-name", default="diarium_bench_api",
                        help="the PostgreSQL database to drop and make anew")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="diarium-bench-api-"))
    env = engine_env(args.engine, data_dir, args.db_name)
    fresh_database(args.engine, env, args.db_name)
    run(["shell", "-c", f"BOARDS = {BOARDS[:args.boards]!r}\n{SETUP}"], env)
    token = run(["token", "bench"], env, capture_output=True).stdout.strip().split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "diarium.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--log-level", "warning"],
        env=dict(env, DIARIUM_DB_CONN_AGE="600"),
    )
    try:
        wait_for(port)
        # Every worker must have loaded the application and answered before anything is
        # counted: the port accepts connections before the workers have booted, and a
        # booting worker's start-up (seconds of CPU on a loaded machine) would be counted
        # as the first figure's work. Warm until the server's CPU per request settles.
        previous = None
        for _ in range(20):
            cpu = server_cpu(server.pid)
            done, _errors = load(port, token, 2 * args.workers, 2, write=False)
            per_request = (server_cpu(server.pid) - cpu) / max(done, 1)
            if previous is not None and done and per_request < 1.2 * previous:
                break
            previous = per_request
        print(f"API throughput, {args.engine}, gunicorn with {args.workers} workers, "
              f"{args.seconds:.0f} s per figure, the read lists {args.boards} boards")
        def measured(clients: int, write: bool, path: str = "/api/v1/authorities/"):
            cpu = server_cpu(server.pid)
            done, errors = load(port, token, clients, args.seconds, write, path)
            cpu_ms = (server_cpu(server.pid) - cpu) * 1000 / max(done, 1)
            return done / args.seconds, errors, cpu_ms, os.getloadavg()[0]

        for clients in [int(c) for c in args.clients.split(",")]:
            bare, bare_errors, bare_cpu, bare_load = measured(clients, False, "/health/live")
            read, read_errors, read_cpu, read_load = measured(clients, False)
            case, errors, case_cpu, case_load = measured(clients, True)
            print(f"  {clients} client(s):")
            print(f"    bare Django view /health/live  {bare:6.0f} req/s  "
                  f"{1000 / bare * clients:6.2f} ms/request  server CPU {bare_cpu:5.2f} ms/req"
                  f"  ({bare_errors} errors, load {bare_load:.1f})")
            print(f"    GET /api/v1/authorities/       {read:6.0f} req/s  "
                  f"{1000 / read * clients:6.2f} ms/request  server CPU {read_cpu:5.2f} ms/req"
                  f"  ({read_errors} errors, load {read_load:.1f})")
            print(f"    POST /api/v1/cases/            {case:6.0f} req/s  "
                  f"{1000 / case * clients:6.2f} ms/request  server CPU {case_cpu:5.2f} ms/req"
                  f"  ({errors} errors, load {case_load:.1f})")
            print(f"    ratio create / read {case / read:.2f}; read / bare {read / bare:.2f}; "
                  f"server CPU read - bare {read_cpu - bare_cpu:.2f} ms")
    finally:
        server.terminate()
        server.wait()
    out = run(["shell", "-c", CHECK], env, capture_output=True).stdout
    result = next(line for line in out.splitlines() if line.startswith("RESULT"))
    _, count, gap_free = result.split()
    print(f"  {count} cases in the series, numbers gap-free: {gap_free}")


if __name__ == "__main__":
    main()
