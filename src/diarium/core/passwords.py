"""Password hashing and validation.

Argon2id with parameters from settings (DIARIUM_ARGON2_*; docs/configuration.md gives the
measured cost), so that a change of parameters rehashes each password at its next login;
and a validator that refuses common Swedish passwords, which Django's English list misses,
also when digits or punctuation are added around the word ("Sommar2026!")."""

import re
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import hashers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SWEDISH_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-sv.txt"
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Django's Argon2id hasher with the installation's cost parameters. The algorithm name
    stays "argon2", so hashes are interchangeable with Django's own hasher."""

    @property
    def time_cost(self) -> int:
        return settings.ARGON2_TIME_COST

    @property
    def memory_cost(self) -> int:
        return settings.ARGON2_MEMORY_KIB

    @property
    def parallelism(self) -> int:
        return settings.ARGON2_PARALLELISM


def _fold(word: str) -> str:
    """"lösenord" -> "losenord": people type both."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _swedish_words(path: Path = SWEDISH_LIST) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    words = {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}
    return frozenset(words | {_fold(w) for w in words})


class SwedishCommonPasswordValidator:
    """Refuses a password that is a common Swedish word or password, with at most digits
    and punctuation before or after it."""

    def validate(self, password: str, user=None) -> None:
        core = _EDGES.sub("", password.strip().lower())
        words = _swedish_words()
        if core and (core in words or _fold(core) in words):
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return _("This password is a common word or password.")

    def get_help_text(self) -> str:
        return _("Your password can’t be a common word, even with digits added.")
