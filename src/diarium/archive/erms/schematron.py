"""A small ISO Schematron evaluator for rule files with queryBinding xslt2, over lxml trees,
using elementpath for XPath 2.0.

Supported: <ns>, <pattern>, <rule context>, <assert test>, <report test>, with the
standard firing order (within a pattern a node is checked by the first rule whose context
matches it, never by a later one). Not supported, and refused when a rule file uses them so
that a future file is never checked only in part: <let>, <include>, <extends>, abstract
patterns and rules, and <value-of>/<name> inside messages.

A rule's context is an XSLT match pattern; it is evaluated as the path expression that
selects the same nodes (`//` + pattern for relative patterns). A rule with no @id is
called "<pattern id>-<position>" (1-based) in reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elementpath import XPath2Parser, XPathContext
from lxml import etree

SCH = "http://purl.oclc.org/dsdl/schematron"
_UNSUPPORTED = ("let", "include", "extends", "value-of", "name")


class SchematronError(ValueError):
    """The rule file uses something this evaluator does not implement."""


@dataclass(frozen=True)
class Assertion:
    kind: str  # "assert" or "report"
    test: str
    message: str
    ident: str


@dataclass(frozen=True)
class Rule:
    ident: str
    context: str
    assertions: tuple[Assertion, ...]


@dataclass(frozen=True)
class Pattern:
    ident: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Failure:
    rule: str  # the assert's @id, else the rule's id
    message: str
    line: int | None
    context: str


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _absolute(context: str) -> str:
    """The path expression selecting what the match pattern `context` matches."""
    parts, depth, quote, current = [], 0, "", ""
    for ch in context:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return " | ".join(p.strip() if p.strip().startswith("/") else f"//{p.strip()}"
                      for p in parts)


class Schematron:
    def __init__(self, path: Path):
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.parse(str(path), parser).getroot()
        for tag in _UNSUPPORTED:
            if root.find(f".//{{{SCH}}}{tag}") is not None:
                raise SchematronError(f"{path.name}: <{tag}> is not supported")
        if root.find(f".//{{{SCH}}}*[@abstract='true']") is not None:
            raise SchematronError(f"{path.name}: abstract patterns/rules are not supported")
        binding = root.get("queryBinding", "xslt")
        if binding not in ("xslt", "xslt2", "xpath2"):
            raise SchematronError(f"{path.name}: queryBinding {binding} is not supported")
        self.namespaces = {ns.get("prefix"): ns.get("uri") for ns in root.iter(f"{{{SCH}}}ns")}
        self.patterns = tuple(self._pattern(p, n)
                              for n, p in enumerate(root.iter(f"{{{SCH}}}pattern"), start=1))
        self._parser = XPath2Parser(namespaces=self.namespaces)

    def _pattern(self, element: etree._Element, number: int) -> Pattern:
        ident = element.get("id") or f"pattern{number}"
        rules = []
        for position, rule in enumerate(element.iter(f"{{{SCH}}}rule"), start=1):
            rule_id = rule.get("id") or f"{ident}-{position}"
            assertions = tuple(
                Assertion(etree.QName(a).localname, a.get("test"), _text(a),
                          a.get("id") or rule_id)
                for a in rule if isinstance(a.tag, str)
                and etree.QName(a).localname in ("assert", "report"))
            rules.append(Rule(rule_id, rule.get("context"), assertions))
        return Pattern(ident, tuple(rules))

    def _select(self, context: XPathContext, expression: str) -> list:
        return list(self._parser.parse(expression).get_results(context))

    def validate(self, tree: etree._ElementTree) -> list[Failure]:
        context = XPathContext(tree)
        failures: list[Failure] = []
        for pattern in self.patterns:
            seen: set = set()
            for rule in pattern.rules:
                selector = _absolute(rule.context)
                matched = {_key(tree, n) for n in self._select(context, selector)} - seen
                seen |= matched
                if not matched:
                    continue
                for assertion in rule.assertions:
                    condition = (f"not({assertion.test})" if assertion.kind == "assert"
                                 else f"({assertion.test})")
                    for node in self._select(context, f"({selector})[{condition}]"):
                        if _key(tree, node) in matched:
                            failures.append(Failure(assertion.ident, assertion.message,
                                                    getattr(node, "sourceline", None),
                                                    rule.context))
        return failures


def _key(tree: etree._ElementTree, node) -> str:
    if isinstance(node, etree._Element):
        return tree.getpath(node)
    return repr(node)
