"""`diarium check --deploy`: Diarium's own deployment checks, next to Django's.

The rule: a configuration that would run production insecurely is an error (so the
command fails), not a warning: debug mode, a secret key that is not set explicitly or is
weak, no ALLOWED_HOSTS of its own, HTTPS not configured (secure cookies, HSTS, redirect
or a trusted proxy header), and a file storage location the process cannot write. The
archive's locations are checked by archive/checks.py. docs/configuration.md ("Production
settings") lists settings that pass."""

import os
import stat
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

DEFAULT_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
WEAK_KEY_MARKERS = ("django-insecure", "insecure", "change-me", "changeme", "secret")


def writable(path: Path) -> bool:
    """The directory is writable, or can be made under its nearest existing parent."""
    while not path.exists():
        if path.parent == path:
            return False
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def _secret_key_errors() -> list[Error]:
    key = settings.SECRET_KEY
    if not os.environ.get("DIARIUM_SECRET_KEY"):
        return [Error("DIARIUM_SECRET_KEY is not set: the key is the one generated in the "
                      "data dir, which every backup of the data dir carries.",
                      hint="Set DIARIUM_SECRET_KEY to 50 or more random characters.",
                      id="diarium.E002")]
    if len(key) < 50 or len(set(key)) < 5 or any(m in key.lower() for m in WEAK_KEY_MARKERS):
        return [Error("DIARIUM_SECRET_KEY is weak (short, repetitive or a placeholder).",
                      hint="python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                      id="diarium.E002")]
    return []


def _https_missing() -> list[str]:
    missing = []
    if not settings.SESSION_COOKIE_SECURE:
        missing.append("DIARIUM_SECURE_COOKIES=on")
    if settings.SECURE_HSTS_SECONDS <= 0:
        missing.append("DIARIUM_HSTS_SECONDS (e.g. 31536000)")
    if not settings.SECURE_SSL_REDIRECT and not settings.SECURE_PROXY_SSL_HEADER:
        missing.append("DIARIUM_SSL_REDIRECT=on or, behind a TLS proxy, "
                       "DIARIUM_PROXY_SSL_HEADER=on")
    return missing


def _storage_errors() -> list[Error]:
    errors = []
    store = settings.FILE_STORE
    location = store.get("path") if store.get("kind", "filesystem") == "filesystem" else None
    if location and not writable(Path(location)):
        errors.append(Error(f"The file storage location {location} is not writable by this "
                            "process.", id="diarium.E005"))
    errors += [Error(f"The audit checkpoint folder {folder} is not writable by this process: "
                     "checkpoints could not be written there.", id="diarium.E006")
               for folder in getattr(settings, "AUDIT_CHECKPOINT_DIRS", [])
               if folder and not writable(Path(folder))]
    return errors


def _data_dir_warnings() -> list[Warning]:
    mode = Path(settings.DATA_DIR).stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [Warning(f"The data dir {settings.DATA_DIR} is open to other users "
                        f"(mode {stat.filemode(mode)}); it holds the database and every file.",
                        hint=f"chmod 700 {settings.DATA_DIR}", id="diarium.W001")]
    return []


@register(Tags.security, deploy=True)
def deployment(app_configs, **kwargs) -> list:
    errors: list = []
    if settings.DEBUG:
        errors.append(Error("DIARIUM_DEBUG is on: error pages show settings and data.",
                            id="diarium.E001"))
    errors += _secret_key_errors()
    hosts = {h.strip() for h in settings.ALLOWED_HOSTS if h.strip()}
    if not hosts or "*" in hosts or hosts <= DEFAULT_HOSTS:
        errors.append(Error("DIARIUM_ALLOWED_HOSTS does not name the site's host names.",
                            hint="e.g. DIARIUM_ALLOWED_HOSTS=diarium.sjovik.se",
                            id="diarium.E003"))
    if missing := _https_missing():
        errors.append(Error("HTTPS is not configured: " + "; ".join(missing) + ".",
                            id="diarium.E004"))
    return errors + _storage_errors() + _data_dir_warnings()
