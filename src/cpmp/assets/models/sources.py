"""The covert human intelligence source (CHIS) and its sterile corridor.

A source's true identity is stored encrypted (``cpmp.access.fields``) and shown only to the
source unit; everyone else who may see the source gets its reference and pseudonym only.
``cpmp.access.compartments`` decides who may see which.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cpmp.access.fields import EncryptedDateField, EncryptedTextField


class SourceStatus(models.TextChoices):
    POTENTIAL = "potential", "Potential"
    RECRUITED = "recruited", "Recruited"
    DEACTIVATED = "deactivated", "Deactivated"


class Source(models.Model):
    """A covert human intelligence source, known outside the source unit by pseudonym."""

    # The force's source reference, such as "CHIS/2024/0017".
    reference = models.CharField(max_length=50, unique=True)
    pseudonym = models.CharField(max_length=100)
    status = models.CharField(
        max_length=20, choices=SourceStatus.choices, default=SourceStatus.POTENTIAL
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources_handled",
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources_controlled",
    )
    # The person who keeps the source's records (RIPA s.29(5)(c)).
    records_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources_recorded",
    )
    # Set by ``cpmp.assets.actions.change_source_status`` as the status moves on.
    recruited_on = models.DateField(null=True, blank=True)
    deactivated_on = models.DateField(null=True, blank=True)
    # The compartment: the source's records are seen by this operation's team and the roles
    # that oversee every operation. Required, so no source is ever outside a compartment.
    operation = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="sources"
    )

    # The true identity, encrypted at rest.
    true_name = EncryptedTextField()
    true_date_of_birth = EncryptedDateField(null=True, blank=True)
    true_address = EncryptedTextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        # Neither the pseudonym nor the true name, so logs and error pages show an id only.
        return f"source {self.pk}"
