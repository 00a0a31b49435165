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
    NOT_COVERT_AUTHORISATION = "not_covert_authorisation"
    KIND_NOT_RECOGNISED = "kind_not_recognised"
    GRANT_DATE_MISSING = "grant_date_missing"
    APPROVAL_MISSING = "approval_missing"
    COMMISSIONER_APPROVAL_LATE = "commissioner_approval_late"
    CRIME_THRESHOLD_NOT_MET = "crime_threshold_not_met"
    REFERENCE_YEAR_MISMATCH = "reference_year_mismatch"
    REVIEW_WHEN_NOT_IN_EFFECT = "review_when_not_in_effect"
    REVIEW_DATES_NOT_RECORDED = "review_dates_not_recorded"
    DURATION_EXCEEDS_PERIOD = "duration_exceeds_period"
    SEVERAL_AUTHORISATIONS_IN_ROW = "several_authorisations_in_row"
    ORAL_GRANT_BY_URGENT_ONLY_OFFICER = "oral_grant_by_urgent_only_officer"

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
    Finding.CANCELLATION_UNDATED: (
        "The record says the authorisation was cancelled but gives no date."
    ),
    Finding.REVIEW_OVERDUE: (
        "A review fell due and none was recorded within 7 days while the authorisation was "
        "in effect."
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
    Finding.ORAL_GRANT_BY_URGENT_ONLY_OFFICER: (
        "The authorisation was granted orally by an officer who may act only in urgent cases; "
        "such an officer may grant only in writing."
    ),
    Finding.NOT_COVERT_AUTHORISATION: (
        "The row records something that is not a covert authorisation (for example a "
        "communications data request), so no covert-authority rule applies to it."
    ),
    Finding.KIND_NOT_RECOGNISED: "The type of authorisation is missing or not recognised.",
    Finding.GRANT_DATE_MISSING: "The record gives no date of grant that can be read.",
    Finding.APPROVAL_MISSING: (
        "The authorisation needed a Judicial Commissioner's or a magistrate's approval before "
        "it could take effect, and none is recorded."
    ),
    Finding.COMMISSIONER_APPROVAL_LATE: (
        "A Judicial Commissioner's decision on an urgent warrant is dated after the deadline."
    ),
    Finding.CRIME_THRESHOLD_NOT_MET: (
        "A local authority's directed surveillance is for an offence that does not meet the "
        "crime threshold (at least 6 months' custody, or an underage sale)."
    ),
    Finding.REFERENCE_YEAR_MISMATCH: "The year in the reference differs from the year of grant.",
    Finding.REVIEW_WHEN_NOT_IN_EFFECT: (
        "A review is dated when the authorisation was not in effect: before it took effect, "
        "after it ended, or when it never took effect."
    ),
    Finding.REVIEW_DATES_NOT_RECORDED: (
        "The central record refers elsewhere for reviews instead of giving their dates."
    ),
    Finding.DURATION_EXCEEDS_PERIOD: (
        "The stated duration is longer than the statutory period and no renewal is recorded."
    ),
    Finding.SEVERAL_AUTHORISATIONS_IN_ROW: (
        "One row stands for several authorisations, so each cannot be checked on its own."
    ),
}
