"""Settings for the test suite: Diarium's own, with a throwaway data dir and fast
password hashing. Environment variables must be set before diarium.settings is read."""

import os
import tempfile

os.environ.setdefault("DIARIUM_DATA_DIR", tempfile.mkdtemp(prefix="diarium-test-"))

from diarium.settings import *  # noqa: F403

# Password hashing is deliberately slow in production; tests don't need that.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (whitenoise warns when missing)
