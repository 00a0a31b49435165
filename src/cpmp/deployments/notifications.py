"""E-mail to the person a recovery task now sits with, sent after the escalation commits.

The e-mail names the task by its number and links to its page. It never carries the asset,
its location, the operation or the authority, because e-mail leaves the system and the
people it reaches may sit outside the operation's compartment.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cpmp.access.models import User
from cpmp.access.roles import Role
from cpmp.reminders.sending import site_link

from .models import EscalationLevel, RecoveryTask

logger = logging.getLogger(__name__)

# The role that holds a task at each level above the senior investigating officer, who is
# named on the operation itself.
ROLE_AT_LEVEL = {
    EscalationLevel.TECHNICAL_UNIT_MANAGER: Role.TECHNICAL_UNIT_MANAGER,
    EscalationLevel.SENIOR_RESPONSIBLE_OFFICER: Role.SENIOR_RESPONSIBLE_OFFICER,
}


def notify_escalation_on_commit(task_id: int, level: int) -> None:
    """Send the escalation e-mail for ``task_id`` at ``level`` once the transaction commits.

    A task's level only ever rises, so each level's holders are e-mailed at most once per task.
    A task that jumps two levels in one pass e-mails only the holders of the new level.
    """
    transaction.on_commit(lambda: send_escalation(task_id, level))


def recipients(task: RecoveryTask, level: int) -> list[User]:
    """Return the active people with an e-mail address that ``task`` sits with at ``level``."""
    if level == EscalationLevel.SENIOR_INVESTIGATING_OFFICER:
        officer = task.deployment.operation.senior_investigating_officer
        people = [officer] if officer is not None else []
    else:
        now = timezone.now()
        people = list(
            # One filter() call, so the role and its expiry are read from the same assignment.
            User.objects.filter(
                Q(role_assignments__expires_at__isnull=True)
                | Q(role_assignments__expires_at__gt=now),
                is_active=True,
                role_assignments__role=ROLE_AT_LEVEL[EscalationLevel(level)],
            )
            .distinct()
            .order_by("pk")
        )
    return [person for person in people if person.is_active and person.email]


def escalation_message(task: RecoveryTask, level: int) -> tuple[str, str]:
    """Return the subject and body: the task's number, who now holds it, and a link only."""
    link = site_link(reverse("deployments:recovery-detail", kwargs={"task_id": task.pk}))
    holder = EscalationLevel(level).label.lower()
    subject = f"Recovery task {task.pk} has been escalated to you"
    body = (
        f"Recovery task {task.pk} is still open and now sits with the {holder}.\n\n"
        f"Open the task in CPMP to see what must be recovered: {link}\n\n"
        "Do not reply to this e-mail or forward it.\n"
    )
    return subject, body


def send_escalation(task_id: int, level: int) -> int:
    """E-mail everyone ``task_id`` sits with at ``level`` and return how many were sent.

    A failure of the mail backend is logged with ids and not raised, because the escalation
    itself has already committed. NOTE: a failed e-mail is not retried; the recovery list
    still shows the task to the people it sits with.
    """
    task = RecoveryTask.objects.select_related(
        "deployment__operation__senior_investigating_officer"
    ).get(pk=task_id)
    subject, body = escalation_message(task, level)
    sent = 0
    for person in recipients(task, level):
        try:
            send_mail(subject, body, None, [person.email])
        # Any failure of the mail backend (SMTP refusal, timeout, bad address) is only logged.
        except Exception as error:
            logger.error(
                "escalation e-mail failed: task=%s level=%s person=%s error=%s",
                task.pk,
                level,
                person.pk,
                type(error).__name__,
            )
        else:
            sent += 1
    logger.info("escalation e-mails sent: task=%s level=%s sent=%d", task.pk, level, sent)
    return sent
