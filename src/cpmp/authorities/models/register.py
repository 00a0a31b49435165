"""The register of covert authorisations.

An ``Authorisation`` row is one entry in the force's central record. Rows imported from a
legacy register keep the source cells in ``details`` and point back to the import and the
record number they came from, so nothing in the source is lost.

Status is not stored: it depends on the instant of the question, so ``selectors`` derives it
in the database from the facts below (the law core's ``status_at`` states the same rule).
"""

from __future__ import annotations

from django.db import models

from cpmp.law.kinds import AuthorityKind


class Origin(models.TextChoices):
    IMPORTED = "imported", "Imported from a legacy register"
    WORKFLOW = "workflow", "Made in CPMP"


class RecordState(models.TextChoices):
    """What the record itself says, before the clock is applied."""

    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    AWAITING_APPROVAL = "awaiting-approval", "Awaiting approval"
    CANCELLED_DATE_UNKNOWN = "cancelled-date-unknown", "Cancelled, date unknown"
    INVALID_DATA = "invalid-data", "Invalid data"


class AuthorityType(models.TextChoices):
    POLICE = "police", "Police force"
    LOCAL_AUTHORITY = "local-authority", "Local authority"


class Authorisation(models.Model):
    origin = models.CharField(max_length=20, choices=Origin.choices)
    authority_type = models.CharField(
        max_length=20, choices=AuthorityType.choices, default=AuthorityType.POLICE
    )
    # ``reference`` and ``kind`` are null when the source register gives none, which keeps
    # "no value" distinct from an empty string, so DJ001 is suppressed on both.
    reference = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    kind = models.CharField(  # noqa: DJ001
        max_length=40,
        null=True,
        blank=True,
        choices=[(kind.value, kind.label) for kind in AuthorityKind],
    )
    # The operation as the source register wrote it, kept as given.
    operation = models.CharField(max_length=200, blank=True)
    # The compartment the record belongs to, which decides who may see it
    # (``cpmp.access.compartments``). Null when the record names no operation: only the roles
    # that oversee every operation see such a record.
    operation_ref = models.ForeignKey(
        "operations.Operation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorisations",
    )
    urgent = models.BooleanField(default=False)
    oral = models.BooleanField(default=False)
    juvenile = models.BooleanField(default=False)

    # Dates as ISO 8601 text at the precision the source gave ("2023-01-03T22:40:00+00:00",
    # "2023-02-14", "2020-07" or ""), and the earliest instant each allows, for sorting.
    granted = models.CharField(max_length=40, blank=True)
    granted_from = models.DateTimeField(null=True, blank=True)
    takes_effect = models.CharField(max_length=40, blank=True)
    takes_effect_from = models.DateTimeField(null=True, blank=True)
    cancelled = models.CharField(max_length=40, blank=True)
    cancelled_from = models.DateTimeField(null=True, blank=True)

    # Exclusive end of the authorised period. ``expires_at`` is null unless the instant is known;
    # the earliest and latest bounds are set whenever a range is known (equal when exact).
    expires_at = models.DateTimeField(null=True, blank=True)
    expires_earliest = models.DateTimeField(null=True, blank=True)
    expires_latest = models.DateTimeField(null=True, blank=True)

    state = models.CharField(max_length=30, choices=RecordState.choices)
    findings = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)

    import_batch = models.ForeignKey(
        "oversight.CentralRecordImport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorisations",
    )
    source_record = models.PositiveIntegerField(null=True, blank=True)

    # A workflow row is one power of one application; ``cpmp.authorities.projection`` derives
    # its facts from the application's events, and nothing else writes them.
    application = models.ForeignKey(
        "authorities.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorisations",
    )
    # On an imported row: the workflow row for the same authorisation (same reference and
    # kind). The register counts the workflow row only (``selectors.register_rows``).
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_records",
    )
    # Hash of the source record's normalised cells: the same record imported twice is one row.
    fingerprint = models.CharField(max_length=64, unique=True, null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["reference"], name="authorisation_reference"),
            models.Index(fields=["kind", "granted_from"], name="authorisation_kind_granted"),
            models.Index(fields=["operation"], name="authorisation_operation"),
            models.Index(fields=["granted_from"], name="authorisation_granted"),
            models.Index(fields=["expires_latest"], name="authorisation_expires"),
            models.Index(fields=["state", "cancelled_from"], name="authorisation_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=models.Q(application__isnull=False),
                name="one_authorisation_per_power",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"authorisation {self.pk}"
