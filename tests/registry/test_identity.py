import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diarium.registry.identity import (
    InvalidIdentity,
    luhn_ok,
    mask,
    normalise_organisationsnummer,
    normalise_personnummer,
)


def with_check_digit(nine: str) -> str:
    return next(nine + str(d) for d in range(10) if luhn_ok(nine + str(d)))


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
       st.integers(0, 999), st.booleans())
def test_valid_personnummer_round_trip(birth, serial, coordination):
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    full = with_check_digit(nine)
    expected = f"{birth:%Y}{full[2:6]}-{full[6:]}"
    assert normalise_personnummer(f"{birth:%Y}{full[2:6]}-{full[6:]}") == expected
    assert normalise_personnummer(f"{birth.year // 100}{full}") == expected


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_a_wrong_check_digit_is_refused(digits):
    wrong = digits[:9] + str((int(digits[9]) + 1) % 10)
    if luhn_ok(digits):
        with pytest.raises(InvalidIdentity):
            normalise_personnummer(wrong)


@pytest.mark.parametrize("value", ["", "abc", "19811318-1234", "811218-987", "8112189877"])
def test_malformed_personnummer(value):
    with pytest.raises(InvalidIdentity):
        normalise_personnummer(value)


def test_known_personnummer():
    assert normalise_personnummer("811218-9876", today=dt.date(2026, 1, 1)) == "19811218-9876"
    assert normalise_personnummer("121212+1212", today=dt.date(2026, 1, 1)) == "19121212-1212"


def test_organisationsnummer():
    assert normalise_organisationsnummer("212000-1355") == "212000-1355"  # a municipality
    with pytest.raises(InvalidIdentity):
        normalise_organisationsnummer("212000-1356")
    with pytest.raises(InvalidIdentity):
        normalise_organisationsnummer("811218-9876")  # a person, third digit < 2


def test_mask_hides_the_last_four_digits():
    assert mask("19811218-9876") == "19811218-XXXX"
