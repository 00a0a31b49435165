"""Import every module that defines rules, so the rule book is complete once this is imported."""

from . import commencement, commissioner, durations, ranks, reviews, status  # noqa: F401
