"""The register's filter form, read from GET parameters."""

from __future__ import annotations

from django import forms

from cpmp.law.kinds import AuthorityKind

from .selectors import DEFAULT_SORT, SORT_FIELDS, STATUS_LABELS, RegisterFilters

MAX_DUE_WITHIN_DAYS = 3660


class RegisterFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "All kinds"), *((kind.value, kind.label) for kind in AuthorityKind)],
        error_messages={"invalid_choice": "Select a kind of authorisation from the list"},
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "All statuses"), *STATUS_LABELS.items()],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    operation = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Operation must be 200 characters or fewer"},
    )
    reference = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": "Reference must be 100 characters or fewer"},
    )
    due = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_DUE_WITHIN_DAYS,
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 28",
            "min_value": "The number of days must be 0 or more",
            "max_value": f"The number of days must be {MAX_DUE_WITHIN_DAYS} or fewer",
        },
    )

    FIELD_ORDER = ("kind", "status", "operation", "reference", "due")

    def filters(self) -> RegisterFilters:
        """Return the filters from the fields that are valid; an invalid field does not filter."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return RegisterFilters(
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            operation=(data.get("operation") or "").strip(),
            reference=(data.get("reference") or "").strip(),
            due_within_days=data.get("due"),
        )

    def summary_errors(self) -> list[tuple[str, str]]:
        """Return (field id, message) pairs for the error summary, in page order."""
        return [
            (f"id_{name}", str(message))
            for name in self.FIELD_ORDER
            for message in self.errors.get(name, [])
        ]


def clean_sort(value: str | None) -> str:
    """Return ``value`` if it names a known sort key (optionally descending), else the default."""
    if value and value.removeprefix("-") in SORT_FIELDS:
        return value
    return DEFAULT_SORT
