"""Risk assessments: for a source, an undercover officer, a tactic or a deployment.

An assessment is a header (what is assessed, in which compartment, who owns it) and a chain
of immutable versions. Each change is a new version with a reason, so an inspector can see
how the risk was judged at every tasking (each tasking points to the version it relied on).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .scoring import BAND_LABELS, Band


class ImmutableVersion(Exception):
    """Raised when code tries to change or delete a stored version or acceptance."""


class SubjectType(models.TextChoices):
    SOURCE = "source", "Covert human intelligence source"
    UNDERCOVER_OFFICER = "undercover-officer", "Undercover officer"
    TACTIC = "tactic", "Tactic"
    DEPLOYMENT = "deployment", "Deployment"


class RiskAssessment(models.Model):
    subject_type = models.CharField(max_length=30, choices=SubjectType.choices)
    # Set for a source's assessment; the source's operation is then the compartment.
    source = models.ForeignKey(
        "assets.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risk_assessments",
    )
    # The compartment: who may see this assessment.
    operation = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    # A non-identifying reference for what is assessed when it is not a source, such as a
    # deployment's reference or a tactic's code. Never a name.
    subject_reference = models.CharField(max_length=100, blank=True)
    # A juvenile source needs the enhanced assessment (physical and psychological harm).
    juvenile = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks_owned"
    )
    # When something changed that the current version has not considered, such as a welfare
    # concern. The assessment is stale until a version newer than this is recorded.
    change_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(subject_type="source") | models.Q(source__isnull=False),
                name="source_risk_names_its_source",
            ),
        ]

    def __str__(self) -> str:
        return f"risk assessment {self.pk}"


class RiskAssessmentVersion(models.Model):
    """One immutable version of an assessment. Number 1 is the first assessment."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    band = models.CharField(
        max_length=20, choices=[(band.value, BAND_LABELS[band]) for band in Band]
    )
    # The hazards, including the risks from the people the source is tasked against.
    hazards = models.TextField()
    mitigations = models.TextField()
    # The enhanced assessment a juvenile source needs.
    physical_harm = models.TextField(blank=True)
    psychological_harm = models.TextField(blank=True)
    review_on = models.DateField()
    # Why this version was made: "First assessment" or what changed.
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_versions"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="one_risk_version_number"
            ),
        ]
        ordering = ["assessment", "number"]

    def __str__(self) -> str:
        return f"risk assessment {self.assessment_id} version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableVersion("a risk assessment version cannot be changed: add a new one")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableVersion("a risk assessment version cannot be deleted")


class RiskAcceptance(models.Model):
    """A senior officer's acceptance of one version's high risk, with their rationale."""

    version = models.ForeignKey(
        RiskAssessmentVersion, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks_accepted"
    )
    # The role the person accepted in, as stored in ``cpmp.access.roles.Role``.
    role = models.CharField(max_length=40)
    rationale = models.TextField()
    accepted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"risk acceptance {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableVersion("an acceptance cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableVersion("an acceptance cannot be deleted")
