"""Conformance with the E-ARK IP test corpus (CSIP and SIP test cases; DIP is out of scope).

Every corpus check whose requirement the validator implements is run. We must agree with the
corpus everywhere except the disagreements listed, with reasons, in known_disagreements.toml;
that list is asserted exactly, so fixing one or introducing one fails this test."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from diarium.archive.conf import eark_data_dir
from diarium.archive.conformance import Results, run
from tests.conftest import require

KNOWN = Path(__file__).with_name("known_disagreements.toml")


@pytest.fixture(scope="module")
def results() -> Results:
    data = eark_data_dir()
    corpus = data / "ip-test-corpus" / "corpus" if data else None
    require(corpus is not None and corpus.is_dir(),
            f"E-ARK corpus not found at {corpus or '../shared/data/eark (DIARIUM_EARK_DATA_DIR)'}")
    return run(corpus)


def _known() -> dict[str, dict]:
    entries = tomllib.loads(KNOWN.read_text(encoding="utf-8"))["disagreement"]
    return {entry["check"]: entry for entry in entries}


def test_known_disagreements_are_explained():
    for check, entry in _known().items():
        assert entry["reason"].strip(), check
        assert entry["level"] in {"ERROR", "WARNING", "INFO"}, check
        assert entry["expected"] in {"valid", "invalid"}, check


def test_disagreements_are_exactly_the_known_ones(results):
    known = _known()
    current = {o.check.key: o for o in results.disagreements()}
    new = sorted(set(current) - set(known))
    fixed = sorted(set(known) - set(current))
    assert not new, "new disagreements with the corpus:\n" + "\n".join(
        f"  {key} (expected {'valid' if current[key].check.expected_valid else 'invalid'}; "
        f"got {current[key].got})" for key in new)
    assert not fixed, "these known disagreements are gone; remove them from " \
        f"{KNOWN.name}:\n  " + "\n  ".join(fixed)
    for key, outcome in current.items():
        assert known[key]["level"] == outcome.check.level, key
        assert known[key]["expected"] == ("valid" if outcome.check.expected_valid
                                          else "invalid"), key


def test_error_level_rules_agree_apart_from_known_corpus_defects(results):
    known = _known()
    for suite in ("CSIP", "SIP"):
        agree, total = results.checks(suite, "ERROR")
        explained = sum(1 for key, entry in known.items()
                        if key.startswith(f"{suite}/") and entry["level"] == "ERROR")
        assert total > 0, suite
        assert agree + explained == total, suite


def test_the_corpus_was_really_run(results):
    # Guards against a corpus layout change silently turning the suite into a no-op.
    assert results.checks("CSIP")[1] >= 300
    assert results.checks("SIP")[1] >= 40
    assert results.cases("CSIP")[1] >= 80
