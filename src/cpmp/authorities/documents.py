"""The canonical form of a document's content and its SHA-256, which a signature binds to."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def canonical_json(content: Mapping[str, Any]) -> str:
    """Return ``content`` as JSON with sorted keys, no spaces and non-ASCII kept as text."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(content: Mapping[str, Any]) -> str:
    """Return the hex SHA-256 of the UTF-8 canonical JSON of ``content``."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
