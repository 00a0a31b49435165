"""One pass of reminders: find what falls due, record each reminder once, send after commit.

``send_reminders(now)`` reads ``deadlines_at`` and, for each deadline and each person
concerned, picks the nearest lead time that has been reached (7 days before, 1 day before,
on the day, by default). It inserts a ``SentReminder`` row in its own transaction and sends
the e-mail only once that transaction commits. The row's unique constraint is the guard
against duplicates, so two schedulers running at once cannot both send. A send that fails is
logged with ids and left unsent, and the next pass retries it.

E-mails carry the authorisation's reference, what is due and when, and a link. They never
carry the kind of power, a subject, a source, an operation or an item of equipment, because
e-mail leaves the system.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cpmp.access.models import User
from cpmp.authorities.deadlines import Deadline, DeadlineKind, deadlines_at
from cpmp.authorities.models import Authorisation
from cpmp.law.periods import london_day, to_london

from .models import SentReminder

logger = logging.getLogger(__name__)

DEFAULT_LEAD_DAYS = (7, 1, 0)
# A claim older than this is taken to be from a run that stopped mid-send, so it is retried.
STALE_CLAIM = timedelta(minutes=15)

DUE_TEXT = {
    DeadlineKind.REVIEW: "A review is due",
    DeadlineKind.EXPIRY: "The authorisation ends",
    DeadlineKind.WRITTEN_RECORD: "The written record of an oral grant is due",
    DeadlineKind.COMMISSIONER_NOTICE: "A notice to a Judicial Commissioner is due",
    DeadlineKind.COMMISSIONER_APPROVAL: "A Judicial Commissioner's approval is awaited",
    DeadlineKind.EQUIPMENT_RECOVERY: "Equipment is still to be recovered",
}


@dataclass
class PassSummary:
    """The counts one pass reports in its summary line."""

    sent: int = 0
    already_recorded: int = 0
    failed: int = 0
    retried: int = 0
    no_address: int = 0
    failed_ids: list[int] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"Reminders: {self.sent} sent, {self.retried} of them retried, "
            f"{self.already_recorded} already sent, {self.failed} failed, "
            f"{self.no_address} people without an e-mail address."
        )


def lead_days() -> tuple[int, ...]:
    """Return the configured lead times in days, nearest last (``CPMP_REMINDER_LEAD_DAYS``)."""
    configured = getattr(settings, "CPMP_REMINDER_LEAD_DAYS", DEFAULT_LEAD_DAYS)
    values = sorted({int(value) for value in configured}, reverse=True)
    if not values or values[-1] < 0:
        raise ValueError(
            f"CPMP_REMINDER_LEAD_DAYS {configured!r} is invalid: give whole days of 0 or more"
        )
    return tuple(values)


def due_day(deadline: Deadline) -> date:
    """Return the London day a deadline falls on; ``due_at`` is the exclusive end instant."""
    return london_day(deadline.due_at - timedelta(microseconds=1))


def reached_lead(deadline: Deadline, now: datetime, leads: Iterable[int]) -> int | None:
    """Return the nearest lead time reached at ``now``, or None when none is reached yet."""
    today = london_day(now)
    reached = [lead for lead in leads if today >= due_day(deadline) - timedelta(days=lead)]
    return min(reached) if reached else None


def send_reminders(now: datetime | None = None) -> PassSummary:
    """Run one pass at ``now`` (default: the current instant) and return its counts."""
    now = now or timezone.now()
    summary = PassSummary()
    _retry_unsent(now, summary)

    leads = lead_days()
    horizon = timedelta(days=max(leads) + 1)
    for deadline in deadlines_at(now, within=horizon):
        lead = reached_lead(deadline, now, leads)
        if lead is None:
            continue
        people = User.objects.filter(pk__in=deadline.people, is_active=True)
        for person in people:
            if not person.email:
                summary.no_address += 1
                continue
            _record_and_send(deadline, person, lead, now, summary)
    logger.info(summary.line())
    return summary


def _record_and_send(
    deadline: Deadline, person: User, lead: int, now: datetime, summary: PassSummary
) -> None:
    try:
        with transaction.atomic():
            reminder = SentReminder.objects.create(
                deadline_kind=deadline.kind,
                authorisation_id=deadline.authorisation_id,
                due_at=deadline.due_at,
                detail=deadline.detail[:200],
                person=person,
                lead_days=lead,
                created_at=now,
                claimed_at=now,
            )
            transaction.on_commit(lambda: _deliver(reminder, summary, now))
    except IntegrityError:
        summary.already_recorded += 1


def _retry_unsent(now: datetime, summary: PassSummary) -> None:
    """Send again each reminder a previous pass recorded but could not send."""
    unsent = SentReminder.objects.filter(sent_at__isnull=True).exclude(
        claimed_at__gt=now - STALE_CLAIM
    )
    for reminder in unsent.select_related("person", "authorisation"):
        # Compare-and-set on the claim, so of two runs retrying at once only one sends.
        claimed = (
            SentReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True)
            .exclude(claimed_at__gt=now - STALE_CLAIM)
            .update(claimed_at=now)
        )
        if claimed:
            logger.info("Reminder retried: reminder=%s", reminder.pk)
            summary.retried += 1
            _deliver(reminder, summary, now)


def _deliver(reminder: SentReminder, summary: PassSummary, now: datetime) -> None:
    """Send one reminder and record the outcome; a failure is logged and left for retry."""
    authorisation = Authorisation.objects.get(pk=reminder.authorisation_id)
    subject, body = reminder_message(reminder, authorisation)
    try:
        send_mail(subject, body, None, [reminder.person.email])
    # Any failure of the mail backend (SMTP refusal, timeout, bad address) is retried next pass.
    except Exception as error:
        logger.error(
            "Reminder e-mail failed: reminder=%s authorisation=%s person=%s error=%s",
            reminder.pk,
            reminder.authorisation_id,
            reminder.person_id,
            type(error).__name__,
        )
        SentReminder.objects.filter(pk=reminder.pk).update(
            claimed_at=None, attempts=reminder.attempts + 1, last_error=type(error).__name__
        )
        summary.failed += 1
        summary.failed_ids.append(reminder.pk)
        return
    SentReminder.objects.filter(pk=reminder.pk).update(
        sent_at=timezone.now(), attempts=reminder.attempts + 1, last_error=""
    )
    summary.sent += 1


def site_link(path: str) -> str:
    base = getattr(settings, "CPMP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}{path}"


def reminder_message(reminder: SentReminder, authorisation: Authorisation) -> tuple[str, str]:
    """Return the subject and body: the reference, what is due and when, and a link only."""
    reference = authorisation.reference or f"authorisation {authorisation.pk}"
    what = DUE_TEXT.get(reminder.deadline_kind, "A deadline falls")
    when = to_london(reminder.due_at)
    overdue = reminder.due_at <= timezone.now()
    subject = f"CPMP: {what.lower()} for {reference}"
    timing = "was due by" if overdue else "is due by"
    link = site_link(reverse("authorities:detail", kwargs={"authorisation_id": authorisation.pk}))
    body = (
        f"{what} for {reference}.\n\n"
        f"It {timing} {when:%H:%M on %d %B %Y} (UK time).\n\n"
        f"Open the authorisation in CPMP to see the details: {link}\n\n"
        "This e-mail holds no details of the authorisation on purpose. Do not reply to it."
    )
    return subject, body
