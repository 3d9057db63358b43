"""Shared fixtures.

DIARIUM_REQUIRE_ALL=1 (set by .ci/run) turns a skip for a missing dependency (chromium,
PostgreSQL) into a failure, so CI can never pass by skipping."""

import os
import shutil

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# No timing in tests: hypothesis's per-example deadline and its too-slow health check are
# timings, and fail on a loaded machine (xdist on two cores) for reasons unrelated to the code.
hypothesis_settings.register_profile(
    "diarium", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("diarium")

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
    """Stored files, the data directory and audit checkpoints are per test: a checkpoint left by
    another test names chains this test's database never had, which `audit verify` rightly
    reports as a rewritten log."""
    settings.FILE_STORE = {"kind": "filesystem", "path": str(tmp_path / "files")}
    settings.AUDIT_CHECKPOINT_DIRS = [str(tmp_path / "audit-checkpoints")]
    # The archive's default locations, the signing key and temporary files live under the
    # data directory: one per test, so that no test reads another's checkpoint copies.
    settings.DATA_DIR = tmp_path / "data"
    yield
    shutil.rmtree(tmp_path / "files", ignore_errors=True)


def _skipped(config) -> list:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return reporter.stats.get("skipped", []) if reporter else []


def pytest_sessionfinish(session, exitstatus):
    """With DIARIUM_REQUIRE_ALL=1 a run that skipped any test fails, whatever the reason
    for the skip (under xdist the controller sees every worker's reports)."""
    if REQUIRE_ALL and exitstatus == pytest.ExitCode.OK and _skipped(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if REQUIRE_ALL and _skipped(config):
        terminalreporter.write_line(
            f"DIARIUM_REQUIRE_ALL=1: {len(_skipped(config))} test(s) skipped, "
            "so the run fails.",
            red=True,
        )
