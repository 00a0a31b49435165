"""Find proportionality and collateral-intrusion text copied from earlier applications.

Inspectors keep finding templated proportionality that does not consider each tactic. The
gatekeeper is warned, not stopped, when a tactic's text is close to a tactic's text in an
earlier application. Texts are normalised (case folded, punctuation dropped, runs of spaces
collapsed) and compared with ``difflib.SequenceMatcher.ratio``; a ratio of
``SIMILARITY_THRESHOLD`` or more is a warning. Texts shorter than ``MINIMUM_WORDS`` words are
skipped, because short answers ("None.") match by chance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

# 0.85 flags a pasted paragraph with a name or date changed, and leaves alone two
# independently written paragraphs on the same tactic (see the unit tests for both cases).
SIMILARITY_THRESHOLD = 0.85
MINIMUM_WORDS = 8
COMPARED_FIELDS = ("proportionality", "collateral_intrusion")


@dataclass(frozen=True)
class SimilarityWarning:
    """One text of the application close to one text of an earlier application."""

    field: str
    earlier_application_id: int
    earlier_field: str
    ratio: float

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "earlier_application_id": self.earlier_application_id,
            "earlier_field": self.earlier_field,
            "ratio": f"{self.ratio:.2f}",
        }


def normalise(text: str) -> str:
    """Return ``text`` case folded, without punctuation, with single spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def similarity(first: str, second: str) -> float:
    """Return the ``SequenceMatcher`` ratio of the two normalised texts (0 to 1)."""
    return SequenceMatcher(None, normalise(first), normalise(second), autojunk=False).ratio()


def compared_texts(content: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return the (field path, text) pairs of an application's content that are compared."""
    texts: list[tuple[str, str]] = []
    for index, item in enumerate(content.get("conduct") or []):
        if not isinstance(item, Mapping):
            continue
        for name in COMPARED_FIELDS:
            text = item.get(name)
            if isinstance(text, str) and len(normalise(text).split()) >= MINIMUM_WORDS:
                texts.append((f"conduct.{index}.{name}", text))
    for name in COMPARED_FIELDS:
        text = content.get(name)
        if isinstance(text, str) and len(normalise(text).split()) >= MINIMUM_WORDS:
            texts.append((name, text))
    return texts


def find_repeated_text(
    content: Mapping[str, Any], earlier: Iterable[tuple[int, Mapping[str, Any]]]
) -> list[SimilarityWarning]:
    """Compare ``content`` with each ``(application id, content)`` in ``earlier``.

    Returns one warning per text of ``content``: the closest earlier text at or above the
    threshold.
    """
    mine = compared_texts(content)
    theirs = [
        (application_id, path, normalise(text))
        for application_id, other in earlier
        for path, text in compared_texts(other)
    ]
    warnings: list[SimilarityWarning] = []
    for path, text in mine:
        normalised = normalise(text)
        best: SimilarityWarning | None = None
        for application_id, other_path, other_text in theirs:
            matcher = SequenceMatcher(None, normalised, other_text, autojunk=False)
            if matcher.real_quick_ratio() < SIMILARITY_THRESHOLD:
                continue
            if matcher.quick_ratio() < SIMILARITY_THRESHOLD:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILARITY_THRESHOLD and (best is None or ratio > best.ratio):
                best = SimilarityWarning(path, application_id, other_path, ratio)
        if best is not None:
            warnings.append(best)
    return warnings
