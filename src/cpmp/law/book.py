"""Import every module that defines rules, so the rule book is complete once this is imported."""

from . import commissioner, durations, reviews, status  # noqa: F401
