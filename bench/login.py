"""Login time with each password hasher: median and 95th percentile of a full login
(POST /logga-in/ with the right password: lockout check, hash check, session) in one run.

    python bench/login.py [--logins N]

Phases, each against a user whose password is stored with that hasher:
  pbkdf2         Django's PBKDF2 (1,000,000 iterations): the hasher before Argon2
  argon2         Diarium's Argon2id (DIARIUM_ARGON2_* settings)
  argon2-django  Django's own Argon2 defaults (100 MiB, 8 lanes), for comparison
  upgrade        a PBKDF2 hash checked and rehashed with Argon2id: each user's first login
The baseline is a GET of the login page (rendering, session, middleware) in the same run."""

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
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def timed(action, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def phase(name: str, hashers: list[str], stored_with: str, n: int) -> list[float]:
    from django.contrib.auth.hashers import make_password
    from django.test import Client, override_settings

    from diarium.organisation.models import User

    user = User.objects.create(username=f"bench-{name}")

    def login() -> None:
        User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD,
                                                                      hasher=stored_with))
        client = Client()
        start = time.perf_counter()
        response = client.post("/logga-in/", {"username": user.username, "password": PASSWORD})
        login.elapsed = time.perf_counter() - start
        assert response.status_code == 302, response.status_code

    with override_settings(PASSWORD_HASHERS=hashers):
        times = []
        for _ in range(n):
            login()
            times.append(login.elapsed)
    return times


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
        "pbkdf2": phase("pbkdf2", [PBKDF2], "pbkdf2_sha256", args.logins),
        "argon2": phase("argon2", [ARGON2, PBKDF2], "default", args.logins),
        "argon2-django": phase("argon2d", [DJANGO_ARGON2, PBKDF2], "default", args.logins),
        "upgrade": phase("upgrade", [ARGON2, PBKDF2], "pbkdf2_sha256", args.logins),
    }
    base_median, base_p95 = summary(baseline)
    print(f"Argon2id parameters: t={settings.ARGON2_TIME_COST}, "
          f"m={settings.ARGON2_MEMORY_KIB} KiB, p={settings.ARGON2_PARALLELISM}; "
          f"{args.logins} logins per phase")
    print(f"{'baseline GET login page':26} median {base_median * 1000:7.1f} ms  "
          f"p95 {base_p95 * 1000:7.1f} ms")
    pbkdf2_median = summary(results["pbkdf2"])[0]
    for name, times in results.items():
        median, p95 = summary(times)
        print(f"{'login, ' + name:26} median {median * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"
              f"  = {median / base_median:5.1f}x baseline, {median / pbkdf2_median:4.2f}x pbkdf2")


if __name__ == "__main__":
    main()
