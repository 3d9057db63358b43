"""Swedish identity numbers: personnummer, samordningsnummer and organisationsnummer.

All three end in a Luhn check digit over the last ten digits."""

import re
from datetime import date

from django.utils.translation import gettext as _

_PERSON = re.compile(r"^(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<tail>\d{4})$")
_ORG = re.compile(r"^(?:16)?(?P<first>\d{6})-?(?P<tail>\d{4})$")


class InvalidIdentity(ValueError):
    pass


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def normalise_personnummer(value: str, today: date | None = None) -> str:
    """Return YYYYMMDD-NNNN or raise InvalidIdentity. Accepts samordningsnummer (day + 60)."""
    match = _PERSON.match(value.strip().replace(" ", ""))
    if not match:
        raise InvalidIdentity(_("A personnummer is written YYMMDD-NNNN or YYYYMMDD-NNNN."))
    yymmdd, tail = match["yymmdd"], match["tail"]
    if not luhn_ok(yymmdd + tail):
        raise InvalidIdentity(_("The personnummer's check digit is wrong."))
    century = match["century"] or _guess_century(yymmdd, match["sep"] == "+", today)
    day = int(yymmdd[4:6])
    try:
        date(int(century + yymmdd[:2]), int(yymmdd[2:4]), day - 60 if day > 60 else day)
    except ValueError as exc:
        raise InvalidIdentity(_("The personnummer holds no valid date.")) from exc
    return f"{century}{yymmdd}-{tail}"


def _guess_century(yymmdd: str, over_hundred: bool, today: date | None) -> str:
    today = today or date.today()
    year = today.year - (today.year - int(yymmdd[:2])) % 100
    if over_hundred:
        year -= 100
    return str(year)[:2]


def normalise_organisationsnummer(value: str) -> str:
    match = _ORG.match(value.strip().replace(" ", ""))
    if not match:
        raise InvalidIdentity(_("An organisationsnummer is written NNNNNN-NNNN."))
    digits = match["first"] + match["tail"]
    if int(digits[2]) < 2:
        raise InvalidIdentity(_("An organisationsnummer has 2 or more as its third digit."))
    if not luhn_ok(digits):
        raise InvalidIdentity(_("The organisationsnummer's check digit is wrong."))
    return f"{match['first']}-{match['tail']}"


def mask(identity: str) -> str:
    """What views that do not need the full number show: the birth date part only."""
    return identity[:-4] + "XXXX" if identity else ""


# Something in free text that may be a personnummer or samordningsnummer: 6 or 8 digits,
# an optional - or +, 4 digits, not inside a longer run of digits.
_IN_TEXT = re.compile(r"(?<![\d-])(\d{6}|\d{8})\s?([-+]?)\s?(\d{4})(?![\d])")


def _person_number(match: re.Match) -> str | None:
    try:
        return normalise_personnummer(f"{match[1]}{match[2]}{match[3]}")
    except InvalidIdentity:
        return None


def find_identity_numbers(text: str) -> list[str]:
    """The personnummer and samordningsnummer (normalised) written in free text: a date
    that exists and a right check digit, so dates and phone numbers rarely match."""
    found = []
    for match in _IN_TEXT.finditer(text or ""):
        number = _person_number(match)
        if number and number not in found:
            found.append(number)
    return found


def mask_identity_numbers(text: str) -> str:
    """Free text with every personnummer or samordningsnummer in it masked as the
    identity number of a party is (the birth date part only: 19811218-XXXX)."""
    if not text:
        return text

    def masked(match: re.Match) -> str:
        number = _person_number(match)
        return mask(number) if number else match[0]

    return _IN_TEXT.sub(masked, text)
