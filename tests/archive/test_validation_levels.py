"""Finding 2: every requirement's level is its REQLEVEL in the specification (CSIP/SIP 2.1 and
2.2), and every check that reports another severity is a deviation listed with its reason in
requirements.DEVIATIONS and in docs/archive-validation.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from lxml import etree

from diarium.archive.conf import eark_data_dir
from diarium.archive.validation import requirements as R
from tests.conftest import require

VALIDATION = Path(R.__file__).parent
DOCS = Path(__file__).resolve().parents[2] / "docs" / "archive-validation.md"
PROFILES = {("CSIP", "2.1"): "CSIP/profile/E-ARK-CSIP-v2-1-0.xml",
            ("CSIP", "2.2"): "CSIP/profile/E-ARK-CSIP-v2-2-0.xml",
            ("SIP", "2.1"): "SIP/profile/E-ARK-SIP-v2-1-0.xml",
            ("SIP", "2.2"): "SIP/profile/E-ARK-SIP-v2-2-0.xml"}
_SEVERITY = {"error": "MUST", "warn": "SHOULD", "info": "MAY"}


def specifications() -> Path:
    data = eark_data_dir()
    folder = data / "specifications" if data else None
    require(folder is not None and folder.is_dir(), "E-ARK specifications not found")
    return folder


def reqlevels(path: Path) -> dict[str, str]:
    tree = etree.parse(str(path))
    return {r.get("ID"): r.get("REQLEVEL") for r in tree.iter(
        "{http://www.loc.gov/METS_Profile/v2}requirement") if r.get("ID")}


@pytest.mark.parametrize(("kind", "version"), sorted(PROFILES))
def test_levels_are_the_specifications_reqlevels(kind, version):
    levels = reqlevels(specifications() / PROFILES[(kind, version)])
    ours = {r for r in R.REQUIREMENTS if r.startswith(kind) and not r.startswith("CSIPSTR")}
    checked = ours & set(levels)
    assert len(checked) > 20
    wrong = {r: (R.level(r, version), levels[r]) for r in checked
             if R.level(r, version) != levels[r]}
    assert not wrong
    assert ours - set(levels) == ({"CSIP86"} if kind == "CSIP" else set())  # CSIP 2.0 only


def test_folder_levels_are_the_specifications():
    text = (specifications() / "CSIP/specification/implementation/structure/folders/"
            "requirements.md").read_text(encoding="utf-8")
    levels = dict(re.findall(r"\*\*(CSIPSTR\d+)\*\*:.*?\*\*(MUST|SHOULD|MAY)\*\*", text))
    ours = {r for r in R.REQUIREMENTS if r.startswith("CSIPSTR")}
    assert ours <= set(levels)
    assert {r: R.level(r) for r in ours} == {r: levels[r] for r in ours}


def explicit_severities() -> list[tuple[str, str, str]]:
    """(module:line, requirement, level implied) of every ctx.error/warn/info call naming
    its requirement literally, and of every call passing Severity.X for one."""
    found = []
    for path in sorted(VALIDATION.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            requirement = node.args[0].value
            if node.func.attr in _SEVERITY:
                found.append((f"{path.name}:{node.lineno}", requirement,
                              _SEVERITY[node.func.attr]))
            elif node.func.attr == "add" and any(
                    isinstance(a, ast.Attribute) and a.attr in ("WARN", "ERROR", "INFO")
                    for a in ast.walk(node)):
                found.append((f"{path.name}:{node.lineno}", requirement, "any"))
    return found


def test_every_other_severity_is_a_listed_deviation():
    calls = explicit_severities()
    assert len(calls) > 80
    undocumented = [(where, r, implied) for where, r, implied in calls
                    if r in R.REQUIREMENTS and implied != R.level(r)
                    and r not in R.DEVIATIONS]
    assert not undocumented


def test_the_deviations_are_in_the_docs():
    section = DOCS.read_text(encoding="utf-8").split("### Deviations from the levels", 1)[1]
    missing = [r for r in R.DEVIATIONS if f"`{r}`" not in section.split("\n### ", 1)[0]]
    assert not missing
