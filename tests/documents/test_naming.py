"""Naming rules and file names that every file system accepts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diarium.documents import naming


def test_a_rule_fills_in_fields_and_drops_empty_ones():
    rule = "{diarienummer} {handlingstyp} {datum}"
    values = {"diarienummer": "KS 2026/42", "handlingstyp": "Beslut", "datum": ""}
    assert naming.apply_rule(rule, values) == "KS 2026/42 Beslut"


def test_a_rule_with_an_unknown_field_is_refused():
    with pytest.raises(naming.RuleRefused, match="personnummer"):
        naming.check_rule("{diarienummer} {personnummer}", {"diarienummer"})


def test_reserved_characters_and_names_are_made_safe():
    assert naming.safe_file_name("KS 2026/42: beslut?", "pdf") == "KS 2026_42_ beslut_.pdf"
    assert naming.safe_file_name("CON", "txt") == "_CON.txt"
    assert naming.safe_file_name("rapport. ", "pdf") == "rapport.pdf"
    assert naming.safe_file_name("faktura\u202efdp.exe", "pdf") == "fakturafdp.exe.pdf"


def test_names_are_unique_in_a_case_ignoring_case():
    taken = ["Beslut.pdf", "beslut (2).pdf"]
    assert naming.unique_in("BESLUT.pdf", taken) == "BESLUT (3).pdf"


@given(st.text(max_size=400), st.sampled_from(["pdf", "docx", "", "tar.gz"]))
def test_every_title_gives_a_portable_name(title, extension):
    name = naming.safe_file_name(title, extension)
    assert name and len(name.encode()) <= naming.MAX_BYTES
    assert not naming.RESERVED_CHARS.search(name)
    assert not name.endswith((" ", "."))
    assert name.split(".")[0].upper() not in naming.RESERVED_NAMES
