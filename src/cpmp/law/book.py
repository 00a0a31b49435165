"""Import every module that defines rules, so the rule book is complete once this is imported."""

from . import (  # noqa: F401
    commencement,
    commissioner,
    durations,
    ranks,
    records,
    reviews,
    sources,
    status,
)
from .rules import Rule, all_rules


def _dates(rule: Rule) -> str:
    start = rule.applies_from.isoformat() if rule.applies_from else "always"
    end = rule.applies_until.isoformat() if rule.applies_until else "now"
    if rule.applies_from is None and rule.applies_until is None:
        return "no date limits"
    return f"from {start} to {end}"


def render_text() -> str:
    """Return every rule as plain text: identifier, dates, confidence, summary and source."""
    blocks = []
    for rule in all_rules():
        blocks.append(
            f"{rule.identifier}\n"
            f"  applies: {_dates(rule)}\n"
            f"  confidence: {rule.confidence.value}\n"
            f"  rule: {rule.summary}\n"
            f"  source: {rule.source}\n"
        )
    return "\n".join(blocks)


def render_markdown() -> str:
    """Return every rule as the Markdown section that docs/law.md contains between markers."""
    lines = [
        f'{len(all_rules())} rules, sorted by identifier. "Applies" gives the first and last '
        "days (inclusive) on which the law applies the rule.",
        "",
    ]
    for rule in all_rules():
        lines += [
            f"### `{rule.identifier}`",
            "",
            rule.summary,
            "",
            f"- Applies: {_dates(rule)}",
            f"- Confidence: {rule.confidence.value}",
            f"- Source: {rule.source}",
            "",
        ]
    return "\n".join(lines)
