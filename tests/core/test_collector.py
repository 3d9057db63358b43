"""The web process's garbage collector settings (core/collector.py), as a server loads
Diarium: in a process of its own, since they last for the process."""

import os
import subprocess
import sys

from diarium.core import collector

PROBE = "import gc, diarium.wsgi; print(gc.get_freeze_count(), gc.get_threshold()[0])"


def test_loading_the_web_application_freezes_what_it_made(tmp_path):
    env = dict(os.environ, DIARIUM_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    frozen, youngest = int(out[0]), int(out[1])
    assert youngest == collector.YOUNGEST
    # Django, the apps, their models and every view module: far more than a few.
    assert frozen > 100_000
