"""Running the E-ARK IP test corpus (eark-ip-test-corpus) through the validator.

Each corpus test case (CSIP/<id>/testCase.xml, SIP/<id>/testCase.xml) lists rules, each with
an error level and packages that are valid or invalid for it. We agree with a rule/package
pair when:
- the package is marked valid and our verdict is valid (no ERROR finding), or
- it is marked invalid and we report the requirement under test: as an ERROR for ERROR
  rules, at any severity for WARNING and INFO rules.
Used by tests/conformance and bench/eark_conformance.py; not needed to validate packages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .validation import Report, Severity, validate_package
from .validation.requirements import REQUIREMENTS

SUITES = {"CSIP": "csip", "SIP": "sip"}  # suite -> validation profile


@dataclass(frozen=True)
class Check:
    suite: str
    requirement: str  # the test case folder name (the corpus mislabels CSIPSTR10 as CSIPSTR9)
    rule: int
    level: str  # ERROR, WARNING or INFO
    package: str  # relative to the test case folder
    expected_valid: bool

    @property
    def key(self) -> str:
        return f"{self.suite}/{self.requirement} rule {self.rule}: {self.package}"


@dataclass
class Outcome:
    check: Check
    agrees: bool
    got: str


@dataclass
class Results:
    outcomes: list[Outcome] = field(default_factory=list)

    def disagreements(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.agrees]

    def cases(self, suite: str) -> tuple[int, int]:
        """(agreeing test cases, test cases) for a suite."""
        verdicts: dict[str, bool] = defaultdict(lambda: True)
        for outcome in self.outcomes:
            if outcome.check.suite == suite:
                verdicts[outcome.check.requirement] &= outcome.agrees
        return sum(verdicts.values()), len(verdicts)

    def checks(self, suite: str | None = None, level: str | None = None) -> tuple[int, int]:
        chosen = [o for o in self.outcomes if (suite is None or o.check.suite == suite)
                  and (level is None or o.check.level == level)]
        return sum(o.agrees for o in chosen), len(chosen)


def package_path(case_dir: Path, relative: str) -> Path | None:
    """The corpus names some zipped packages without their .zip suffix."""
    for candidate in (case_dir / relative, case_dir / f"{relative}.zip"):
        if relative and candidate.exists():
            return candidate
    return None


def load_checks(corpus: Path, suite: str) -> Iterator[Check]:
    for test_case in sorted((corpus / suite).glob("*/testCase.xml")):
        requirement = test_case.parent.name
        if requirement not in REQUIREMENTS:
            continue
        tree = etree.parse(str(test_case), etree.XMLParser(resolve_entities=False,
                                                          no_network=True))
        for rule in tree.iterfind("rules/rule"):
            level = rule.find("error").get("level")
            for package in rule.iterfind("corpusPackages/package"):
                relative = (package.findtext("path") or "").strip()
                if package_path(test_case.parent, relative) is None:
                    continue  # described in the test case but not in the corpus
                yield Check(suite, requirement, int(rule.get("id")), level, relative,
                            package.get("isValid") == "TRUE")


def judge(check: Check, report: Report) -> Outcome:
    errors = report.requirements(Severity.ERROR)
    if check.expected_valid:
        agrees = report.valid
        got = "valid" if agrees else "invalid: " + ", ".join(sorted(errors))
    else:
        wanted = errors if check.level == "ERROR" else report.requirements()
        agrees = check.requirement in wanted
        got = (f"{check.requirement} reported" if agrees else
               "not reported; errors: " + (", ".join(sorted(errors)) or "none"))
    return Outcome(check, agrees, got)


def run(corpus: Path, suites: tuple[str, ...] = ("CSIP", "SIP")) -> Results:
    results = Results()
    reports: dict[tuple[Path, str], Report] = {}
    for suite in suites:
        for check in load_checks(corpus, suite):
            path = package_path(corpus / suite / check.requirement, check.package)
            assert path is not None
            key = (path, SUITES[suite])
            if key not in reports:
                reports[key] = validate_package(path, profile=SUITES[suite],
                                                tolerate_line_endings=True)
            results.outcomes.append(judge(check, reports[key]))
    return results
