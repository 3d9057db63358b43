"""Login time with each password hasher: median and 95th percentile of a full login
(POST /logga-in/ with the right password: lockout check, hash check, session) in one run.

    python bench/login.py [--logins N]

Phases, each against a user whose password is stored with that hasher:
  pbkdf2         Django's PBKDF2 (1,000,000 iterations): the hasher before Argon2
  argon2         Diarium's Argon2id (DIARIUM_ARGON2_* settings)
  argon2-django  Django's own Argon2 defaults (100 MiB, 8 lanes), for comparison
  upgrade        a PBKDF2 hash checked and rehashed with Argon2id: each user's first login
The baseline is a GET of the login page (rendering, session, middleware) in the same run.
Each figure is wall-clock time and, beside it, the CPU time the process spent: on a busy
machine (other processes on the same cores) the wall-clock time grows, the CPU time is
what one login costs on an idle core."""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import summary

PASSWORD = "Grusväg-Tallkotte-91"
PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
ARGON2 = "diarium.core.passwords.Argon2PasswordHasher"
DJANGO_ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def setup_django(data_dir: str) -> None:
    os.environ.update(DIARIUM_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="diarium.settings",
                      DIARIUM_ALLOWED_HOSTS="testserver")
    os.environ.pop("DIARIUM_DATABASE_URL", None)
    (Path(data_dir) / "static").mkdir(exist_ok=True)  # whitenoise warns without it
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def timed(action, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each call."""
    wall, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def phase(name: str, hashers: list[str], stored_with: str, n: int):
    from django.contrib.auth.hashers import make_password
    from django.test import Client, override_settings

    from diarium.organisation.models import User

    user = User.objects.create(username=f"bench-{name}")
    wall, cpu = [], []
    with override_settings(PASSWORD_HASHERS=hashers):
        for _ in range(n):
            User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD,
                                                                          hasher=stored_with))
            client = Client()
            (w,), (c,) = timed(lambda c=client: _login(c, user.username), 1)
            wall.append(w)
            cpu.append(c)
    return wall, cpu


def _login(client, username: str) -> None:
    response = client.post("/logga-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=15)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="diarium-bench-login-"))
    from django.conf import settings
    from django.test import Client

    page = Client()
    page.get("/logga-in/")
    baseline = timed(lambda: page.get("/logga-in/"), args.logins)
    results = {
        "login, pbkdf2": phase("pbkdf2", [PBKDF2], "pbkdf2_sha256", args.logins),
        "login, argon2": phase("argon2", [ARGON2, PBKDF2], "default", args.logins),
        "login, argon2-django": phase("argon2d", [DJANGO_ARGON2, PBKDF2], "default", args.logins),
        "login, upgrade": phase("upgrade", [ARGON2, PBKDF2], "pbkdf2_sha256", args.logins),
    }
    print(f"Argon2id parameters: t={settings.ARGON2_TIME_COST}, "
          f"m={settings.ARGON2_MEMORY_KIB} KiB, p={settings.ARGON2_PARALLELISM}; "
          f"{args.logins} logins per phase; load average {os.getloadavg()[0]:.1f}")
    base_median = summary(baseline[0])[0]
    pbkdf2_median = summary(results["login, pbkdf2"][0])[0]
    for name, (wall, cpu) in [("baseline GET login page", baseline), *results.items()]:
        median, p95 = summary(wall)
        print(f"{name:24} median {median * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  "
              f"CPU {summary(cpu)[0] * 1000:6.1f} ms  = {median / base_median:5.1f}x baseline, "
              f"{median / pbkdf2_median:4.2f}x pbkdf2")


if __name__ == "__main__":
    main()
