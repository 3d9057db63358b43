"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit in its own
process (its own Django settings and database, provider_settings.py), on a free local
port. `start(spec)` sets it up with the users, groups and client of `spec` and returns its
process and base URL; the tests then sign in through it exactly as through Keycloak or
Entra ID: the browser side with a requests session, the server side by Diarium itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]


def _serve(port: int, spec_path: str) -> None:  # in the provider's process
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    spec = json.loads(Path(spec_path).read_text())
    for person in spec["users"]:
        user = User.objects.create_user(person["username"], person.get("email", ""),
                                        person["password"],
                                        first_name=person.get("first_name", ""),
                                        last_name=person.get("last_name", ""))
        for name in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = spec["client"]
    Application.objects.create(
        name="Diarium", client_id=client["id"], client_secret=client["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]), skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(spec: dict) -> tuple[subprocess.Popen, str, Path]:
    """The provider running with spec's users and client: (process, base URL, folder)."""
    folder = Path(tempfile.mkdtemp(prefix="diarium-oidc-provider-"))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (folder / "spec.json").write_text(json.dumps(spec))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.sso.provider_settings",
           "PROVIDER_DB": str(folder / "provider.sqlite3"),
           "PROVIDER_KEY": str(folder / "key.pem"), "PROVIDER_ISSUER": f"{base}/o",
           "PYTHONPATH": str(ROOT)}
    with open(folder / "log", "wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.sso.oidc_provider", str(port),
             str(folder / "spec.json")],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the OIDC provider exited: " + (folder / "log").read_text())
        try:
            urllib.request.urlopen(f"{base}/o/.well-known/openid-configuration", timeout=2)  # noqa: S310
            return process, base, folder
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the OIDC provider did not start within 60 s")


if __name__ == "__main__":
    _serve(int(sys.argv[1]), sys.argv[2])
