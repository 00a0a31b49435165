"""Deadline reminders and step e-mails: when they go, to whom, once only, and what they omit."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from cpmp.access.roles import Rank
from cpmp.authorities import actions
from cpmp.reminders.models import SentReminder
from cpmp.reminders.sending import send_reminders
from tests.factories import a_gatekeeper
from tests.lifecycle_factories import (
    an_applicant_officer,
    an_authoriser,
    an_operation,
    at,
    base_content,
    decision,
)

REFERENCE = "DS/REMIND/0001"
# Text from the application that must never leave CPMP by e-mail.
COVERT_TEXT = ("Op Lifecycle", "NOMINAL-001", "AB12 CDE", "static-observation", "irected")


def _granted() -> dict[str, Any]:
    """Grant directed surveillance on 1 Feb 2026 with its first review on 28 Feb 2026.

    The review falls due at the end of 28 Feb, and the authorisation ends with 30 Apr.
    """
    applicant = an_applicant_officer()
    officer = an_authoriser(Rank.SUPERINTENDENT)
    gatekeeper = a_gatekeeper()
    for number, person in enumerate((applicant, officer, gatekeeper)):
        person.email = f"person{number}@cpmp.test"
        person.save()
    operation = an_operation(applicant, officer)
    application = actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference=REFERENCE,
        content=base_content(),
        at=at("2026-02-01T09:00:00+00:00"),
    )
    actions.submit_application(
        application, acting_user=applicant, expected_version=1, at=at("2026-02-01T09:10:00+00:00")
    )
    actions.accept_application(
        application, acting_user=gatekeeper, expected_version=2, at=at("2026-02-01T09:20:00+00:00")
    )
    (row,) = actions.grant_application(
        application,
        acting_user=officer,
        expected_version=3,
        decision=decision("2026-02-28"),
        at=at("2026-02-01T10:00:00+00:00"),
    )
    mail.outbox.clear()
    return {"row": row, "people": {applicant.email, officer.email, gatekeeper.email}}


class FailingBackend(BaseEmailBackend):
    """A mail backend whose every send fails, as an unreachable mail server would."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the test backend accepts no mail")


@pytest.mark.django_db
def test_review_reminders_at_each_lead(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    setup = _granted()

    def run(now: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(at(now))

    # The review is due on 28 Feb: 7 days before is 21 Feb, so nothing goes on 20 Feb.
    assert run("2026-02-20T08:00:00+00:00").sent == 0
    assert mail.outbox == []

    first = run("2026-02-21T08:00:00+00:00")
    assert first.sent == 3
    assert {message.to[0] for message in mail.outbox} == setup["people"]
    assert all("review" in message.subject for message in mail.outbox)

    again = run("2026-02-21T18:00:00+00:00")
    assert again.sent == 0
    assert again.already_recorded == 3
    assert len(mail.outbox) == 3

    assert run("2026-02-27T08:00:00+00:00").sent == 3
    assert run("2026-02-28T08:00:00+00:00").sent == 3
    leads = sorted(set(SentReminder.objects.values_list("lead_days", flat=True)))
    assert leads == [0, 1, 7]
    assert len(mail.outbox) == 9


@pytest.mark.django_db
def test_expiry_reminder_a_week_before(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    _granted()
    # The last day is 30 Apr 2026 (the period ends at midnight BST), so 7 days before is 23 Apr.
    with django_capture_on_commit_callbacks(execute=True):
        summary = send_reminders(at("2026-04-23T07:00:00+01:00"))
    expiry = SentReminder.objects.filter(deadline_kind="expiry")
    assert summary.sent >= 3
    assert expiry.count() == 3
    assert {reminder.lead_days for reminder in expiry} == {7}
    assert any("ends" in message.subject for message in mail.outbox)


@pytest.mark.django_db
def test_email_holds_no_covert_detail(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    row = _granted()["row"]
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(at("2026-02-28T08:00:00+00:00"))
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body
        assert REFERENCE in text
        assert f"/authorisations/{row.pk}/" in message.body
        for covert in COVERT_TEXT:
            assert covert not in text


@pytest.mark.django_db
def test_rollback_sends_nothing(django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    _granted()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send_reminders(at("2026-02-21T08:00:00+00:00"))
                raise RuntimeError("roll back the pass")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert SentReminder.objects.count() == 0


@pytest.mark.django_db
def test_failed_send_retried_next_run(
    django_capture_on_commit_callbacks: Callable[..., Any], settings: Any, caplog: Any
) -> None:
    _granted()
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        failed = send_reminders(at("2026-02-21T08:00:00+00:00"))
    assert failed.failed == 3
    assert SentReminder.objects.filter(sent_at__isnull=True).count() == 3
    assert "Reminder e-mail failed: reminder=" in caplog.text
    assert "@" not in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        retried = send_reminders(at("2026-02-21T09:00:00+00:00"))
    assert retried.retried == 3
    assert retried.sent == 3
    assert len(mail.outbox) == 3
    assert SentReminder.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_command_prints_summary() -> None:
    # Outside a test transaction, as under cron, each reminder is sent as its row commits.
    _granted()
    out = io.StringIO()
    call_command("reminders", "send", "--now", "2026-02-21T08:00:00+00:00", stdout=out)
    assert out.getvalue().strip().startswith("Reminders: 3 sent,")
    with pytest.raises(CommandError) as bad:
        call_command("reminders", "send", "--now", "tomorrow", stdout=io.StringIO())
    assert bad.value.returncode == 2
    assert "tomorrow" in str(bad.value)


@pytest.mark.django_db
def test_step_emails_after_commit(django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    applicant = an_applicant_officer()
    applicant.email = "applicant@cpmp.test"
    applicant.save()
    operation = an_operation(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application = actions.create_application(
            acting_user=applicant,
            operation=operation,
            kinds=["directed-surveillance"],
            reference=REFERENCE,
            content=base_content(),
        )
        actions.submit_application(application, acting_user=applicant, expected_version=1)
    assert [message.to for message in mail.outbox] == [["applicant@cpmp.test"]] * 2
    for message in mail.outbox:
        assert REFERENCE in message.subject
        for covert in COVERT_TEXT:
            assert covert not in message.subject + message.body

    # A step that rolls back sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                actions.save_draft(
                    application, acting_user=applicant, expected_version=3, content={}
                )
        except Exception:  # noqa: S110 - the refusal is what the test expects
            pass
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_schedulers_send_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (see scripts/test-postgres)")
    _granted()
    barrier = threading.Barrier(2)
    summaries: list[Any] = []

    def run() -> None:
        try:
            barrier.wait()
            summaries.append(send_reminders(at("2026-02-21T08:00:00+00:00")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(summary.sent for summary in summaries) == 3
    assert sum(summary.already_recorded for summary in summaries) == 3
    assert len(mail.outbox) == 3
    assert SentReminder.objects.count() == 3
