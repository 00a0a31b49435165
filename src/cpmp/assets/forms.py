"""Forms of the asset register's pages: one registration form per kind, custody and status.

Field names match the keys ``actions.register_asset`` takes in ``details``, so an action's
error lands on the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms

from cpmp.deployments.forms import SummaryMixin, time_field

from .models import AccreditationLevel, AssetKind, CovertIdentity, Premises, UndercoverStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field() -> forms.DateField:
    return forms.DateField(
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date, like 2026-03-01"},
    )


def _choices(prompt: str, choices: Any) -> list[tuple[str, str]]:
    return [("", prompt), *[(str(value), str(label)) for value, label in choices]]


class AssetForm(SummaryMixin, forms.Form):
    """The fields every kind shares: the force reference and a short description."""

    reference = forms.CharField(
        max_length=50, error_messages={"required": "Enter the asset's reference"}
    )
    description = forms.CharField(max_length=200, required=False)

    def details(self) -> dict[str, object]:
        """Return the kind's own fields, left out when empty, for ``register_asset``."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("reference", "description") and value not in ("", None)
        }


class EquipmentForm(AssetForm):
    equipment_type = forms.CharField(
        max_length=100, error_messages={"required": "Enter the type of equipment"}
    )
    serial_number = forms.CharField(max_length=100, required=False)
    capability = forms.CharField(max_length=500, required=False)
    location = forms.CharField(
        max_length=200,
        required=False,
        help_text="Where the item is kept; starts its chain of custody",
    )


class VehicleForm(AssetForm):
    registration = forms.CharField(
        max_length=20, error_messages={"required": "Enter the vehicle's registration"}
    )
    make_and_model = forms.CharField(max_length=100, required=False)
    colour = forms.CharField(max_length=50, required=False)


class PremisesForm(AssetForm):
    premises_type = forms.ChoiceField(
        choices=_choices(
            "Select the type of premises", Premises._meta.get_field("premises_type").choices
        ),
        error_messages={"required": "Select the type of premises"},
    )
    address = forms.CharField(max_length=500, required=False)


class UndercoverOfficerForm(AssetForm):
    status = forms.ChoiceField(
        choices=_choices("Select the status", UndercoverStatus.choices),
        error_messages={"required": "Select the officer's status"},
    )
    accreditation_level = forms.ChoiceField(
        choices=_choices("Select the accreditation level", AccreditationLevel.choices),
        error_messages={"required": "Select the accreditation level"},
    )
    accredited_on = date_field()
    accreditation_expires_on = date_field()
    training_due_on = date_field()
    psychological_assessment_due_on = date_field()
    national_index_reference = forms.CharField(max_length=50, required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        accredited = cleaned.get("accredited_on")
        expires = cleaned.get("accreditation_expires_on")
        if accredited and expires and expires <= accredited:
            self.add_error(
                "accreditation_expires_on", "The accreditation must expire after it was given"
            )
        return cleaned


class CovertIdentityForm(AssetForm):
    identity_type = forms.ChoiceField(
        choices=_choices(
            "Select the type of identity",
            CovertIdentity._meta.get_field("identity_type").choices,
        ),
        error_messages={"required": "Select the type of identity"},
    )
    handle = forms.CharField(max_length=200, required=False)
    # Filled with the register's undercover officers by the page.
    undercover_officer = forms.ChoiceField(required=False)


REGISTRATION_FORMS: dict[str, type[AssetForm]] = {
    AssetKind.EQUIPMENT: EquipmentForm,
    AssetKind.VEHICLE: VehicleForm,
    AssetKind.PREMISES: PremisesForm,
    AssetKind.UNDERCOVER_OFFICER: UndercoverOfficerForm,
    AssetKind.COVERT_IDENTITY: CovertIdentityForm,
}


class CustodyForm(SummaryMixin, forms.Form):
    location = forms.CharField(
        max_length=200, error_messages={"required": "Enter where the equipment is"}
    )
    reason = forms.CharField(
        max_length=200, error_messages={"required": "Enter why the equipment moved"}
    )
    occurred_at = time_field("Enter when the equipment moved", required=False)
    occurred_at.label = "When it moved"
    occurred_at.help_text = "Leave empty for now. For example, 2026-03-01 09:00"


class StatusForm(SummaryMixin, forms.Form):
    status = forms.ChoiceField(
        error_messages={
            "required": "Select the new status",
            "invalid_choice": "Select one of the statuses listed",
        }
    )
