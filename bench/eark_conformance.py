"""Agreement of Diarium's E-ARK validator with the E-ARK IP test corpus.

    python bench/eark_conformance.py [CORPUS_DIR]

Prints agreement per suite (test cases, rule/package checks, error-level checks) and every
disagreement with the reason recorded in tests/conformance/known_disagreements.toml."""

import os
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")


def _percent(agree: int, total: int) -> str:
    return f"{agree}/{total} ({100 * agree / total:.1f}%)" if total else "0/0"


def main() -> int:
    import django

    django.setup()
    from diarium.archive.conf import eark_data_dir
    from diarium.archive.conformance import run

    if len(sys.argv) > 1:
        corpus = Path(sys.argv[1])
    else:
        data = eark_data_dir()
        corpus = data / "ip-test-corpus" / "corpus" if data else Path("(not found)")
    if not corpus.is_dir():
        print(f"E-ARK corpus not found at {corpus}; set DIARIUM_EARK_DATA_DIR", file=sys.stderr)
        return 2
    known_file = ROOT / "tests" / "conformance" / "known_disagreements.toml"
    known = {e["check"]: e for e in tomllib.loads(known_file.read_text())["disagreement"]}
    started = time.perf_counter()
    results = run(corpus)
    elapsed = time.perf_counter() - started
    print(f"E-ARK IP test corpus: {corpus}")
    for suite in ("CSIP", "SIP"):
        cases = results.cases(suite)
        checks = results.checks(suite)
        errors = results.checks(suite, "ERROR")
        print(f"{suite}: {cases[0]}/{cases[1]} test cases agree "
              f"({100 * cases[0] / max(cases[1], 1):.1f}%); rule/package checks "
              f"{_percent(*checks)}; error-level checks {_percent(*errors)}")
    disagreements = results.disagreements()
    error_level = [o for o in disagreements if o.check.level == "ERROR"]
    explained = [o for o in error_level if o.check.key in known]
    all_errors = results.checks(level="ERROR")
    print(f"Error-level rules: {_percent(*all_errors)} agree; "
          f"{len(explained)}/{len(error_level)} disagreements are documented corpus defects "
          "or CSIP 2.0-only rules, so error-level agreement on correct corpus packages is "
          f"{_percent(all_errors[0], all_errors[1] - len(explained))}")
    print(f"({len(results.outcomes)} checks in {elapsed:.1f} s)")
    print(f"\nDisagreements ({len(disagreements)}):")
    for outcome in sorted(disagreements, key=lambda o: (o.check.level != "ERROR", o.check.key)):
        expected = "valid" if outcome.check.expected_valid else "invalid"
        print(f"  [{outcome.check.level}] {outcome.check.key}")
        print(f"      corpus: {expected}; Diarium: {outcome.got}")
        reason = known.get(outcome.check.key, {}).get("reason", "NOT DOCUMENTED")
        print(f"      why: {reason}")
    undocumented = [o for o in disagreements if o.check.key not in known]
    return 1 if undocumented else 0


if __name__ == "__main__":
    sys.exit(main())
