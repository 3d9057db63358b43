"""Running a converter as a subprocess with a time limit in a private folder.

LibreOffice keeps a user profile and refuses to run twice on one profile, so each call gets
its own HOME and profile inside the private folder; that also keeps one document's
leftovers from reaching the next. On timeout the whole process group is killed (soffice
starts a child process that would otherwise live on)."""

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


class ConversionFailed(Exception):
    """A conversion could not be done; the message says why, in words for the user."""


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


@contextmanager
def private_folder() -> Iterator[Path]:
    base = Path(settings.DATA_DIR) / "tmp"
    base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="convert-", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(argv: list[str], *, cwd: Path, timeout: float) -> Result:
    """Run `argv` in `cwd` (a private folder) with HOME there; kill the whole group when it
    takes longer than `timeout` seconds."""
    if shutil.which(argv[0]) is None:
        raise ConversionFailed(f"the converter {argv[0]} is not installed")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "TMPDIR": str(cwd),
        "LANG": "C.UTF-8",
    }
    process = subprocess.Popen(  # noqa: S603 - argv is built by us, never from user text
        argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, start_new_session=True, text=True, errors="replace",
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionFailed(
            f"{Path(argv[0]).name} took longer than {timeout:.0f} s and was stopped"
        ) from None
    return Result(process.returncode, stdout, stderr)
