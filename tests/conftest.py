"""Shared fixtures.

DIARIUM_REQUIRE_ALL=1 (set by .ci/run) turns a skip for a missing dependency (chromium,
PostgreSQL) into a failure, so CI can never pass by skipping."""

import os
import shutil
import tempfile

import pytest

# Each test session gets its own data dir, so tests never touch ./var.
os.environ.setdefault("DIARIUM_DATA_DIR", tempfile.mkdtemp(prefix="diarium-test-"))
# Password hashing is deliberately slow; tests don't need that.
os.environ.setdefault(
    "DIARIUM_PASSWORD_HASHERS", "django.contrib.auth.hashers.MD5PasswordHasher"
)

REQUIRE_ALL = os.environ.get("DIARIUM_REQUIRE_ALL") == "1"


def require(condition: bool, reason: str) -> None:
    """Skip with a reason on a developer's machine; fail in CI."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required dependency missing (DIARIUM_REQUIRE_ALL=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Stored files go to a per-test directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    yield
    shutil.rmtree(tmp_path / "files", ignore_errors=True)
