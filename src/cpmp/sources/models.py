"""The records a source unit keeps about each source (Source Records Regulations, SI 2000/2725).

Contacts, taskings, payments and their approvals, welfare notes and triage decisions, each
pointing to a ``cpmp.assets.models.Source``. A location is stored as a reference that means
something only to the source unit ("LOC-17"), never as an address.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ContactKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Telephone call"
    MESSAGE = "message", "Message"


class Contact(models.Model):
    """One meeting, call or message between the source unit and a source."""

    source = models.ForeignKey("assets.Source", on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    occurred_at = models.DateTimeField()
    # The officers present or on the call.
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="source_contacts")
    # Anyone else present, by role only ("appropriate adult"), never by name.
    others_present = models.CharField(max_length=200, blank=True)
    location_reference = models.CharField(max_length=50)
    information_passed = models.TextField()
    welfare_observations = models.TextField()
    welfare_concern = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts_recorded"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["source", "occurred_at"], name="contact_by_source")]

    def __str__(self) -> str:
        return f"contact {self.pk}"


class Tasking(models.Model):
    """One task given to a source, with the authorisation, conduct and risk it relied on."""

    source = models.ForeignKey("assets.Source", on_delete=models.PROTECT, related_name="taskings")
    authorisation = models.ForeignKey(
        "authorities.Authorisation", on_delete=models.PROTECT, related_name="taskings"
    )
    conduct = models.ManyToManyField("authorities.AuthorisedConduct", related_name="taskings")
    risk_version = models.ForeignKey(
        "risk.RiskAssessmentVersion", on_delete=models.PROTECT, related_name="taskings"
    )
    # The contact at which the task was given. Null is a gap the gap report lists.
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="taskings"
    )
    description = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    tasked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="taskings_given"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"tasking {self.pk}"


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", "Payment"
    REWARD = "reward", "Reward"
    EXPENSES = "expenses", "Expenses"
    BENEFIT = "benefit", "Benefit in kind"


class PaymentState(models.TextChoices):
    REQUESTED = "requested", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class Payment(models.Model):
    """One payment, reward or benefit to a source, and the approvals it needs."""

    source = models.ForeignKey("assets.Source", on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=20, choices=PaymentKind.choices)
    # In pounds sterling.
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    purpose = models.TextField()
    # The contact at which the payment was handed over. Null is a gap the gap report lists.
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    state = models.CharField(
        max_length=20, choices=PaymentState.choices, default=PaymentState.REQUESTED
    )
    # Fixed when requested, from the policy and the source's risk at that moment.
    approvals_required = models.PositiveSmallIntegerField()
    senior_approval_required = models.BooleanField()
    high_risk_source = models.BooleanField()
    live_authorisation_at_request = models.BooleanField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments_requested"
    )
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["source", "requested_at"], name="payment_by_source")]

    def __str__(self) -> str:
        return f"payment {self.pk}"


class ApprovalDecision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REFUSE = "refuse", "Refuse"


class PaymentApproval(models.Model):
    """One approver's decision on a payment, in the role they held when deciding."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payment_decisions"
    )
    # The role the person decided in, as stored in ``cpmp.access.roles.Role``.
    role = models.CharField(max_length=40)
    decision = models.CharField(max_length=20, choices=ApprovalDecision.choices)
    rationale = models.TextField(blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "approver"], name="one_decision_per_approver"
            ),
        ]

    def __str__(self) -> str:
        return f"payment approval {self.pk}"


class WelfareNote(models.Model):
    source = models.ForeignKey(
        "assets.Source", on_delete=models.PROTECT, related_name="welfare_notes"
    )
    note = models.TextField()
    # A concern makes the source's risk assessments stale until reassessed.
    concern = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="welfare_notes"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"welfare note {self.pk}"


class TriageOutcome(models.TextChoices):
    SEEK_AUTHORISATION = "seek-authorisation", "Apply for a CHIS authorisation"
    NOT_A_CHIS = "not-a-chis", "Not a CHIS: the relationship is not used covertly"
    CEASE_CONTACT = "cease-contact", "Stop using the person as a source of information"


class TriageDecision(models.Model):
    """A decision, with its rationale, on whether someone giving information is a CHIS."""

    source = models.ForeignKey(
        "assets.Source", on_delete=models.PROTECT, related_name="triage_decisions"
    )
    # Question code → yes (true) or no (false); the questions are in ``triage.QUESTIONS``.
    answers = models.JSONField()
    outcome = models.CharField(max_length=30, choices=TriageOutcome.choices)
    rationale = models.TextField()
    # The clock when the decision was made.
    contact_count = models.PositiveIntegerField()
    days_since_first_contact = models.PositiveIntegerField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="triage_decisions"
    )
    decided_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"triage decision {self.pk}"
