"""axe-core in the browser tests: installed from the npm registry by ./dev test into
.cache/npm (DIARIUM_AXE_JS overrides the path) and injected into the page by Playwright."""

import os
from pathlib import Path

from tests.conftest import require

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    path = Path(os.environ.get("DIARIUM_AXE_JS", ".cache/npm/node_modules/axe-core/axe.min.js"))
    require(path.exists(), f"axe-core not installed at {path} (./dev test installs it)")
    return path.read_text()


def violations(page, axe: str) -> list[str]:
    """The serious and critical WCAG 2.1 AA violations on the page, as "rule: targets"."""
    # Evaluated over the DevTools protocol: the page's Content-Security-Policy (no inline
    # script) stays as it is for the test.
    page.evaluate(axe + "\n;undefined")
    return page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""", TAGS)
