"""The sheets and columns of an organisation file, and how its cells are written.

Sheet names are ASCII (they become file names in a zip or folder of CSV files); headers
and values are Swedish, like the document management plan's file. A sheet's key columns
name its rows; a row whose key exists is an update, any other a new object."""

from __future__ import annotations

from dataclasses import dataclass

from diarium.organisation.models import Role

FORMAT_NAME = "diarium-organisation"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # columns that name a row; they must have values
    required: tuple[str, ...] = ()  # further columns that must have values

    @property
    def must_have(self) -> tuple[str, ...]:
        return self.key + self.required


MUNICIPALITIES = Sheet("kommuner", ("kod", "namn", "organisationsnummer"),
                       key=("kod",), required=("namn",))
AUTHORITIES = Sheet("myndigheter",
                    ("kod", "namn", "kommun", "organisationsnummer", "medlemskommuner"),
                    key=("kod",), required=("namn", "kommun"))
SERIES = Sheet("diarieserier",
               ("kod", "myndighet", "namn", "aktiv", "nummerformat", "nollutfyllnad"),
               key=("kod",), required=("myndighet", "namn"))
ADMINISTRATIONS = Sheet("forvaltningar", ("kommun", "namn", "myndigheter"),
                        key=("kommun", "namn"))
UNITS = Sheet("enheter", ("kommun", "förvaltning", "namn"),
              key=("kommun", "förvaltning", "namn"))
USERS = Sheet("anvandare",
              ("användarnamn", "förnamn", "efternamn", "epost", "hemkommun", "enhetskommun",
               "förvaltning", "enhet", "aktiv"),
              key=("användarnamn",), required=("hemkommun",))
ROLES = Sheet("roller", ("användarnamn", "myndighet", "roll"),
              key=("användarnamn", "myndighet", "roll"))

# In the order they are applied (a sheet refers only to those before it).
SHEETS = (MUNICIPALITIES, AUTHORITIES, SERIES, ADMINISTRATIONS, UNITS, USERS, ROLES)
BY_NAME = {sheet.name: sheet for sheet in SHEETS}

# Roles are written with their Swedish names; the English codes are read too.
ROLE_WORDS = {
    Role.REGISTRATOR: "registrator", Role.OFFICER: "handläggare",
    Role.SECRETARY: "nämndsekreterare", Role.ARCHIVIST: "arkivarie",
    Role.ADMINISTRATOR: "administratör", Role.READER: "läsare",
}
ROLE_CODES = {word: str(code) for code, word in ROLE_WORDS.items()} | {
    str(code): str(code) for code in ROLE_WORDS}

YES, NO = "ja", "nej"
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "sant", "1", "x"}
FALSE_WORDS = {"nej", "n", "no", "false", "falskt", "0"}
LIST_SEPARATOR = ","


def yes_no(value: bool) -> str:
    return YES if value else NO


def parse_bool(text: str, default: bool) -> bool | None:
    """ja/nej (and yes/no, true/false, 1/0); empty: the default; None: not a truth value."""
    word = text.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_list(text: str) -> list[str]:
    """A list cell: codes separated by commas (spaces around them ignored)."""
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def join_list(values) -> str:
    return ", ".join(values)


def parse_role(text: str) -> str | None:
    return ROLE_CODES.get(text.strip().lower())
