"""What an authorisation permits, item by item, and authorities granted outside the force.

``AuthorisedConduct`` is the structured statement of what an authorising officer sanctioned:
one row per subject, premises, vehicle, item of equipment, online account, tactic or time
window, each tied to one power. A deployment can be checked against it with one query:

    AuthorisedConduct.objects.in_force().filter(
        authorisation=authorisation, category="vehicle", identifier="AB12 CDE"
    )
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ConductCategory(models.TextChoices):
    SUBJECT = "subject", "Subject"
    PREMISES = "premises", "Premises"
    VEHICLE = "vehicle", "Vehicle"
    EQUIPMENT = "equipment", "Equipment"
    ONLINE_ACCOUNT = "online-account", "Online account or platform"
    TACTIC = "tactic", "Tactic"
    TIME_WINDOW = "time-window", "Time window"


class PremisesUse(models.TextChoices):
    """What premises are used for; the first three need a Commissioner's prior approval for
    property interference (Police Act 1997 s.97(2)(a))."""

    DWELLING = "dwelling", "Dwelling"
    HOTEL_BEDROOM = "hotel-bedroom", "Hotel bedroom"
    OFFICE = "office", "Office premises"
    OTHER = "other", "Other"


class ConductQuerySet(models.QuerySet["AuthorisedConduct"]):
    def in_force(self) -> ConductQuerySet:
        """Keep the items not removed by a later variation."""
        return self.filter(removed_by__isnull=True)


class AuthorisedConduct(models.Model):
    """One item of what one power authorises.

    ``identifier`` is what a deployment is matched on (a person's reference, an address, a
    vehicle registration, an account handle, a tactic's code). A tactic carries its own
    necessity, proportionality and collateral-intrusion text. ``starts_at`` and ``ends_at``
    bound a time window (null where the item is not limited in time). Items are added by a
    grant or variation (``added_by``) and are never edited; a variation that withdraws one
    sets ``removed_by``.
    """

    authorisation = models.ForeignKey(
        "authorities.Authorisation", on_delete=models.PROTECT, related_name="conduct"
    )
    category = models.CharField(max_length=20, choices=ConductCategory.choices)
    identifier = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    premises_use = models.CharField(max_length=20, choices=PremisesUse.choices, blank=True)
    platform = models.CharField(max_length=100, blank=True)
    necessity = models.TextField(blank=True)
    proportionality = models.TextField(blank=True)
    collateral_intrusion = models.TextField(blank=True)
    collateral_minimisation = models.TextField(blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        "authorities.CaseEvent", on_delete=models.PROTECT, related_name="conduct_added"
    )
    removed_by = models.ForeignKey(
        "authorities.CaseEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conduct_removed",
    )

    objects = ConductQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["authorisation", "category", "identifier"], name="conduct_lookup"),
        ]

    def __str__(self) -> str:
        return f"conduct {self.pk}"


class ExternalAuthorityType(models.TextChoices):
    PRISON_RULE_35A = "prison-rule-35a", "Prison Rule 35A monitoring"
    OPT_AGREED = "opt-agreed", "Activity agreed with the prison service"


class ExternalAuthority(models.Model):
    """An authority granted outside the force that police activity depends on.

    Prison Rule 35A monitoring is authorised by the prison governor (Prison Rules 1999
    r.35A); activity inside a prison is agreed with the prison service. RIPA's periods do not
    apply. Material is kept until ``retention_until``: 3 months after ``ends_on`` unless an
    exceptional case is recorded in ``exceptional_retention_reasons``.
    """

    authority_type = models.CharField(max_length=20, choices=ExternalAuthorityType.choices)
    operation = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="external_authorities"
    )
    application = models.ForeignKey(
        "authorities.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="external_authorities",
    )
    granted_by = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    external_reference = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    review_on = models.DateField()
    retention_until = models.DateField()
    exceptional_retention_reasons = models.TextField(blank=True)
    document = models.ForeignKey(
        "authorities.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="external_authorities",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="external_authority_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"external authority {self.pk}"
