"""The import pages: form validation, and the whole flow once the importer is installed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from cpmp.oversight.forms import ImportForm
from tests.factories import a_gatekeeper

TODAY = date(2024, 4, 2)
CSV = b"URN,Operation\nDS/1,Op Test\n"


def _form(
    fields: dict[str, str] | None = None, upload: SimpleUploadedFile | None = None
) -> ImportForm:
    data = QueryDict(mutable=True)
    data.update({"as_at-day": "31", "as_at-month": "3", "as_at-year": "2024", **(fields or {})})
    files: MultiValueDict[str, SimpleUploadedFile] = MultiValueDict()
    if upload is not None:
        files["file"] = upload
    return ImportForm(data=data, files=files, today=TODAY)  # type: ignore[arg-type]


def _csv(content: bytes = CSV, name: str = "register.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_valid_form_cleans_values() -> None:
    form = _form({"mapping": "URN = reference\n\nOperation=operation\n"}, _csv())
    assert form.is_valid(), form.errors
    assert form.file_name == "register.csv"
    assert form.content == CSV
    assert form.as_at == date(2024, 3, 31)
    assert form.mapping == {"URN": "reference", "Operation": "operation"}


def test_empty_mapping_is_none() -> None:
    form = _form({"mapping": "  \n"}, _csv())
    assert form.is_valid()
    assert form.mapping is None


def test_unbound_form_defaults_to_today() -> None:
    form = ImportForm(today=TODAY)
    assert form.as_at_values == {"day": "2", "month": "4", "year": "2024"}
    assert not form.is_valid()


@pytest.mark.parametrize(
    ("fields", "upload", "field", "message"),
    [
        ({}, None, "file", "Select a CSV or XLSX file"),
        ({}, _csv(name="register.pdf"), "file", "The selected file must be a CSV or XLSX"),
        ({}, _csv(content=b""), "file", "The selected file is empty"),
        (
            {"as_at-day": "", "as_at-month": "", "as_at-year": ""},
            _csv(),
            "as_at",
            "Enter the date the register was correct on",
        ),
        (
            {"as_at-month": ""},
            _csv(),
            "as_at",
            "The date the register was correct on must include a month",
        ),
        (
            {"as_at-day": "", "as_at-year": ""},
            _csv(),
            "as_at",
            "The date the register was correct on must include a day and year",
        ),
        (
            {"as_at-day": "30", "as_at-month": "2"},
            _csv(),
            "as_at",
            "The date the register was correct on must be a real date",
        ),
        (
            {"as_at-month": "March"},
            _csv(),
            "as_at",
            "The date the register was correct on must be a real date",
        ),
        (
            {"as_at-year": "24"},
            _csv(),
            "as_at",
            "The date the register was correct on must be a real date",
        ),
        (
            {"as_at-year": "2025"},
            _csv(),
            "as_at",
            "The date the register was correct on must be today or in the past",
        ),
        (
            {"mapping": "URN=reference\nOperation"},
            _csv(),
            "mapping",
            "Enter line 2 of the column mapping as COLUMN=FIELD, like URN=reference",
        ),
        (
            {"mapping": "=reference"},
            _csv(),
            "mapping",
            "Enter line 1 of the column mapping as COLUMN=FIELD, like URN=reference",
        ),
        (
            {"mapping": "URN=reference\nURN=operation"},
            _csv(),
            "mapping",
            "Line 2 of the column mapping repeats the column ‘URN’",
        ),
    ],
)
def test_form_rejects(
    fields: dict[str, str], upload: SimpleUploadedFile | None, field: str, message: str
) -> None:
    form = _form(fields, upload)
    assert not form.is_valid()
    assert form.errors == {field: message}


@override_settings(CPMP_IMPORT_MAX_BYTES=1024 * 1024)
def test_form_rejects_file_too_big() -> None:
    form = _form({}, _csv(content=b"x" * (1024 * 1024 + 1)))
    assert not form.is_valid()
    assert form.errors == {"file": "The selected file must be smaller than 1MB"}


def test_form_accepts_file_at_size_limit() -> None:
    with override_settings(CPMP_IMPORT_MAX_BYTES=len(CSV)):
        assert _form({}, _csv()).is_valid()


@pytest.mark.django_db
def test_import_page_shows_errors(client: Client) -> None:
    client.force_login(a_gatekeeper())
    response = client.post(
        reverse("oversight:import-start"),
        {"as_at-day": "31", "as_at-month": "2", "as_at-year": "2024", "mapping": ""},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in content
    assert '<a href="#file">Select a CSV or XLSX file</a>' in content
    assert (
        '<a href="#as_at-day">The date the register was correct on must be a real date</a>'
        in content
    )
    assert 'value="31"' in content


@pytest.mark.django_db
def test_import_page_defaults_as_at_to_today(client: Client) -> None:
    client.force_login(a_gatekeeper())
    content = client.get(reverse("oversight:import-start")).content.decode()
    today = date.today()
    assert (
        f'id="as_at-year" name="as_at-year" type="text" inputmode="numeric" value="{today.year}"'
        in content
    )


@pytest.mark.django_db
def test_import_flow_previews_then_stores(client: Client, samples_dir: Path) -> None:
    pytest.importorskip("cpmp.oversight.actions", reason="the importer is not in this tree yet")
    from cpmp.authorities.models import Authorisation
    from cpmp.oversight.models import CentralRecordImport

    client.force_login(a_gatekeeper())
    sample = samples_dir / "police_cab_register.csv"
    upload = SimpleUploadedFile(sample.name, sample.read_bytes(), content_type="text/csv")
    response = client.post(
        reverse("oversight:import-start"),
        {"file": upload, "as_at-day": "31", "as_at-month": "3", "as_at-year": "2024"},
    )
    assert response.status_code == 302
    batch = CentralRecordImport.objects.get()
    assert response["Location"] == reverse("oversight:import-detail", args=[batch.pk])
    assert batch.state == "previewed"
    assert Authorisation.objects.count() == 0

    report = client.get(response["Location"]).content.decode()
    records = batch.report["records"]
    assert "Store these records" in report
    assert records
    assert records[0]["reference"] in report

    stored = client.post(reverse("oversight:import-confirm", args=[batch.pk]), follow=True)
    content = stored.content.decode()
    assert Authorisation.objects.count() == len(records)
    assert f"{len(records)} records stored, 0 already in the register" in content
    assert f'href="{reverse("authorities:register")}"' in content
    assert "Store these records" not in content


@pytest.mark.django_db
def test_unreadable_file_shows_importer_message(client: Client) -> None:
    pytest.importorskip("cpmp.oversight.actions", reason="the importer is not in this tree yet")
    client.force_login(a_gatekeeper())
    upload = SimpleUploadedFile("broken.xlsx", b"this is not a spreadsheet")
    response = client.post(
        reverse("oversight:import-start"),
        {"file": upload, "as_at-day": "31", "as_at-month": "3", "as_at-year": "2024"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#file">' in content
    assert "broken.xlsx" in content
