"""A real S3 protocol server for the tests: moto in server mode, started as a subprocess
on a free local port (one per test process), so the S3 store talks HTTP to it exactly as
it would to MinIO or AWS, and its memory is not the tests' memory."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

CREDENTIALS = {"access_key_id": "diarium-test", "secret_access_key": "diarium-test-secret",
               "region": "eu-north-1"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited: {process.stderr.read().decode()}")
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto server did not start within 30 s")


def start() -> tuple[subprocess.Popen, str]:
    """A moto server on a free local port: (its process, its URL). Also used by bench/."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, process)
    except BaseException:
        process.kill()
        raise
    return process, url


@pytest.fixture(scope="session")
def s3_endpoint():
    process, url = start()
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def s3_options(endpoint: str, bucket: str, **extra) -> dict:
    return {"kind": "s3", "bucket": bucket, "endpoint_url": endpoint, **CREDENTIALS, **extra}


def client(endpoint: str):
    from diarium.core.storage.s3 import make_client

    return make_client({"endpoint_url": endpoint, **CREDENTIALS})


@pytest.fixture
def bucket(s3_endpoint) -> str:
    """A new, empty bucket for the test."""
    name = f"test-{uuid.uuid4().hex[:20]}"
    client(s3_endpoint).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["region"]})
    return name
