"""Forms of the booking, deployment, recovery and lookup pages, with GOV.UK messages.

Times are entered in Europe/London (the site's ``TIME_ZONE``) and stored in UTC.
"""

from __future__ import annotations

from django import forms

TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class LocalTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def time_field(message: str, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        required=required,
        input_formats=TIME_FORMATS,
        widget=LocalTimeInput(),
        error_messages={
            "required": message,
            "invalid": "Enter a date and time, like 2026-03-01 09:00",
        },
    )


class SummaryMixin:
    def summary_errors(self) -> list[tuple[str, str]]:
        form: forms.Form = self  # type: ignore[assignment]
        pairs = [("", str(message)) for message in form.non_field_errors()]
        for name in form.fields:
            pairs.extend((f"id_{name}", str(message)) for message in form.errors.get(name, []))
        return pairs


class BookingForm(SummaryMixin, forms.Form):
    operation = forms.ChoiceField(error_messages={"required": "Select the operation"})
    starts_at = time_field("Enter when the booking starts")
    ends_at = time_field("Enter when the booking ends")
    purpose = forms.CharField(required=False, max_length=200)


class DeploymentForm(SummaryMixin, forms.Form):
    authorisation = forms.ChoiceField(error_messages={"required": "Select the authorisation"})
    subject = forms.CharField(max_length=200, error_messages={"required": "Enter the subject"})
    tactic = forms.CharField(max_length=200, error_messages={"required": "Enter the tactic"})
    location = forms.CharField(
        max_length=200, error_messages={"required": "Enter where the asset is deployed"}
    )
    starts_at = time_field("Enter when the deployment starts")
    ends_at = time_field("Enter when the deployment is planned to end")


class RecoveryForm(SummaryMixin, forms.Form):
    recovered_to = forms.CharField(
        max_length=200, error_messages={"required": "Enter where the asset was returned to"}
    )


class LookupForm(SummaryMixin, forms.Form):
    asset = forms.CharField(max_length=50, error_messages={"required": "Enter the asset reference"})
    subject = forms.CharField(max_length=200, error_messages={"required": "Enter the subject"})
    tactic = forms.CharField(max_length=200, error_messages={"required": "Enter the tactic"})


class ReviewCloseForm(SummaryMixin, forms.Form):
    note = forms.CharField(
        max_length=5000,
        label="What you reviewed and decided",
        error_messages={"required": "Enter what you reviewed and decided"},
    )
