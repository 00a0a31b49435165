"""Turn stored values into the British English forms the pages show.

Dates follow the GOV.UK style guide: "3 January 2023", times as "10:40pm", "9am",
"midday" and "midnight". Instants are shown in Europe/London time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cpmp.law.kinds import AuthorityKind
from cpmp.oversight.findings import Finding

LONDON = ZoneInfo("Europe/London")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^\d{4}$")


def format_day(value: date) -> str:
    """Return a date as "14 February 2023"."""
    return f"{value.day} {value:%B %Y}"


def format_time(value: time) -> str:
    """Return a clock time as "10:40pm", "9am", "midday" or "midnight"."""
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute == 0:
        return f"{hour}{suffix}"
    return f"{hour}:{value.minute:02d}{suffix}"


def format_instant(value: datetime) -> str:
    """Return an instant as "3 January 2023, 10:40pm" in Europe/London time."""
    local = value.astimezone(LONDON)
    return f"{format_day(local.date())}, {format_time(local.time())}"


def format_iso_text(text: str) -> str:
    """Return stored ISO 8601 text at its own precision in British form.

    "2023-01-03T22:40:00+00:00" becomes "3 January 2023, 10:40pm", "2023-02-14" becomes
    "14 February 2023" and "2020-07" becomes "July 2020". A date and time without an
    offset is taken as Europe/London time. Text that is not ISO 8601 is returned unchanged,
    so nothing in the record is hidden.
    """
    text = text.strip()
    if not text:
        return ""
    if _YEAR.match(text):
        return text
    year_month = _YEAR_MONTH.match(text)
    if year_month:
        year, month = int(year_month.group(1)), int(year_month.group(2))
        if 1 <= month <= 12:
            return f"{date(year, month, 1):%B %Y}"
        return text
    try:
        if len(text) == 10:
            return format_day(date.fromisoformat(text))
        instant = datetime.fromisoformat(text)
    except ValueError:
        return text
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=LONDON)
    return format_instant(instant)


def format_end_instant(value: datetime) -> str:
    """Return the exclusive end of a period as people read it.

    An end at midnight Europe/London means the period ran to the end of the day before,
    so it is shown as "23:59 on 13 February 2023". Any other end is shown as
    "10:40pm on 3 January 2023".
    """
    local = value.astimezone(LONDON)
    if local.time() == time(0, 0):
        return f"23:59 on {format_day(local.date() - timedelta(days=1))}"
    return f"{format_time(local.time())} on {format_day(local.date())}"


def format_end_iso_text(text: str) -> str:
    """Return stored ISO 8601 text for the end of a period: an instant as ``format_end_instant``
    shows it, anything less precise as ``format_iso_text`` does."""
    text = (text or "").strip()
    if "T" in text:
        try:
            instant = datetime.fromisoformat(text)
        except ValueError:
            return text
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=LONDON)
        return format_end_instant(instant)
    return format_iso_text(text)


def format_expiry(
    expires_at: datetime | None,
    expires_earliest: datetime | None,
    expires_latest: datetime | None,
) -> str:
    """Return the expiry of an authorisation: exact, a range, or "Not known"."""
    if expires_at is not None:
        return format_end_instant(expires_at)
    if expires_earliest is not None and expires_latest is not None:
        if expires_earliest == expires_latest:
            return format_end_instant(expires_latest)
        earliest = format_end_instant(expires_earliest)
        latest = format_end_instant(expires_latest)
        return f"Between {earliest} and {latest}"
    if expires_latest is not None:
        return f"No later than {format_end_instant(expires_latest)}"
    return "Not known"


def kind_label(value: str | None) -> str:
    """Return the label of an authority kind, or the stored code if it is not a known kind."""
    if not value:
        return "Not recorded"
    try:
        return AuthorityKind(value).label
    except ValueError:
        return value


def finding_description(code: str) -> str:
    """Return the plain description of a finding code, or the code if it is not known."""
    try:
        return Finding(code).description
    except ValueError:
        return code


# GOV.UK tag colour for each status. A status missing here gets the default blue tag.
STATUS_TAG_CLASSES: dict[str, str] = {
    "live": "govuk-tag--green",
    "expired-not-cancelled": "govuk-tag--red",
    "cancelled": "govuk-tag--grey",
    "cancelled-after-expiry": "govuk-tag--orange",
    "refused": "govuk-tag--pink",
    "awaiting-approval": "govuk-tag--turquoise",
    "cancelled-date-unknown": "govuk-tag--yellow",
    "invalid-data": "govuk-tag--purple",
}
