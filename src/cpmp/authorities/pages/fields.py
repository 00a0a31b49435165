"""Form fields that render as GOV.UK components and return what the actions take.

Each field carries ``govuk``, the component that ``lifecycle/includes/field.html`` renders:
``text``, ``textarea``, ``radios``, ``checkboxes``, ``select``, ``date`` or ``datetime``.
Nothing here is required: the actions validate, so a draft can be saved half-finished and
every message comes from one place.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django import forms

LONDON = ZoneInfo("Europe/London")
YES_NO = (("yes", "Yes"), ("no", "No"))


FieldType = TypeVar("FieldType", bound=forms.Field)


def _mark(field: FieldType, component: str) -> FieldType:
    field.govuk = component  # type: ignore[attr-defined]
    return field


def text(label: str, hint: str = "") -> forms.CharField:
    return _mark(forms.CharField(label=label, help_text=hint, required=False), "text")


def textarea(label: str, hint: str = "") -> forms.CharField:
    return _mark(
        forms.CharField(label=label, help_text=hint, required=False, widget=forms.Textarea),
        "textarea",
    )


def radios(label: str, choices: Any, hint: str = "") -> forms.ChoiceField:
    return _mark(
        forms.ChoiceField(
            label=label, help_text=hint, required=False, choices=choices, widget=forms.RadioSelect
        ),
        "radios",
    )


def yes_no(label: str, hint: str = "") -> forms.ChoiceField:
    return radios(label, YES_NO, hint)


def checkboxes(label: str, choices: Any, hint: str = "") -> forms.MultipleChoiceField:
    return _mark(
        forms.MultipleChoiceField(
            label=label,
            help_text=hint,
            required=False,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
        ),
        "checkboxes",
    )


def select(label: str, choices: Any, hint: str = "") -> forms.ChoiceField:
    return _mark(
        forms.ChoiceField(label=label, help_text=hint, required=False, choices=choices), "select"
    )


class _PartsWidget(forms.Widget):
    """Reads ``name``, ``name_month``, ``name_year`` and ``name_time`` from the request.

    The day input is named after the field itself, so an error summary link to the field's
    id lands on the first input of the group, as the GOV.UK date input pattern recommends.
    """

    parts = ("", "_month", "_year", "_time")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}{suffix}", "")).strip() for suffix in self.parts]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}{suffix}" not in data for suffix in self.parts)


class GovukDateField(forms.Field):
    """A GOV.UK date input (day, month, year) that cleans to an ISO date string or ""."""

    widget = _PartsWidget
    with_time = False
    invalid_message = "Enter a real date, for example 27 3 2026"

    def __init__(self, label: str, hint: str = "") -> None:
        super().__init__(label=label, help_text=hint, required=False)
        self.govuk = "datetime" if self.with_time else "date"

    def clean(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        day, month, year, clock = [*list(value), "", "", "", ""][:4]
        if not any((day, month, year)) and not (self.with_time and clock):
            return ""
        try:
            parsed = date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self.invalid_message) from None
        if not self.with_time:
            return parsed.isoformat()
        try:
            # Seconds are optional: "14:30" or "14:30:15".
            parts = [int(part) for part in clock.replace(".", ":").split(":")]
            if len(parts) not in (2, 3):
                raise ValueError(clock)
            hours, minutes, seconds = [*parts, 0][:3]
            moment = datetime.combine(parsed, time(hours, minutes, seconds), tzinfo=LONDON)
        except ValueError:
            raise forms.ValidationError(
                "Enter a real date and a time in 24-hour format, for example 27 3 2026 and 14:30"
            ) from None
        return moment.isoformat()


class GovukDateTimeField(GovukDateField):
    """A GOV.UK date input with a 24-hour time (London time), cleaned to an ISO instant."""

    with_time = True


def date_parts(value: Any, with_time: bool) -> list[str]:
    """Split a field's value (the inputs as sent, or an ISO date or instant) for display."""
    if isinstance(value, (list, tuple)):
        return [str(part) for part in [*list(value), "", "", "", ""][:4]]
    if not value:
        return ["", "", "", ""]
    try:
        if with_time:
            moment = datetime.fromisoformat(str(value)).astimezone(LONDON)
            return [str(moment.day), str(moment.month), str(moment.year), f"{moment:%H:%M}"]
        day = date.fromisoformat(str(value)[:10])
        return [str(day.day), str(day.month), str(day.year), ""]
    except ValueError:
        return ["", "", "", ""]
