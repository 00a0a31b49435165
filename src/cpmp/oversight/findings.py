"""What an inspector would flag in a central record: stable codes with plain descriptions.

The codes are a public interface (the importer's JSON output): never rename or reuse one.
``docs/findings.md`` explains each with the rule behind it.
"""

from __future__ import annotations

from enum import StrEnum


class Finding(StrEnum):
    DUPLICATE_REF = "duplicate_ref"
    RENEWAL_AFTER_EXPIRY = "renewal_after_expiry"
    CANCELLED_AFTER_EXPIRY = "cancelled_after_expiry"
    NEVER_CANCELLED = "never_cancelled"
    CANCEL_BEFORE_GRANT = "cancel_before_grant"
    CANCELLATION_UNDATED = "cancellation_undated"
    REVIEW_OVERDUE = "review_overdue"
    JUVENILE_MONTHLY_REVIEWS_MISSED = "juvenile_monthly_reviews_missed"
    COMMISSIONER_NOTICE_LATE = "commissioner_notice_late"
    AO_RANK_BELOW_MINIMUM = "ao_rank_below_minimum"
    AO_NOT_INDEPENDENT = "ao_not_independent"

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self]


DESCRIPTIONS: dict[Finding, str] = {
    Finding.DUPLICATE_REF: "The reference is used by another record in the register.",
    Finding.RENEWAL_AFTER_EXPIRY: (
        "A renewal is dated after the authorisation expired, so it renewed nothing."
    ),
    Finding.CANCELLED_AFTER_EXPIRY: "The cancellation is dated after the authorisation expired.",
    Finding.NEVER_CANCELLED: "The authorisation expired without being cancelled.",
    Finding.CANCEL_BEFORE_GRANT: "The cancellation is dated before the grant.",
    Finding.CANCELLATION_UNDATED: "The record says the authorisation was cancelled but gives no date.",
    Finding.REVIEW_OVERDUE: (
        "A review fell due and none was recorded within 7 days while the authorisation was in effect."
    ),
    Finding.JUVENILE_MONTHLY_REVIEWS_MISSED: (
        "A juvenile source's authorisation missed one or more of its monthly reviews."
    ),
    Finding.COMMISSIONER_NOTICE_LATE: "Notice to a Judicial Commissioner was given late.",
    Finding.AO_RANK_BELOW_MINIMUM: (
        "The authorising officer's rank is below the minimum the law sets for this authorisation."
    ),
    Finding.AO_NOT_INDEPENDENT: (
        "The authorising officer was directly involved in the investigation."
    ),
}
