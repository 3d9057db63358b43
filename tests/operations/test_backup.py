"""Backups that restore (issue 16 item 6): an installation with registered documents, archived
packages in two locations and a signed audit checkpoint is backed up with `diarium backup
create`, wiped (database dropped, every folder removed), restored with `diarium backup
restore`, and then `diarium audit verify` and a fixity run pass and the documents' files are
there again. Everything runs as the operator would: `diarium` commands in their own
processes, on the engine the suite runs on (a scratch PostgreSQL database beside the test
database, or SQLite in the installation's data dir)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

SEED = """
import os
from pathlib import Path
from diarium.audit.checkpoints import create_checkpoint
from tests import factories as f
from tests.archive.archived import archive_closed, building_case, diarium_agreement
ks = f.series(f.authority("KS"), "KS")
reg = f.user("reg", roles={ks.authority: "registrar"})
diarium_agreement(ks.authority)
for n in range(3):
    building_case(reg, ks, secret_document=n == 0, title=f"Bygglov för förråd {n}")
case = f.case(reg, ks, "Ett öppet ärende")
from tests.archive.archived import upload
f.document(reg, case, "Skrivelse", uploads=[upload("skrivelse.txt", b"Hej kommunen!")])
archive_closed(Path(os.environ["SEED_EXPORT"]))
create_checkpoint(trigger="manual")
"""

COUNT = """
from diarium.documents.models import StoredFile
from diarium.archive.models import Package
from diarium.documents.store import file_store
store = file_store()
print("COUNTS", StoredFile.objects.count(), Package.objects.filter(state="archived").count(),
      all(store.exists(f.storage_name) for f in StoredFile.objects.all()))
"""


def postgres_url() -> str | None:
    url = os.environ.get("DIARIUM_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class Installation:
    """A Diarium installation of its own: a data dir, two archive locations and a checkpoint
    folder outside it, and a database (a scratch PostgreSQL database or SQLite)."""

    def __init__(self, root: Path, suffix: str = "_backup_test") -> None:
        self.root = root
        self.data = root / "data"
        self.folders = [self.data, root / "arkiv-a", root / "arkiv-b", root / "checkpoints"]
        base = {k: v for k, v in os.environ.items() if not k.startswith("DIARIUM_")}
        self.env = {**base, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "diarium.settings",
                    "DIARIUM_DATA_DIR": str(self.data),
                    "DIARIUM_ARCHIVE_LOCATIONS": f"copy-1={root / 'arkiv-a'},"
                                                 f"copy-2={root / 'arkiv-b'}",
                    "DIARIUM_AUDIT_CHECKPOINT_DIRS": str(root / "checkpoints"),
                    "DIARIUM_JOB_SCHEDULE": "{}"}
        self.pg = postgres_url()
        if self.pg:
            parts = urlsplit(self.pg)
            self.db = f"{parts.path.lstrip('/') or 'diarium'}{suffix}"
            self.env["DIARIUM_DATABASE_URL"] = parts._replace(path=f"/{self.db}").geturl()
            self.admin_url = parts._replace(path="/postgres").geturl()

    def diarium(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "diarium", *args], env=self.env,
                                capture_output=True, text=True, timeout=600)
        if check:
            assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    def psql(self, sql: str) -> None:
        subprocess.run(["psql", self.admin_url, "-qc", sql], check=True, capture_output=True)

    def wipe(self) -> None:
        """The installation lost: its database dropped and made anew empty, every folder
        removed (stored files are read-only, so make them removable first)."""
        if self.pg:
            self.psql(f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")
            self.psql(f"CREATE DATABASE {self.db}")
        for folder in self.folders:
            if folder.exists():
                for path in [folder, *folder.rglob("*")]:
                    if path.is_dir() and not path.is_symlink():
                        path.chmod(0o700)
                shutil.rmtree(folder)

    def counts(self) -> tuple[int, int, bool]:
        out = self.diarium("shell", "-c", COUNT).stdout
        line = next(x for x in out.splitlines() if x.startswith("COUNTS "))
        files, packages, present = line.split()[1:]
        return int(files), int(packages), present == "True"


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    if shutil.which("psql") is None and postgres_url():
        pytest.skip("psql is needed to make the scratch database")
    home = Installation(tmp_path_factory.mktemp("installation"))
    home.wipe()
    home.env["SEED_EXPORT"] = str(home.root / "export")
    home.diarium("migrate", "-v0")
    home.diarium("shell", "-c", SEED)
    yield home
    home.wipe()
    if home.pg:
        home.psql(f"DROP DATABASE IF EXISTS {home.db} WITH (FORCE)")


def test_backup_wipe_restore_verify(installation, tmp_path):
    before = installation.counts()
    assert before[0] >= 5 and before[1] == 3 and before[2]
    backup = tmp_path / "backup"
    made = installation.diarium("backup", "create", "--out", str(backup))
    assert "backup complete" in made.stdout
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["complete"] and manifest["database"]["engine"] == (
        "postgresql" if installation.pg else "sqlite")
    # Both archive copies, the checkpoint and the signing key are in it; the two copies of
    # each package share their objects.
    assert manifest["areas"]["archive:copy-1"]["files"] == \
        manifest["areas"]["archive:copy-2"]["files"] > 0
    assert manifest["areas"]["checkpoints"]["files"] == 1
    assert manifest["areas"]["keys"]["files"] == 1
    assert manifest["bytes"]["stored"] < manifest["bytes"]["read"]
    assert "backup intact" in installation.diarium("backup", "verify", str(backup)).stdout

    installation.wipe()
    restored = installation.diarium("backup", "restore", str(backup))
    assert "restore complete" in restored.stdout

    assert installation.counts() == before
    audit = installation.diarium("audit", "verify")
    assert "audit log intact" in audit.stdout and "matches 1 signed checkpoint" in audit.stdout
    fixity = installation.diarium("archive", "verify", "--quiet")
    assert "6 copies checked, 6 good, 0 damaged or missing" in fixity.stdout + fixity.stderr


def test_restore_refuses_an_installation_that_is_not_empty(installation, tmp_path):
    backup = tmp_path / "backup"
    installation.diarium("backup", "create", "--out", str(backup))
    refused = installation.diarium("backup", "restore", str(backup), check=False)
    assert refused.returncode != 0
    assert "restore needs an empty installation" in refused.stderr
    assert "the database has" in refused.stderr and "files holds" in refused.stderr


def test_a_damaged_file_in_a_backup_is_refused_and_never_published(installation, tmp_path):
    backup = tmp_path / "backup"
    installation.diarium("backup", "create", "--out", str(backup))
    entry = json.loads((backup / "files.jsonl").read_text().splitlines()[0])
    sha = entry["sha256"]
    damaged = backup / "objects" / sha[:2] / sha[2:4] / sha
    damaged.chmod(0o600)
    damaged.write_bytes(damaged.read_bytes() + b"!")
    checked = installation.diarium("backup", "verify", str(backup), check=False)
    assert checked.returncode != 0 and "does not match its SHA-256" in checked.stderr

    target = Installation(tmp_path / "elsewhere", suffix="_backup_test_2")
    target.wipe()
    try:
        refused = target.diarium("backup", "restore", str(backup), check=False)
        assert refused.returncode != 0 and "does not match its SHA-256" in refused.stderr
        # Nothing of the damaged file was published in the new installation.
        assert not (target.root / "data" / "files" / entry["key"]).exists()
    finally:
        if target.pg:
            target.psql(f"DROP DATABASE IF EXISTS {target.db} WITH (FORCE)")


def test_a_backup_folder_is_new(installation, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    refused = installation.diarium("backup", "create", "--out", str(tmp_path / "used"),
                                   check=False)
    assert refused.returncode != 0 and "is not an empty folder" in refused.stderr
