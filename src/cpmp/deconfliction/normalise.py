"""Normalise identifiers so that the same thing written two ways matches. Pure Python.

- Every category: Unicode NFKC, case-folded, runs of whitespace as one space, trimmed.
- Vehicle registrations: letters and digits only ("ab12-cde" and "AB12 CDE" match).
- Phone numbers: digits only, with the UK trunk "0" for "+44" or "0044" ("+44 7700 900123"
  and "07700900123" match). Other international numbers keep their "+".
- Online identities: a leading "@" dropped ("@Handle" and "handle" match).
- Subjects and addresses: punctuation as spaces ("1, High St." and "1 high st" match).
"""

from __future__ import annotations

import re
import unicodedata

SUBJECT = "subject"
ADDRESS = "address"
VEHICLE = "vehicle"
PHONE = "phone"
ONLINE_IDENTITY = "online-identity"


def _plain(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(text.split())


def normalise(category: str, value: str) -> str:
    """Return ``value`` normalised for ``category``; raise ``ValueError`` for an unknown one."""
    text = _plain(value)
    if category == VEHICLE:
        return re.sub(r"[^0-9a-z]", "", text)
    if category == PHONE:
        digits = re.sub(r"[^0-9+]", "", text)
        international = digits.startswith("+") or digits.startswith("00")
        digits = digits.lstrip("+")
        if digits.startswith("00"):
            digits = digits[2:]
        if international and digits.startswith("44"):
            return "0" + digits[2:].lstrip("0")
        return ("+" + digits) if international else digits
    if category == ONLINE_IDENTITY:
        return text.lstrip("@").replace(" ", "")
    if category in (SUBJECT, ADDRESS):
        return " ".join(re.sub(r"[^\w]+", " ", text).split())
    raise ValueError(f"unknown identifier category {category!r}")
