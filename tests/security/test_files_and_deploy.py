"""The data dir, the SQLite database and stored files are private to the process's user
(issue 8 finding 7), and `diarium check --deploy` fails on an unsafe configuration and
passes with the production settings documented in docs/configuration.md (issue 16 item 8)."""

import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "configuration.md"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def diarium(args: list[str], env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DIARIUM_")}
    return subprocess.run([sys.executable, "-m", "diarium", *args], env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_a_new_data_dir_database_and_secret_key_are_private(tmp_path):
    data = tmp_path / "var"
    result = diarium(["migrate", "-v0"], {"DIARIUM_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert mode(data) == 0o700
    assert mode(data / "diarium.sqlite3") == 0o600
    assert mode(data / "secret_key") == 0o600
    for sidecar in (data / "diarium.sqlite3-wal", data / "diarium.sqlite3-shm"):
        if sidecar.exists():  # SQLite gives them the database's mode
            assert mode(sidecar) == 0o600


def test_processes_starting_at_once_on_a_new_data_dir_share_one_whole_key(tmp_path):
    # The web server's workers and the job worker start together on a new data dir: none
    # fails on the key another made a moment before, and none reads a half-written key.
    data = tmp_path / "var"
    base = {k: v for k, v in os.environ.items() if not k.startswith("DIARIUM_")}
    env = {**base, "DIARIUM_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "diarium.settings"}
    go = tmp_path / "go"  # each process waits for it, ready to read the settings
    show = ("import os, sys, time\nfrom django.conf import settings\n"
            f"open({str(tmp_path)!r} + '/ready-' + sys.argv[1], 'w').close()\n"
            f"while not os.path.exists({str(go)!r}): time.sleep(0.001)\n"
            "print(settings.SECRET_KEY)")
    starts = [subprocess.Popen([sys.executable, "-c", show, str(n)], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
              for n in range(12)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 12 and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = [(p.communicate(timeout=120), p.returncode) for p in starts]
    assert [code for _, code in results] == [0] * 12, [err for (_, err), _ in results]
    keys = {out.strip() for (out, _), _ in results}
    assert keys == {(data / "secret_key").read_text().strip()}
    assert len(keys.pop()) >= 50
    assert mode(data / "secret_key") == 0o600
    assert sorted(p.name for p in data.iterdir() if "secret" in p.name) == ["secret_key"]


def test_a_key_made_by_another_process_after_the_check_is_the_one_used(tmp_path, monkeypatch):
    # The moment between seeing no key and making one: another process made it meanwhile.
    from diarium import settings as module

    monkeypatch.delenv("DIARIUM_SECRET_KEY", raising=False)
    monkeypatch.setattr(module, "DATA_DIR", tmp_path)
    (tmp_path / "secret_key").write_text("made-by-another-process\n")
    monkeypatch.setattr(Path, "exists", lambda self: False)
    assert module._secret_key() == "made-by-another-process"
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]


@pytest.mark.django_db
def test_stored_files_are_private(tmp_path, settings):
    import io

    from diarium.registry import services
    from tests import factories as f

    ks = f.series(f.authority("KS"), "KS")
    user = f.user("reg", roles={ks.authority: "registrar"})
    document = f.document(user, f.case(user, ks),
                          uploads=[services.Upload(io.BytesIO(b"hemligt"), "a.txt")])
    location = Path(settings.FILE_STORE["path"])
    stored = [p for p in location.rglob("*") if p.is_file()]
    assert stored and document.files.exists()
    # Nobody but Diarium's own account reads them (write-once: files are read-only too).
    assert all(mode(p) & 0o077 == 0 for p in location.rglob("*"))


def production_settings() -> dict:
    """The environment block under "Production settings" in docs/configuration.md."""
    text = DOCS.read_text()
    section = text[text.index("## Production settings"):]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    return dict(line.split("=", 1) for line in block.splitlines()
                if line and not line.startswith("#"))


def production_env(tmp_path: Path) -> dict:
    env = production_settings()
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    env.update(DIARIUM_DATA_DIR=str(data), DIARIUM_SECRET_KEY="Zr8" + "kq2Vb7Lw" * 7,
               DIARIUM_ARCHIVE_LOCATIONS=f"copy-1={tmp_path / 'a1'},copy-2={tmp_path / 'a2'}")
    env.pop("DIARIUM_DATABASE_URL", None)  # the test runs on SQLite in its own data dir
    return env


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    result = diarium(["check", "--deploy"], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "diarium." not in result.stderr + result.stdout  # none of ours, not even a warning


@pytest.mark.parametrize(("change", "check_id"), [
    ({"DIARIUM_DEBUG": "on"}, "diarium.E001"),
    ({"DIARIUM_SECRET_KEY": None}, "diarium.E002"),
    ({"DIARIUM_SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "diarium.E002"),
    ({"DIARIUM_ALLOWED_HOSTS": None}, "diarium.E003"),
    ({"DIARIUM_ALLOWED_HOSTS": "*"}, "diarium.E003"),
    ({"DIARIUM_SECURE_COOKIES": None}, "diarium.E004"),
    ({"DIARIUM_HSTS_SECONDS": None}, "diarium.E004"),
    ({"DIARIUM_SSL_REDIRECT": None, "DIARIUM_PROXY_SSL_HEADER": None}, "diarium.E004"),
    ({"DIARIUM_ARCHIVE_LOCATIONS": "/srv/diarium-only-copy"}, "diarium.archive.E001"),
    ({"DIARIUM_ARCHIVE_LOCATIONS": "copy-1=/srv/arkiv,copy-2=/srv/arkiv"},
     "diarium.archive.E001"),  # two names for one folder are one copy
    ({"DIARIUM_METRICS_TOKEN": "hemligt"}, "diarium.operations.E001"),
    ({"DIARIUM_METRICS_ALLOW": "10.0.5.0/24,intranätet"}, "diarium.operations.E002"),
])
def test_check_deploy_fails_on_an_unsafe_setting(tmp_path, change, check_id):
    env = production_env(tmp_path)
    for name, value in change.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    result = diarium(["check", "--deploy"], env)
    assert result.returncode != 0 and check_id in result.stderr, result.stderr


def test_check_deploy_fails_on_a_storage_location_it_cannot_write(tmp_path):
    env = production_env(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    env["DIARIUM_ARCHIVE_LOCATIONS"] = f"copy-1={locked / 'a'},copy-2={tmp_path / 'b'}"
    result = diarium(["check", "--deploy"], env)
    if os.geteuid() == 0:  # root writes anywhere: a file where a folder should be then
        assert result.returncode == 0
        (tmp_path / "file").write_text("x")
        env["DIARIUM_ARCHIVE_LOCATIONS"] = f"copy-1={tmp_path / 'file'},copy-2={tmp_path / 'b'}"
        result = diarium(["check", "--deploy"], env)
    assert result.returncode != 0 and "diarium.archive.E002" in result.stderr, result.stderr


def unwritable(tmp_path: Path) -> Path:
    """A folder this process cannot create: under a read-only folder, or (root writes
    anywhere) under a file."""
    if os.geteuid() == 0:
        (tmp_path / "a-file").write_text("x")
        return tmp_path / "a-file" / "folder"
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return locked / "folder"


@pytest.mark.parametrize(("variable", "check_id"), [
    ("DIARIUM_FILE_STORE", "diarium.E005"),
    ("DIARIUM_AUDIT_CHECKPOINT_DIRS", "diarium.E006"),
])
def test_check_deploy_fails_on_a_folder_it_cannot_write(tmp_path, variable, check_id):
    env = production_env(tmp_path)
    env[variable] = str(unwritable(tmp_path))
    result = diarium(["check", "--deploy"], env)
    assert result.returncode != 0 and check_id in result.stderr, result.stderr


def test_check_deploy_passes_with_metrics_and_json_logs(tmp_path):
    env = production_env(tmp_path)
    env.update(DIARIUM_METRICS_TOKEN="Kq8" + "xY3vN7pL" * 5, DIARIUM_METRICS_ALLOW="10.0.5.0/24",
               DIARIUM_LOG_FORMAT="json")
    result = diarium(["check", "--deploy"], env)
    assert result.returncode == 0, result.stderr


def test_check_deploy_warns_about_a_data_dir_others_can_read(tmp_path):
    env = production_env(tmp_path)
    Path(env["DIARIUM_DATA_DIR"]).chmod(0o755)
    result = diarium(["check", "--deploy"], env)
    assert "diarium.W001" in result.stderr + result.stdout
