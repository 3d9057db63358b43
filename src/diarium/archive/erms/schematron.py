"""A small ISO Schematron evaluator for rule files with queryBinding xslt2, over lxml trees,
using elementpath for XPath 2.0.

Supported: <ns>, <pattern>, <rule context>, <assert test>, <report test>, with the
standard firing order (within a pattern a node is checked by the first rule whose context
matches it, never by a later one). Not supported, and refused when a rule file uses them so
that a future file is never checked only in part: <let>, <include>, <extends>, abstract
patterns and rules, and <value-of>/<name> inside messages.

A rule's context is an XSLT match pattern; it is evaluated as the path expression that
selects the same nodes (`//` + pattern for relative patterns). A rule with no @id is
called "<pattern id>-<position>" (1-based) in reports.

Speed: elementpath evaluates XPath in Python, about a millisecond per record for the ERMS
rules. Expressions made only of steps, attribute tests, string literals, `=`/`!=`,
`and`/`or`/`|`, `not(…)` and `normalize-space(@name)` mean the same in XPath 1.0 and 2.0
(untyped values compared as strings, one attribute per name), so those are handed to
libxml2's XPath 1.0 (lxml), a hundred times faster; anything else (`matches`, `count`, `gt`,
numbers, other functions) goes to elementpath. `simple_xpath` decides.

A pattern whose every rule has a context of the form `*[@name = 'value']` (all of the ERMS
rules) is checked in one pass over the document instead of one per rule: one XPath finds the
elements any rule matches, and each is checked by the first rule whose attribute it has
(`_AttributePattern`)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from elementpath import XPath2Parser, XPathContext
from lxml import etree

SCH = "http://purl.oclc.org/dsdl/schematron"
_UNSUPPORTED = ("let", "include", "extends", "value-of", "name")
_TOKEN = re.compile(r"""\s*(?:(?P<literal>'[^']*'|"[^"]*")|(?P<op>!=|//|[=|/\[\]()*.])"""
                    r"""|(?P<attribute>@[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)"""
                    r"""|(?P<name>[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?))""")
_XPATH2_WORDS = frozenset((  # operators and keywords XPath 1.0 does not have
    "eq", "ne", "lt", "le", "gt", "ge", "is", "div", "mod", "idiv", "to", "instance", "of",
    "treat", "as", "castable", "cast", "except", "intersect", "union", "return", "for", "in",
    "some", "every", "satisfies", "if", "then", "else"))


def simple_xpath(expression: str) -> bool:
    """True when `expression` uses only what XPath 1.0 and 2.0 evaluate alike (see above)."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(expression.rstrip()):
        found = _TOKEN.match(expression, position)
        if found is None or found.end() == position:
            return False
        tokens.append((found.lastgroup or "", found.group(found.lastgroup or 0)))
        position = found.end()
    for index, (kind, value) in enumerate(tokens):
        following = [v for _k, v in tokens[index + 1:index + 4]]
        if kind != "name":
            continue
        calls = following[:1] == ["("]
        if value == "normalize-space" and calls:
            if len(following) < 3 or not following[1].startswith("@") or following[2] != ")":
                return False
        elif value == "not" and calls:
            continue
        elif calls or value in _XPATH2_WORDS or not value.replace(":", "_").isidentifier():
            return False  # another function, an XPath 2 word, or an unusual name
    return True


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
    path: str = ""  # the failing node's XPath in the document (lxml getpath)


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


_ATTRIBUTE_CONTEXT = re.compile(
    r"""^\s*\*\[\s*@([A-Za-z_][\w.-]*)\s*=\s*('[^']*'|"[^"]*")\s*\]\s*$""")


class _AttributePattern:
    """A pattern of rules with contexts `*[@name = 'value']` and XPath 1.0-safe tests."""

    def __init__(self, pattern: Pattern, namespaces: dict) -> None:
        self.rules = []
        for rule in pattern.rules:
            found = _ATTRIBUTE_CONTEXT.match(rule.context or "")
            if found is None or not all(simple_xpath(a.test) for a in rule.assertions):
                raise ValueError(rule.context)
            name, literal = found.groups()
            tests = [(a, etree.XPath(f"boolean({a.test})", namespaces=namespaces))
                     for a in rule.assertions]
            self.rules.append((rule, name, literal, tests))
        # The elements some rule matches, found through the attribute axis (five times
        # faster in libxml2 than testing every element with //*[@a = … or @b = …]).
        tests = " or ".join(f"(local-name() = '{name}' and . = {literal})"
                            for _rule, name, literal, _tests in self.rules)
        self.candidates = etree.XPath(f"//@*[namespace-uri() = '' and ({tests})]/..",
                                      namespaces=namespaces)

    def validate(self, tree: etree._ElementTree) -> list[Failure]:
        found: list[list[Failure]] = [[] for _ in self.rules]
        for node in self.candidates(tree):
            for number, (rule, name, literal, tests) in enumerate(self.rules):
                if node.get(name) != literal[1:-1]:
                    continue
                for assertion, test in tests:
                    if bool(test(node)) != (assertion.kind == "assert"):
                        found[number].append(Failure(assertion.ident, assertion.message,
                                                     node.sourceline, rule.context,
                                                     tree.getpath(node)))
                break  # within a pattern, only the first matching rule fires
        return [failure for failures in found for failure in failures]


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
        self._fast: dict[str, _AttributePattern] = {}
        for pattern in self.patterns:
            with contextlib.suppress(ValueError, etree.XPathError):  # not of that form
                self._fast[pattern.ident] = _AttributePattern(pattern, self.namespaces)

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

    def _lxml(self, tree: etree._ElementTree, expression: str) -> list:
        return tree.xpath(expression, namespaces=self.namespaces)

    def validate(self, tree: etree._ElementTree) -> list[Failure]:
        context: XPathContext | None = None
        failures: list[Failure] = []

        def select(expression: str, simple: bool) -> list:
            nonlocal context
            if simple:
                try:
                    return self._lxml(tree, expression)
                except etree.XPathError:
                    pass  # not XPath 1.0 after all: elementpath decides
            context = context or XPathContext(tree)
            return self._select(context, expression)

        for pattern in self.patterns:
            if pattern.ident in self._fast:
                failures += self._fast[pattern.ident].validate(tree)
                continue
            seen: set = set()
            for rule in pattern.rules:
                selector = _absolute(rule.context)
                simple = simple_xpath(selector)
                matched = {_key(tree, n) for n in select(selector, simple)} - seen
                seen |= matched
                if not matched:
                    continue
                for assertion in rule.assertions:
                    condition = (f"not({assertion.test})" if assertion.kind == "assert"
                                 else f"({assertion.test})")
                    expression = f"({selector})[{condition}]"
                    for node in select(expression, simple and simple_xpath(assertion.test)):
                        key = _key(tree, node)
                        if key in matched:
                            failures.append(Failure(assertion.ident, assertion.message,
                                                    getattr(node, "sourceline", None),
                                                    rule.context, key))
        return failures


def _key(tree: etree._ElementTree, node) -> str:
    if isinstance(node, etree._Element):
        return tree.getpath(node)
    return repr(node)
