"""Applications, their immutable document versions and the events of their life.

An ``Application`` is the case: it follows one request for covert powers from draft to
decision and, once granted, through reviews, renewals, variations and cancellation. Its
``content`` is the draft, the only mutable text; every submitted form is a
``DocumentVersion`` that is never changed, and every step is a ``CaseEvent`` that points at
the version it rests on. ``cpmp.authorities.actions`` is the only code that writes them.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from cpmp.law.kinds import AuthorityKind


class ImmutableRecord(Exception):
    """An attempt to change or delete a document version or event through the ORM."""


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset whose rows can be inserted and read, never updated or deleted."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord(f"{self.model.__name__} rows are never updated: add a new one")

    def delete(self) -> NoReturn:
        raise ImmutableRecord(f"{self.model.__name__} rows are never deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord(f"{self.model.__name__} rows are never updated: add a new one")


class AppendOnlyModel(models.Model):
    """A model whose rows are written once: ``save`` on an existing row and ``delete`` raise."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecord(
                f"{type(self).__name__} {self.pk} is never changed: add a new one"
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord(f"{type(self).__name__} {self.pk} is never deleted")


KIND_CHOICES = [(kind.value, kind.label) for kind in AuthorityKind]


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned-for-amendment", "Returned for amendment"
    WITH_AUTHORISING_OFFICER = "with-authorising-officer", "With the authorising officer"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class Application(models.Model):
    """One application for one or more covert powers, and the case that follows it.

    ``kinds`` lists the powers applied for (``AuthorityKind`` values). A combined application
    has several, and each becomes its own ``Authorisation`` with its own rules (RIPA s.43(2)).
    ``version`` rises by one with every action, which checks it against the version the person
    saw (optimistic locking); ``updated_by`` and ``updated_at`` name the last change.
    """

    reference = models.CharField(max_length=100, unique=True)
    operation = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications_made"
    )
    kinds = models.JSONField(default=list)
    urgent = models.BooleanField(default=False)
    state = models.CharField(
        max_length=30, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    content = models.JSONField(default=dict, blank=True)

    # The source a CHIS, juvenile CHIS, relevant-source or criminal conduct application is for.
    source = models.ForeignKey(
        "assets.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # The live CHIS authorisation a criminal conduct authorisation rests on (RIPA s.29B(3)),
    # when it is not granted in the same application.
    chis_authorisation = models.ForeignKey(
        "authorities.Authorisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criminal_conduct_applications",
    )

    gatekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_gatekept",
    )
    authorising_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_decided",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["state", "updated_at"], name="application_state"),
        ]

    def __str__(self) -> str:
        return f"application {self.pk}"

    @property
    def authority_kinds(self) -> list[AuthorityKind]:
        return [AuthorityKind(value) for value in self.kinds]


class DocumentType(models.TextChoices):
    APPLICATION = "application", "Application"
    GATEKEEPER_CHECK = "gatekeeper-check", "Gatekeeper check"
    DECISION = "decision", "Decision"
    ORAL_GRANT_RECORD = "oral-grant-record", "Record of an oral grant"
    REVIEW = "review", "Review"
    RENEWAL = "renewal", "Renewal"
    VARIATION = "variation", "Variation"
    CANCELLATION = "cancellation", "Cancellation"
    COMMISSIONER_NOTICE = "commissioner-notice", "Notice to a Judicial Commissioner"
    COMMISSIONER_DECISION = "commissioner-decision", "Judicial Commissioner's decision"
    EXTERNAL_AUTHORITY = "external-authority", "Authority granted outside the force"


class DocumentVersion(AppendOnlyModel):
    """One immutable version of one document of a case.

    ``document_key`` names the document within its case ("application", "review-3"), and
    ``number`` counts its versions from 1. From the second version on, ``amendment_reason``
    says why it was amended. ``sha256`` is the SHA-256 of the canonical JSON of ``content``
    (``cpmp.authorities.documents.canonical_json``), so a signature can be bound to it.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    document_type = models.CharField(max_length=30, choices=DocumentType.choices)
    document_key = models.CharField(max_length=120)
    number = models.PositiveIntegerField()
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents_written"
    )
    created_at = models.DateTimeField()
    amendment_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "document_key", "number"], name="one_document_version_number"
            ),
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(amendment_reason=""),
                name="amendment_has_reason",
            ),
        ]
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return f"document version {self.pk}"


class EventType(models.TextChoices):
    """The steps of a case. The values are stored: never rename or reuse one."""

    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned-for-amendment", "Returned for amendment"
    ACCEPTED = "accepted", "Accepted by the gatekeeper"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    ORAL_GRANT = "oral-grant", "Granted orally"
    WRITTEN_GRANT = "written-grant", "Granted in writing after an oral grant"
    COMMISSIONER_NOTICE = "commissioner-notice", "Notice given to a Judicial Commissioner"
    COMMISSIONER_APPROVED = "commissioner-approved", "Approved by a Judicial Commissioner"
    COMMISSIONER_REFUSED = "commissioner-refused", "Refused by a Judicial Commissioner"
    COMMISSIONER_QUASHED = "commissioner-quashed", "Quashed by a Judicial Commissioner"
    REVIEWED = "reviewed", "Reviewed"
    RENEWED = "renewed", "Renewed"
    VARIED = "varied", "Varied"
    CANCELLED = "cancelled", "Cancelled"
    EQUIPMENT_RECOVERED = "equipment-recovered", "Equipment recovered"


class CaseEvent(AppendOnlyModel):
    """One step in a case, resting on the document version that records it.

    ``kind`` names the power the step concerns, or is empty when it concerns every power of
    the application. ``occurred_at`` is when the step took effect in the world (the instant
    of signature, of the Commissioner's approval); ``recorded_at`` is when CPMP stored it.
    ``facts`` contains the values the projection needs (oral, urgent, renewal mode).
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(max_length=30, choices=EventType.choices)
    kind = models.CharField(max_length=40, blank=True, choices=KIND_CHOICES)
    document = models.ForeignKey(
        DocumentVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_events"
    )
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    facts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application", "occurred_at", "pk"]
        indexes = [
            models.Index(fields=["application", "event_type"], name="case_event_type"),
        ]

    def __str__(self) -> str:
        return f"case event {self.pk}"
