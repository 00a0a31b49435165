"""E-mail the people concerned after each lifecycle step, once the step has committed.

``lifecycle_step`` is sent only after the transaction that made the step commits, so a step
that rolls back sends nothing. The e-mail names the application's reference, the step and a
link, and nothing else. A failed send is logged with ids. Unlike a deadline reminder it is
not retried, because the step is already visible in CPMP and in the deadline reminders.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse

from cpmp.access.models import User
from cpmp.authorities.models import Application

from .sending import site_link

logger = logging.getLogger(__name__)


def on_lifecycle_step(
    sender: Any, *, application_id: int, step: str, authorisation_ids: list[int], **kwargs: Any
) -> None:
    """Send one e-mail to each person concerned: applicant, gatekeeper, authorising officer."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return
    ids = {
        application.applicant_id,
        application.gatekeeper_id,
        application.authorising_officer_id,
    }
    people = User.objects.filter(pk__in=[pk for pk in ids if pk], is_active=True).exclude(email="")
    subject, body = step_message(application, step)
    for person in people:
        try:
            send_mail(subject, body, None, [person.email])
        # Any failure of the mail backend must not reach the action, which has committed.
        except Exception as error:
            logger.error(
                "Lifecycle e-mail failed: application=%s step=%s person=%s error=%s",
                application.pk,
                step,
                person.pk,
                type(error).__name__,
            )


def step_message(application: Application, step: str) -> tuple[str, str]:
    """Return the subject and body: the reference, the step's name and a link only."""
    step_name = step.split(".")[-1].replace("_", " ")
    try:
        path = reverse("authorities:case", kwargs={"application_id": application.pk})
    except NoReverseMatch:
        path = reverse("authorities:register")
    subject = f"CPMP: {application.reference} {step_name}"
    body = (
        f"Application {application.reference}: {step_name}.\n\n"
        f"Open it in CPMP to see the details: {site_link(path)}\n\n"
        "This e-mail holds no details of the application on purpose. Do not reply to it."
    )
    return subject, body
