"""axe-core in the page: the accessibility checker the browser tests inject and run."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the standard the site is held to.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_script() -> Path:
    if not AXE_JS.exists():
        pytest.fail(
            f"The accessibility tests need axe-core at {AXE_JS}: run `npm ci` in the repository"
            " (make test does it), which needs Node.js and npm (`sudo apt-get install npm`)."
        )
    return AXE_JS


def blocking_violations(page) -> list[dict]:
    """axe's serious and critical WCAG 2.2 AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA_TAGS,
    )
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    """A readable account of violations: rule, impact, what to fix, and where."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """No blocking violation in the light or the dark colour scheme (their contrasts differ)."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        violations = blocking_violations(page)
        assert not violations, f"axe found on {page.url} ({scheme}):\n{describe(violations)}"
    page.emulate_media(color_scheme="no-override")
