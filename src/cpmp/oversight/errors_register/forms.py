"""Forms of the relevant errors pages, with GOV.UK messages."""

from __future__ import annotations

from django import forms

from .models import ErrorCategory, ErrorStatus

DATE_MESSAGE = "Enter a date, like 2026-04-01"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: str, message: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={"required": message, "invalid": DATE_MESSAGE},
    )


class SummaryMixin:
    def summary_errors(self) -> list[tuple[str, str]]:
        form: forms.Form = self  # type: ignore[assignment]
        pairs = [("", str(message)) for message in form.non_field_errors()]
        for name in form.fields:
            pairs.extend((f"id_{name}", str(message)) for message in form.errors.get(name, []))
        return pairs


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *ErrorStatus.choices])
    category = forms.ChoiceField(
        required=False, choices=[("", "Any category"), *ErrorCategory.choices]
    )
    overdue = forms.BooleanField(required=False)


class ConfirmForm(SummaryMixin, forms.Form):
    established_on = date_field(
        "Date established by internal governance", "Enter the date the error was established"
    )
    owner = forms.ChoiceField(
        label="Owner", error_messages={"required": "Select who owns the error"}
    )


class DismissForm(SummaryMixin, forms.Form):
    reasons = forms.CharField(
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter why this is not a relevant error"},
    )


class ReportForm(SummaryMixin, forms.Form):
    reported_on = date_field(
        "Date reported to the IPC", "Enter the date the error was reported to the IPC"
    )
    reference = forms.CharField(
        label="IPC reference",
        max_length=100,
        error_messages={"required": "Enter the IPC's reference for the report"},
    )


class DecisionForm(SummaryMixin, forms.Form):
    serious = forms.ChoiceField(
        label="The IPC's decision",
        choices=[("", "Select the decision"), ("yes", "Serious error"), ("no", "Not serious")],
        error_messages={"required": "Select whether the IPC decided the error is serious"},
    )
    decided_on = date_field("Date of the decision", "Enter the date of the IPC's decision")


class CloseForm(SummaryMixin, forms.Form):
    pass


class RecordErrorForm(SummaryMixin, forms.Form):
    """An error someone noticed: at an inspection, in an audit, or in the course of work."""

    summary = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter what happened"},
    )
    category = forms.ChoiceField(
        label="Kind of error",
        choices=[("", "Select the kind of error"), *ErrorCategory.choices],
        error_messages={"required": "Select the kind of error"},
    )
    occurred_on = forms.DateField(
        label="Date it happened (if known)",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={"invalid": DATE_MESSAGE},
    )
    operation = forms.ChoiceField(
        label="Operation (if any)",
        required=False,
        choices=[("", "No operation")],
    )
